// Progress of long backup and restore work. Workers bump a phase's counters ("backup": dump and archive bytes,
// "verify": the re-read of what was written, "restore"); a reporter thread shows, per phase, bytes, rate and, where
// the total is known, the total, percentage and estimated time left. On a terminal in text format that is one
// status line redrawn in place, kept below the log lines (log::SetStatusLine); elsewhere (a pod: JSON logs) a
// `progress` log line per active phase at most every 5 s, and one when the work ends.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "log/log.h"

namespace capstan::backup {

// The counters of one phase. total 0: unknown. estimated: the part of total that is an estimate (the dump's, from
// the database's size), replaced by the real size when known; while it is > 0 the percentage stops at 99.
struct ProgressCounter {
  std::atomic<uint64_t> bytes{0};
  std::atomic<uint64_t> total{0};
  std::atomic<uint64_t> estimated{0};
  std::atomic<bool> done{false};  // the phase's work has ended (shown as 100%, no time left)
};

// What a reporter shows of one phase at one moment.
struct ProgressSnapshot {
  std::string phase;
  uint64_t bytes = 0;
  uint64_t total = 0;        // 0: unknown
  bool estimated = false;    // total holds an estimate
  double seconds = 0;        // since the phase's first byte
  bool done = false;         // the work ended
};
// The percentage (0..100; 99 at most while an estimate is in the total or the work is not done), or none.
std::optional<int> ProgressPercent(const ProgressSnapshot& s);
// Seconds left at the phase's average rate, or none (no total, no rate yet, or done).
std::optional<int64_t> ProgressEta(const ProgressSnapshot& s);
// "backup 1.2 GiB / 3.4 GiB 35%, 40 MiB/s, 1m5s left" (terminal), and the fields of a `progress` log line:
// phase, bytes, total_bytes, percent, eta_seconds (the last three only when known), bytes_per_second, seconds,
// estimated (when the total is an estimate).
std::string ProgressText(const ProgressSnapshot& s);
log::Fields ProgressFields(const ProgressSnapshot& s);

class Progress {
 public:
  // phases, in display order. Starts the reporter thread unless logging is quiet.
  explicit Progress(std::vector<std::string> phases);
  explicit Progress(std::string phase) : Progress(std::vector<std::string>{std::move(phase)}) {}
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ProgressCounter& counter(const std::string& phase);
  ProgressCounter& counter() { return phases_.front().counter; }
  std::atomic<uint64_t>& bytes() { return counter().bytes; }
  // Stops the reporter: erases the status line, or logs each phase's last line (JSON).
  void Stop();

 private:
  struct Phase {
    std::string name;
    ProgressCounter counter;
    std::optional<std::chrono::steady_clock::time_point> first;  // first seen with bytes > 0
    std::optional<std::chrono::steady_clock::time_point> ended;  // first seen done: its rate stays as it was
  };
  void Run();
  std::vector<ProgressSnapshot> Snapshots(bool done);
  void Report(bool final_report);
  std::deque<Phase> phases_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool terminal_ = false;
  bool running_ = false;
  std::thread thread_;
};

}  // namespace capstan::backup
