#include "backup/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "util/duration.h"
#include "util/error.h"

namespace capstan::backup {

namespace {

constexpr auto kTick = std::chrono::milliseconds(500);   // counters sampled, status line redrawn
constexpr auto kJsonEvery = std::chrono::seconds(5);     // at most one progress log line per phase this often

std::string Seconds(int64_t s) {
  if (s < 60) return std::to_string(s) + "s";
  if (s < 3600) return std::to_string(s / 60) + "m" + (s % 60 ? std::to_string(s % 60) + "s" : "");
  return std::to_string(s / 3600) + "h" + (s % 3600 / 60 ? std::to_string(s % 3600 / 60) + "m" : "");
}

size_t TerminalColumns() {
  struct winsize ws {};
  if (::ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10) return ws.ws_col;
  return 80;
}

}  // namespace

std::optional<int> ProgressPercent(const ProgressSnapshot& s) {
  if (s.total == 0) return std::nullopt;
  if (s.done && !s.estimated) return 100;
  double p = static_cast<double>(s.bytes) * 100.0 / static_cast<double>(s.total);
  return static_cast<int>(std::clamp(p, 0.0, 99.0));
}

std::optional<int64_t> ProgressEta(const ProgressSnapshot& s) {
  if (s.total == 0 || s.done || s.bytes == 0 || s.seconds < 1) return std::nullopt;
  if (s.bytes >= s.total) return 0;
  double rate = static_cast<double>(s.bytes) / s.seconds;
  return static_cast<int64_t>(static_cast<double>(s.total - s.bytes) / rate + 0.5);
}

std::string ProgressText(const ProgressSnapshot& s) {
  std::string t = s.phase + " " + FormatSize(s.bytes);
  if (s.total) t += " / " + std::string(s.estimated ? "~" : "") + FormatSize(s.total);
  if (auto p = ProgressPercent(s)) t += " " + std::to_string(*p) + "%";
  if (s.seconds >= 1) t += ", " + FormatSize(static_cast<uint64_t>(static_cast<double>(s.bytes) / s.seconds)) + "/s";
  if (auto eta = ProgressEta(s)) t += ", " + Seconds(*eta) + " left";
  return t;
}

log::Fields ProgressFields(const ProgressSnapshot& s) {
  log::Fields f = {{"phase", s.phase}, {"bytes", static_cast<unsigned long long>(s.bytes)}};
  if (s.total) f.emplace_back("total_bytes", static_cast<unsigned long long>(s.total));
  if (auto p = ProgressPercent(s)) f.emplace_back("percent", *p);
  if (auto eta = ProgressEta(s)) f.emplace_back("eta_seconds", static_cast<long long>(*eta));
  if (s.seconds >= 0.1)  // a rate over less time is noise
    f.emplace_back("bytes_per_second", static_cast<unsigned long long>(static_cast<double>(s.bytes) / s.seconds));
  f.emplace_back("seconds", static_cast<double>(static_cast<int64_t>(s.seconds * 10)) / 10);
  if (s.estimated) f.emplace_back("estimated", true);
  if (s.done) f.emplace_back("done", true);
  return f;
}

Progress::Progress(std::vector<std::string> phases) {
  if (phases.empty()) throw Error("internal error: progress without a phase");
  for (auto& p : phases) phases_.emplace_back().name = std::move(p);
  if (!log::Enabled(log::Level::kInfo)) return;
  terminal_ = log::Current().format == log::Format::kText && ::isatty(2);
  running_ = true;
  thread_ = std::thread([this] { Run(); });
}

Progress::~Progress() { Stop(); }

ProgressCounter& Progress::counter(const std::string& phase) {
  for (auto& p : phases_)
    if (p.name == phase) return p.counter;
  throw Error("internal error: no progress phase " + phase);
}

void Progress::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_) return;
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (!running_) return;
  if (terminal_) log::SetStatusLine("");
  else Report(true);
}

std::vector<ProgressSnapshot> Progress::Snapshots(bool done) {
  auto now = std::chrono::steady_clock::now();
  std::vector<ProgressSnapshot> out;
  for (auto& p : phases_) {
    ProgressSnapshot s;
    s.phase = p.name;
    s.bytes = p.counter.bytes.load(std::memory_order_relaxed);
    s.total = p.counter.total.load(std::memory_order_relaxed);
    s.estimated = p.counter.estimated.load(std::memory_order_relaxed) > 0;
    s.done = done || p.counter.done.load(std::memory_order_relaxed);
    if (s.bytes == 0) continue;  // not started: nothing to show
    if (!p.first) p.first = now;
    if (s.done && !p.ended) p.ended = now;
    s.seconds = std::chrono::duration<double>((p.ended ? *p.ended : now) - *p.first).count();
    out.push_back(s);
  }
  return out;
}

void Progress::Run() {
  auto last_json = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mu_);
  while (!cv_.wait_for(lock, kTick, [this] { return stop_; })) {
    auto now = std::chrono::steady_clock::now();
    if (terminal_) {
      Report(false);
    } else if (now - last_json >= kJsonEvery) {
      Report(false);
      last_json = now;
    } else {
      Snapshots(false);  // notes when each phase starts, for its rate
    }
  }
}

void Progress::Report(bool final_report) {
  auto snaps = Snapshots(final_report);
  if (terminal_) {
    std::string line;
    for (const auto& s : snaps) line += (line.empty() ? "" : " | ") + ProgressText(s);
    size_t cols = TerminalColumns();
    if (line.size() >= cols) line.resize(cols - 1);  // a wrapped line could not be redrawn in place
    log::SetStatusLine(line);
    return;
  }
  for (const auto& s : snaps) log::Info("progress", ProgressFields(s));
}

}  // namespace capstan::backup
