// Jittered exponential backoff between attempts of one condition: the n-th delay is drawn uniformly from
// [d/2, d] where d = min(max, initial * 2^n) ("equal jitter"), so retries of many pods spread out but never
// wait less than half the nominal delay.
#pragma once
#include <chrono>
#include <cstdint>
#include <random>

namespace capstan::wait {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max, uint64_t seed);
  // The delay before the next attempt; grows until it reaches max.
  std::chrono::milliseconds Next();
  // The un-jittered delay Next() would draw from (for tests and logs).
  std::chrono::milliseconds Nominal() const;
  void Reset() { step_ = 0; }

 private:
  std::chrono::milliseconds initial_, max_;
  unsigned step_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace capstan::wait
