#include "roll/roll.h"

#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "kube/pod_health.h"
#include "kube/watch.h"
#include "log/log.h"
#include "roll/lease.h"
#include "roll/next_step.h"
#include "roll/progress.h"
#include "util/duration.h"
#include "util/error.h"
#include "util/json_writer.h"
#include "util/strings.h"

namespace capstan::roll {
namespace {

using Clock = std::chrono::steady_clock;
using Millis = std::chrono::milliseconds;

// Wakes the main loop: reflector threads write to an eventfd; SIGTERM/SIGINT arrive on a signalfd.
class Wakeup {
 public:
  explicit Wakeup(bool signals) {
    event_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (event_fd_ < 0) throw PreconditionError(std::string("eventfd: ") + std::strerror(errno));
    if (signals) {
      sigset_t set;
      sigemptyset(&set);
      sigaddset(&set, SIGTERM);
      sigaddset(&set, SIGINT);
      // Blocked before any thread starts, so the watch threads inherit the mask and the signalfd gets them.
      pthread_sigmask(SIG_BLOCK, &set, &old_);
      sig_fd_ = ::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
      if (sig_fd_ < 0) throw PreconditionError(std::string("signalfd: ") + std::strerror(errno));
    }
  }
  ~Wakeup() {
    ::close(event_fd_);
    if (sig_fd_ >= 0) {
      ::close(sig_fd_);
      // Leave SIGTERM/SIGINT blocked when interrupted: the caller exits with its own message and code.
      if (signal_ == 0) pthread_sigmask(SIG_SETMASK, &old_, nullptr);
    }
  }
  Wakeup(const Wakeup&) = delete;
  Wakeup& operator=(const Wakeup&) = delete;
  void Notify() {
    uint64_t one = 1;
    (void)!::write(event_fd_, &one, sizeof one);
  }
  // Waits up to d for a notification or a signal; returns the signal number (0: none).
  int Wait(Millis d) {
    pollfd fds[2] = {{event_fd_, POLLIN, 0}, {sig_fd_, POLLIN, 0}};
    int rc = ::poll(fds, sig_fd_ >= 0 ? 2 : 1, static_cast<int>(std::clamp<long long>(d.count(), 0, 1000)));
    if (rc > 0 && (fds[0].revents & POLLIN)) {
      uint64_t v;
      (void)!::read(event_fd_, &v, sizeof v);
    }
    if (rc > 0 && sig_fd_ >= 0 && (fds[1].revents & POLLIN)) {
      signalfd_siginfo info{};
      if (::read(sig_fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info))
        signal_ = static_cast<int>(info.ssi_signo);
    }
    return signal_;
  }
  int signal() const { return signal_; }

 private:
  int event_fd_ = -1, sig_fd_ = -1, signal_ = 0;
  sigset_t old_{};
};


}  // namespace

std::string RollReport::ToJson() const {
  JsonWriter w;
  w.StartObject();
  w.Field("statefulset", statefulset).Field("namespace", ns).Field("ok", exit_code == 0);
  w.Field("exitCode", exit_code).Field("message", message).Field("revision", revision);
  w.Field("replicas", replicas).Field("current", current);
  w.Key("replaced").StartArray();
  for (const auto& p : replaced) w.String(p);
  w.EndArray();
  w.Field("elapsedSeconds", static_cast<int64_t>(elapsed.count() / 1000));
  if (!failed_pod.empty()) w.Field("pod", failed_pod).Field("container", failed_container).Field("reason", failed_reason);
  w.EndObject();
  return w.str();
}

RollReport RunRoll(kube::Client& client, const RollOptions& o) {
  const auto start = Clock::now();
  const auto deadline = start + o.timeout;
  RollReport report;
  report.statefulset = o.statefulset;
  report.ns = o.ns;
  auto elapsed = [&] { return std::chrono::duration_cast<Millis>(Clock::now() - start); };
  auto finish = [&](int code, std::string message) {
    report.exit_code = code;
    report.message = std::move(message);
    report.elapsed = elapsed();
    return report;
  };

  Wakeup wake(o.handle_signals);
  auto interrupted = [&] {
    return "interrupted by " + std::string(::strsignal(wake.signal())) + " after " + FormatDuration(elapsed()) + ": " +
           std::to_string(report.current) + "/" + std::to_string(report.replicas) +
           " pods current; run capstan roll " + o.statefulset + " again to continue";
  };

  // 1. The lease: one driver per set.
  LeaseOptions lo;
  lo.ns = o.ns;
  lo.name = o.lease_name.empty() ? "capstan-roll-" + o.statefulset : o.lease_name;
  lo.holder = o.holder.empty() ? DefaultHolderIdentity() : o.holder;
  lo.duration = o.lease_duration;
  Lease lease(client, lo);
  std::string waited_for;
  while (!lease.TryAcquire()) {
    if (lease.holder() != waited_for && !lease.holder().empty()) {
      waited_for = lease.holder();
      log::Info("waiting for the lease held by " + waited_for,
                {{"lease", lo.name}, {"holder", waited_for}, {"statefulset", o.statefulset}});
    }
    if (Clock::now() >= deadline)
      return finish(kExitFailed, "timed out after " + FormatDuration(elapsed()) + " waiting for the lease " + o.ns +
                                     "/" + lo.name + " held by " + Quote(waited_for) +
                                     ": another capstan roll of " + o.statefulset +
                                     " is running (or died less than its lease duration ago)");
    if (wake.Wait(std::min<Millis>(Millis(1000), std::chrono::duration_cast<Millis>(lo.duration) / 4)) != 0)
      return finish(kExitPrecondition, interrupted());
  }
  log::Info("lease acquired", {{"lease", lo.name}, {"holder", lo.holder}});

  struct Released {
    Lease& l;
    ~Released() { l.Release(); }
  } released{lease};

  // 2. Watches: the set, then (with its selector) its pods and their events.
  std::mutex events_mu;
  std::vector<kube::JsonDoc> new_events;
  kube::WatchTarget st{kube::LookupKind("StatefulSet"), o.ns, "", "metadata.name=" + o.statefulset, o.watch_timeout};
  auto notify = [&](const std::string&, const kube::Json&, bool) { wake.Notify(); };
  kube::Reflector sets(client, st, notify);
  sets.Start();
  std::unique_ptr<kube::Reflector> pods, events;
  struct Stopper {
    kube::Reflector& s;
    std::unique_ptr<kube::Reflector>& p;
    std::unique_ptr<kube::Reflector>& e;
    ~Stopper() {
      if (e) e->Stop();
      if (p) p->Stop();
      s.Stop();
    }
  } stopper{sets, pods, events};

  Progress progress(o.statefulset, start);
  std::set<std::string> deleted_uids;
  std::map<std::string, Clock::time_point> unschedulable_since;  // uid -> first seen
  std::string last_wait;
  try {
    while (true) {
      if (wake.signal() != 0) return finish(kExitPrecondition, interrupted());
      for (kube::Reflector* r : {&sets, pods.get(), events.get()})
        if (r != nullptr && !r->failure().empty()) return finish(r->failure_exit_code(), r->failure());
      lease.RenewIfDue();
      if (!sets.synced()) {
        if (Clock::now() >= deadline) return finish(kExitFailed, "timed out listing StatefulSet " + o.statefulset);
        wake.Wait(Millis(200));
        continue;
      }
      auto set_items = sets.Items();
      auto sit = set_items.find(o.statefulset);
      if (sit == set_items.end())
        return finish(kExitFailed, "StatefulSet " + Quote(o.statefulset) + " not found in namespace " + Quote(o.ns) +
                                       "; check the name and -n/--namespace");
      SetView set = ReadSet(sit->second);
      report.replicas = set.replicas;
      report.revision = set.update_revision;
      if (!pods) {
        std::string strategy = kube::GetString(sit->second, {"spec", "updateStrategy", "type"}, "RollingUpdate");
        if (strategy != "OnDelete")
          log::Warn("the StatefulSet's updateStrategy is " + strategy +
                        ": its controller replaces pods itself; capstan roll only replaces what it has left",
                    {{"statefulset", o.statefulset}});
        pods = std::make_unique<kube::Reflector>(
            client, kube::WatchTarget{kube::LookupKind("Pod"), o.ns, set.pod_selector, "", o.watch_timeout}, notify);
        pods->Start();
        events = std::make_unique<kube::Reflector>(
            client, kube::WatchTarget{kube::LookupKind("Event"), o.ns, "", "involvedObject.kind=Pod", o.watch_timeout},
            [&](const std::string& type, const kube::Json& ev, bool initial) {
              if (initial || type == "DELETED" || type == "FAILED") return;
              std::lock_guard<std::mutex> g(events_mu);
              new_events.emplace_back();
              new_events.back().CopyFrom(ev, new_events.back().GetAllocator());
              wake.Notify();
            });
        events->Start();
        log::Info("rolling out StatefulSet " + o.statefulset,
                  {{"statefulset", o.statefulset}, {"namespace", o.ns}, {"replicas", set.replicas},
                   {"revision", set.update_revision}, {"ordered_start", set.ordered_start}});
      }
      if (!pods->synced()) {
        wake.Wait(Millis(200));
        continue;
      }
      // What the cluster shows now.
      auto pod_items = pods->Items();
      StepInput in;
      in.set = set;
      in.max_unavailable = o.max_unavailable > 0 ? o.max_unavailable
                           : set.max_unavailable_annotation > 0 ? set.max_unavailable_annotation
                                                                : 1;
      std::map<std::string, const kube::Json*> by_name;
      for (const auto& [name, pod] : pod_items) {
        PodView v = ReadPod(set.name, pod);
        if (v.ordinal < 0) continue;
        if (deleted_uids.count(v.uid)) v.terminating = true;
        by_name[name] = &pod;
        in.pods.push_back(v);
      }
      Step step = NextStep(in);
      report.current = step.current;
      progress.SetTotals(step.current, set.replicas);
      for (int i = 0; i < set.replicas; ++i) {
        std::string name = set.name + "-" + std::to_string(i);
        auto it = by_name.find(name);
        progress.Pod(name, it == by_name.end() ? nullptr : it->second, set.update_revision);
      }
      {
        std::vector<kube::JsonDoc> evs;
        {
          std::lock_guard<std::mutex> g(events_mu);
          evs.swap(new_events);
        }
        for (const auto& ev : evs)
          if (PodOrdinal(set.name, kube::GetString(ev, {"involvedObject", "name"})) >= 0) progress.Event(ev);
      }
      // Fail fast: a current pod in a state it does not leave by waiting. Not before the controller has observed the
      // set's generation: until then updateRevision is the old one, and after `helm rollback` the failing pod of the
      // bad revision would read as current, when it is the pod the rollback replaces.
      for (const auto& v : in.pods) {
        if (step.action == Step::Action::kWaitController) break;
        if (v.ordinal >= set.replicas || v.terminating || v.revision != set.update_revision) continue;
        auto failure = kube::FatalPodProblem(*by_name[v.name], o.crashloop_restarts);
        if (!failure) {
          unschedulable_since.erase(v.uid);
          continue;
        }
        if (failure->unschedulable) {
          auto [it, fresh] = unschedulable_since.emplace(v.uid, Clock::now());
          if (fresh)
            log::Warn("pod " + v.name + " is unschedulable; waiting up to " + FormatDuration(o.unschedulable_grace) +
                          " for the cluster to make room",
                      {{"pod", v.name}, {"reason", "Unschedulable"}, {"message", failure->message}});
          if (Clock::now() - it->second < o.unschedulable_grace) continue;
        }
        report.failed_pod = v.name;
        report.failed_container = failure->container;
        report.failed_reason = failure->reason;
        return finish(kExitFailed, "rollout of StatefulSet " + o.statefulset + " stopped: " + failure->Describe() +
                                       "; " + std::to_string(step.current) + "/" + std::to_string(set.replicas) +
                                       " pods current, no further pod deleted. Fix the cause (kubectl describe pod " +
                                       v.name + "), then run capstan roll again");
      }
      switch (step.action) {
        case Step::Action::kDone: {
          report.current = set.replicas;
          std::string summary = "StatefulSet " + o.statefulset + ": all " + std::to_string(set.replicas) +
                                " pods current and Ready on revision " + set.update_revision + "; replaced " +
                                std::to_string(report.replaced.size()) +
                                (report.replaced.empty() ? "" : " (" + Join(report.replaced, ", ") + ")") + " in " +
                                FormatDuration(elapsed());
          return finish(kExitOk, summary);
        }
        case Step::Action::kDelete:
          for (size_t i = 0; i < step.delete_pods.size(); ++i) {
            const std::string& name = step.delete_pods[i];
            const std::string& uid = step.delete_uids[i];
            lease.RenewIfDue();  // never delete on a lease we may have lost
            std::string from = kube::GetString(*by_name[name], {"metadata", "labels", "controller-revision-hash"});
            progress.Deleting(name, from, set.update_revision);
            try {
              client.Delete(kube::LookupKind("Pod"), o.ns, name,
                            R"({"kind":"DeleteOptions","apiVersion":"v1","preconditions":{"uid":")" + uid + R"("}})");
              report.replaced.push_back(name);
            } catch (const kube::ApiError& e) {
              // Gone already, or replaced meanwhile (the uid precondition failed): nothing to delete.
              if (e.status() != 404 && e.status() != 409) throw;
              log::Info("pod " + name + " was already replaced", {{"pod", name}, {"status", e.status()}});
            }
            deleted_uids.insert(uid);
          }
          continue;
        case Step::Action::kWaitController:
        case Step::Action::kWait:
          break;
      }
      if (step.waiting_for != last_wait) {
        last_wait = step.waiting_for;
        log::Info("waiting for " + step.waiting_for, {{"statefulset", o.statefulset}});
      }
      if (Clock::now() >= deadline) {
        std::vector<std::string> why;
        for (int i = 0; i < set.replicas; ++i) {
          std::string name = set.name + "-" + std::to_string(i);
          auto it = by_name.find(name);
          if (it == by_name.end()) {
            why.push_back("pod " + name + ": does not exist (yet)");
            continue;
          }
          PodView v = ReadPod(set.name, *it->second);
          if (v.revision == set.update_revision && v.ready) continue;
          kube::PodProblem p = kube::DiagnosePod(*it->second);
          if (v.revision != set.update_revision)
            why.push_back("pod " + name + ": old revision " + v.revision);
          else
            why.push_back("pod " + name + ": " + (p.summary.empty() ? "not Ready" : p.phase + ", " + p.summary));
        }
        if (!why.empty()) report.failed_pod = why.front().substr(4, why.front().find(':') - 4);
        return finish(kExitFailed, "timed out after " + FormatDuration(o.timeout) + " waiting for " +
                                       step.waiting_for + " (" + std::to_string(step.current) + "/" +
                                       std::to_string(set.replicas) + " pods current): " + Join(why, "; "));
      }
      wake.Wait(std::min<Millis>(Millis(1000), std::chrono::duration_cast<Millis>(deadline - Clock::now()) + Millis(1)));
    }
  } catch (const Error& e) {
    return finish(e.exit_code(), e.what());
  }
}

}  // namespace capstan::roll
