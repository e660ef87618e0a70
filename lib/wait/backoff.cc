#include "wait/backoff.h"

#include <algorithm>

namespace capstan::wait {

Backoff::Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max, uint64_t seed)
    : initial_(std::max<std::chrono::milliseconds>(initial, std::chrono::milliseconds(1))),
      max_(std::max(max, initial_)),
      rng_(seed) {}

std::chrono::milliseconds Backoff::Nominal() const {
  long long d = initial_.count();
  for (unsigned i = 0; i < step_ && d < max_.count(); ++i) d *= 2;
  return std::chrono::milliseconds(std::min(d, static_cast<long long>(max_.count())));
}

std::chrono::milliseconds Backoff::Next() {
  long long d = Nominal().count();
  if (step_ < 64) ++step_;
  long long lo = d / 2;
  std::uniform_int_distribution<long long> dist(lo, d);
  return std::chrono::milliseconds(dist(rng_));
}

}  // namespace capstan::wait
