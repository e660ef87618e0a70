#include "wait/run.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "log/log.h"
#include "util/duration.h"
#include "util/strings.h"
#include "wait/backoff.h"

namespace capstan::wait {

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Millis d) { return static_cast<double>(d.count()) / 1000.0; }

struct Shared {
  ConditionList conditions;
  std::vector<ConditionOutcome> outcomes;
  std::vector<bool> done;
  std::mutex mu;
  std::condition_variable cv;  // wakes sleeping workers on stop
  std::atomic<bool> stop{false};
  int event_fd = -1;           // a worker finished a condition
  int finished_workers = 0;
  int failure_exit_code = 1;
  ~Shared() {
    if (event_fd >= 0) ::close(event_fd);
  }
};

void Notify(Shared& s) {
  uint64_t one = 1;
  (void)!::write(s.event_fd, &one, sizeof one);
}

void Worker(std::shared_ptr<Shared> s, size_t i, RunOptions opt, Clock::time_point start, uint64_t seed) {
  Condition& cond = *s->conditions[i];
  const std::string name = cond.Describe();
  Millis limit = std::min(opt.timeout, cond.timeout().value_or(opt.timeout));
  Millis per_attempt = cond.attempt_timeout().value_or(opt.attempt_timeout);
  auto deadline = start + limit;
  Backoff backoff(opt.initial_interval, opt.max_interval, seed);
  int attempt = 0;
  bool last_try = false;
  auto finish = [&](bool held, bool timed_out, bool failed, const std::string& detail) {
    std::lock_guard<std::mutex> lock(s->mu);
    auto& o = s->outcomes[i];
    o.held = held;
    o.timed_out = timed_out;
    o.failed = failed;
    o.attempts = attempt;
    if (!detail.empty() || held) o.last_detail = detail;
    o.elapsed = std::chrono::duration_cast<Millis>(Clock::now() - start);
    s->done[i] = true;
  };
  while (!s->stop.load()) {
    auto now = Clock::now();
    if (deadline - now < std::chrono::milliseconds(20)) {
      finish(false, true, false, "");
      break;
    }
    ++attempt;
    AttemptContext ctx{std::min(now + per_attempt, deadline), &s->stop};
    AttemptResult r;
    bool failed = false;
    int failed_code = 1;
    {
      // Counted when it starts, so that a summary written while it runs says so instead of "(0 attempts)".
      std::lock_guard<std::mutex> lock(s->mu);
      s->outcomes[i].attempts = attempt;
      s->outcomes[i].attempt_running = true;
    }
    try {
      r = cond.Check(ctx);
    } catch (const Error& e) {
      r = AttemptResult::NotYet(e.what());
      failed = true;
      failed_code = e.exit_code();
    } catch (const std::exception& e) {
      r = AttemptResult::NotYet(std::string("internal error: ") + e.what());
      failed = true;
    }
    {
      std::lock_guard<std::mutex> lock(s->mu);
      s->outcomes[i].attempt_running = false;
    }
    if (s->stop.load()) break;
    Millis elapsed = std::chrono::duration_cast<Millis>(Clock::now() - start);
    if (r.held) {
      log::Info("condition holds", {{"condition", name}, {"attempt", attempt}, {"elapsed", Seconds(elapsed)},
                                   {"detail", r.detail}});
      finish(true, false, false, r.detail);
      break;
    }
    {
      std::lock_guard<std::mutex> lock(s->mu);
      s->outcomes[i].attempts = attempt;
      s->outcomes[i].last_detail = r.detail;
    }
    if (failed) {
      log::Error("condition cannot hold", {{"condition", name}, {"attempt", attempt}, {"elapsed", Seconds(elapsed)},
                                           {"error", r.detail}});
      {
        std::lock_guard<std::mutex> lock(s->mu);
        s->failure_exit_code = failed_code;
      }
      finish(false, false, true, r.detail);
      break;
    }
    Millis delay = backoff.Next();
    auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now());
    if (left.count() <= 0 || last_try) {
      log::Info("condition not met", {{"condition", name}, {"attempt", attempt}, {"elapsed", Seconds(elapsed)},
                                      {"error", r.detail}});
      finish(false, true, false, r.detail);
      break;
    }
    // Near the deadline, wake early enough to give one last attempt a fair share of the remaining time.
    Millis window = std::min(per_attempt, Millis(250));
    if (delay >= left - window) {
      delay = std::max(Millis(0), left - window);
      last_try = true;
    }
    log::Info("condition not met", {{"condition", name}, {"attempt", attempt}, {"elapsed", Seconds(elapsed)},
                                    {"error", r.detail}, {"retry_in", Seconds(delay)}});
    std::unique_lock<std::mutex> lock(s->mu);
    s->cv.wait_for(lock, delay, [&] { return s->stop.load(); });
  }
  {
    std::lock_guard<std::mutex> lock(s->mu);
    ++s->finished_workers;
  }
  s->cv.notify_all();
  Notify(*s);
}

}  // namespace

int WaitResult::ExitCode() const {
  switch (status) {
    case WaitStatus::kAllHeld: return kWaitHeld;
    case WaitStatus::kTimedOut: return kWaitTimedOut;
    case WaitStatus::kFailed: return failure_exit_code;
    case WaitStatus::kInterrupted: return kWaitInterrupted;
  }
  return kWaitTimedOut;
}

std::string WaitResult::Summary() const {
  std::vector<std::string> missing;
  for (const auto& o : outcomes) {
    if (o.held) continue;
    std::string part = o.condition + " (";
    if (o.failed) part += "failed: ";
    else if (o.timed_out && o.own_timeout) part += "its timeout " + FormatDuration(o.limit) + " passed, ";
    part += std::to_string(o.attempts) + (o.attempts == 1 ? " attempt" : " attempts");
    if (!o.last_detail.empty()) part += "; last error: " + o.last_detail;
    if (o.attempt_running)
      part += "; attempt " + std::to_string(o.attempts) + " was still running when the wait ended";
    part += ")";
    missing.push_back(part);
  }
  std::string count = std::to_string(missing.size()) + " of " + std::to_string(outcomes.size()) +
                      (outcomes.size() == 1 ? " condition" : " conditions");
  switch (status) {
    case WaitStatus::kAllHeld:
      return "all " + std::to_string(outcomes.size()) + " conditions hold after " + FormatDuration(elapsed);
    case WaitStatus::kTimedOut:
      return "timed out after " + FormatDuration(elapsed) + ": " + count + " did not hold: " + Join(missing, "; ");
    case WaitStatus::kFailed:
      return "a condition cannot hold: " + Join(missing, "; ");
    case WaitStatus::kInterrupted:
      return std::string("interrupted by ") + (signal ? ::strsignal(signal) : "a signal") + " after " +
             FormatDuration(elapsed) + ": " + count + " did not hold yet: " + Join(missing, "; ");
  }
  return {};
}

WaitResult RunWait(ConditionList conditions, const RunOptions& options) {
  auto start = Clock::now();
  WaitResult result;
  auto s = std::make_shared<Shared>();
  s->conditions = std::move(conditions);
  size_t n = s->conditions.size();
  s->outcomes.resize(n);
  s->done.assign(n, false);
  for (size_t i = 0; i < n; ++i) {
    s->outcomes[i].condition = s->conditions[i]->Describe();
    s->outcomes[i].limit = std::min(options.timeout, s->conditions[i]->timeout().value_or(options.timeout));
    s->outcomes[i].own_timeout = s->outcomes[i].limit < options.timeout;
  }
  if (n == 0) {
    result.status = WaitStatus::kAllHeld;
    return result;
  }
  s->event_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (s->event_fd < 0) throw PreconditionError(std::string("eventfd: ") + std::strerror(errno));

  // Block SIGTERM/SIGINT in this thread (the workers inherit the mask) and read them through a signalfd.
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int sig_fd = -1;
  if (options.handle_signals) {
    pthread_sigmask(SIG_BLOCK, &set, &old);
    sig_fd = ::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sig_fd < 0) {
      pthread_sigmask(SIG_SETMASK, &old, nullptr);
      throw PreconditionError(std::string("signalfd: ") + std::strerror(errno));
    }
  }

  std::random_device rd;
  std::vector<std::thread> workers;
  for (size_t i = 0; i < n; ++i)
    workers.emplace_back(Worker, s, i, options, start, (static_cast<uint64_t>(rd()) << 32) ^ rd() ^ i);

  auto overall_deadline = start + options.timeout;
  while (true) {
    bool all_held = true, any_failed = false, any_timed_out = false;
    {
      std::lock_guard<std::mutex> lock(s->mu);
      for (size_t i = 0; i < n; ++i) {
        if (!s->done[i] || !s->outcomes[i].held) all_held = false;
        if (s->done[i] && s->outcomes[i].failed) any_failed = true;
        if (s->done[i] && s->outcomes[i].timed_out) any_timed_out = true;
      }
      result.failure_exit_code = s->failure_exit_code;
    }
    if (all_held) {
      result.status = WaitStatus::kAllHeld;
      break;
    }
    if (any_failed) {
      result.status = WaitStatus::kFailed;
      break;
    }
    if (any_timed_out) {
      result.status = WaitStatus::kTimedOut;
      break;
    }
    auto now = Clock::now();
    // Workers give up at their deadline; this is the backstop for an attempt that overran it.
    if (now >= overall_deadline + std::chrono::milliseconds(250)) {
      result.status = WaitStatus::kTimedOut;
      break;
    }
    pollfd fds[2] = {{s->event_fd, POLLIN, 0}, {sig_fd, POLLIN, 0}};
    auto wait = std::chrono::duration_cast<Millis>(overall_deadline + std::chrono::milliseconds(250) - now);
    int rc = ::poll(fds, sig_fd >= 0 ? 2 : 1, static_cast<int>(std::clamp<long long>(wait.count(), 1, 1000)));
    if (rc > 0 && (fds[0].revents & POLLIN)) {
      uint64_t v;
      (void)!::read(s->event_fd, &v, sizeof v);
    }
    if (rc > 0 && sig_fd >= 0 && (fds[1].revents & POLLIN)) {
      signalfd_siginfo info{};
      if (::read(sig_fd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        result.status = WaitStatus::kInterrupted;
        result.signal = static_cast<int>(info.ssi_signo);
        log::Warn("stopping the wait", {{"signal", std::string(::strsignal(result.signal))}});
        break;
      }
    }
  }

  // Stop the workers: sleeping ones wake at once; an attempt in flight gets stop_grace to notice.
  s->stop.store(true);
  s->cv.notify_all();
  {
    std::unique_lock<std::mutex> lock(s->mu);
    s->cv.wait_for(lock, options.stop_grace, [&] { return s->finished_workers == static_cast<int>(n); });
    result.workers_left_running = s->finished_workers != static_cast<int>(n);
    result.outcomes = s->outcomes;
  }
  for (auto& t : workers) {
    if (result.workers_left_running) t.detach();
    else t.join();
  }
  result.elapsed = std::chrono::duration_cast<Millis>(Clock::now() - start);
  for (auto& o : result.outcomes)
    if (!o.held && result.status == WaitStatus::kTimedOut && !o.failed) o.timed_out = true;
  if (sig_fd >= 0) {
    ::close(sig_fd);
    // Leave SIGTERM/SIGINT blocked when interrupted: the caller exits with its own message and code.
    if (result.status != WaitStatus::kInterrupted) pthread_sigmask(SIG_SETMASK, &old, nullptr);
  }
  return result;
}

}  // namespace capstan::wait
