#include "backup/progress.h"

#include <unistd.h>

#include <cstdio>

#include "log/log.h"
#include "util/duration.h"

namespace capstan::backup {

Progress::Progress(std::string phase) : phase_(std::move(phase)), start_(std::chrono::steady_clock::now()) {
  if (!log::Enabled(log::Level::kInfo)) return;
  terminal_ = log::Current().format == log::Format::kText && ::isatty(2) && log::Current().file.empty();
  thread_ = std::thread([this] { Run(); });
}

Progress::~Progress() { Stop(); }

void Progress::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_) return;
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (terminal_ && drew_) std::fputs("\n", stderr);
}

void Progress::Run() {
  auto interval = terminal_ ? std::chrono::milliseconds(500) : std::chrono::milliseconds(10000);
  std::unique_lock<std::mutex> lock(mu_);
  while (!cv_.wait_for(lock, interval, [this] { return stop_; })) Report(false);
}

void Progress::Report(bool) {
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  uint64_t b = bytes_.load(std::memory_order_relaxed);
  double rate = secs > 0 ? static_cast<double>(b) / secs : 0;
  if (terminal_) {
    std::fprintf(stderr, "\r%s: %s, %s/s, %.0fs   ", phase_.c_str(), FormatSize(b).c_str(),
                 FormatSize(static_cast<uint64_t>(rate)).c_str(), secs);
    std::fflush(stderr);
    drew_ = true;
  } else {
    log::Info("progress", {{"phase", phase_}, {"bytes", static_cast<unsigned long long>(b)},
                           {"bytes_per_second", static_cast<unsigned long long>(rate)},
                           {"seconds", static_cast<double>(static_cast<int64_t>(secs * 10)) / 10}});
  }
}

}  // namespace capstan::backup
