// Progress of long backup and restore work: counters that the workers bump, and a reporter thread that shows
// bytes and rate, as a rewritten line on a terminal (text logs) or as a JSON log line every few seconds.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace capstan::backup {

class Progress {
 public:
  // phase: "backup", "verify", "restore"... Starts the reporter thread unless logging is quiet.
  explicit Progress(std::string phase);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  std::atomic<uint64_t>& bytes() { return bytes_; }
  void Stop();

 private:
  void Run();
  void Report(bool final_line);
  std::string phase_;
  std::atomic<uint64_t> bytes_{0};
  std::chrono::steady_clock::time_point start_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool terminal_ = false;
  bool drew_ = false;
  std::thread thread_;
};

}  // namespace capstan::backup
