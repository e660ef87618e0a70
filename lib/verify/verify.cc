#include "verify/verify.h"

#include <thread>


#include "log/log.h"
#include "util/duration.h"
#include "util/json_writer.h"
#include "util/strings.h"

namespace capstan::verify {

std::string DefaultSelector(const std::string& release) { return "app.kubernetes.io/instance=" + release; }

bool VerifyReport::ok() const {
  if (!rolled_out) return false;
  for (const auto& s : smoke)
    if (!s.ok()) return false;
  return true;
}

std::string VerifyReport::Summary() const {
  std::vector<std::string> lines;
  if (!rolled_out) {
    lines.push_back(problem);
    for (const auto& w : workloads)
      if (!w.status.done()) lines.push_back("  " + w.kind + " " + w.name + ": " + w.status.message);
    for (const auto& p : pods) lines.push_back("  pod " + p.pod + " (" + p.phase + "): " + p.summary);
  } else {
    lines.push_back(std::to_string(workloads.size()) + " workload" + (workloads.size() == 1 ? "" : "s") + " rolled out");
  }
  for (const auto& s : smoke) {
    lines.push_back("smoke " + s.check.url + ": " + std::to_string(s.passed) + "/" + std::to_string(s.check.count) +
                    " passed");
    for (const auto& f : s.failures) lines.push_back("  " + f);
  }
  return Join(lines, "\n");
}

std::string VerifyReport::ToJson() const {
  JsonWriter w;
  w.StartObject();
  w.Key("ok");
  w.Bool(ok());
  w.Key("rolledOut");
  w.Bool(rolled_out);
  w.Key("problem");
  w.String(problem);
  w.Key("workloads");
  w.StartArray();
  for (const auto& wl : workloads) {
    w.StartObject();
    w.Key("kind");
    w.String(wl.kind);
    w.Key("name");
    w.String(wl.name);
    w.Key("done");
    w.Bool(wl.status.done());
    w.Key("message");
    w.String(wl.status.message);
    w.EndObject();
  }
  w.EndArray();
  w.Key("unhealthyPods");
  w.StartArray();
  for (const auto& p : pods) {
    w.StartObject();
    w.Key("pod");
    w.String(p.pod);
    w.Key("phase");
    w.String(p.phase);
    w.Key("summary");
    w.String(p.summary);
    w.EndObject();
  }
  w.EndArray();
  w.Key("smoke");
  w.StartArray();
  for (const auto& s : smoke) {
    w.StartObject();
    w.Key("url");
    w.String(s.check.url);
    w.Key("passed");
    w.Int(s.passed);
    w.Key("count");
    w.Int(s.check.count);
    w.Key("failures");
    w.StartArray();
    for (const auto& f : s.failures) w.String(f);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.str();
}

VerifyReport RunVerify(kube::Client& client, const VerifyOptions& o) {
  VerifyReport report;
  const std::string selector = o.selector.empty() ? DefaultSelector(o.release) : o.selector;
  auto deadline = std::chrono::steady_clock::now() + o.timeout;
  std::string last_summary;
  while (true) {
    report.workloads.clear();
    bool failed = false;
    for (const char* kind_name : {"Deployment", "StatefulSet", "DaemonSet"}) {
      const auto& kind = kube::LookupKind(kind_name);
      kube::JsonDoc list = client.List(kind, o.ns, selector);
      for (auto& item : list["items"].GetArray()) {
        if (!item.HasMember("kind")) item.AddMember("kind", rapidjson::Value(kind_name, list.GetAllocator()), list.GetAllocator());
        WorkloadState ws{kind.kind, kube::GetString(item, {"metadata", "name"}), kube::WorkloadRollout(item)};
        failed = failed || ws.status.state == kube::RolloutState::kFailed;
        report.workloads.push_back(std::move(ws));
      }
    }
    size_t waiting = 0;
    std::vector<std::string> msgs;
    for (const auto& w : report.workloads)
      if (!w.status.done()) ++waiting, msgs.push_back(w.status.message);
    if (report.workloads.empty()) {
      report.problem = "no Deployment, StatefulSet or DaemonSet in namespace " + Quote(o.ns) + " matches selector " +
                       Quote(selector) + " (check --selector and the release's labels)";
      return report;
    }
    if (waiting == 0) {
      report.rolled_out = true;
      break;
    }
    std::string summary = Join(msgs, "; ");
    if (summary != last_summary)
      log::Info("waiting for the release's workloads to roll out",
                {{"namespace", o.ns}, {"selector", selector}, {"waiting", static_cast<unsigned long>(waiting)},
                 {"status", summary}});
    last_summary = summary;
    auto now = std::chrono::steady_clock::now();
    if (failed || now >= deadline) {
      report.timed_out = !failed;
      report.problem = failed ? "the rollout failed"
                              : "the release did not roll out within " + FormatDuration(o.timeout) + " (" +
                                    std::to_string(waiting) + " of " + std::to_string(report.workloads.size()) +
                                    " workloads not ready)";
      kube::JsonDoc pods = client.List(kube::LookupKind("Pod"), o.ns, selector);
      report.pods = kube::UnhealthyPods(pods);
      return report;
    }
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(o.interval, deadline - now));
  }
  log::Info("all workloads rolled out", {{"namespace", o.ns}, {"workloads", static_cast<unsigned long>(report.workloads.size())}});
  for (const auto& c : o.checks) {
    SmokeResult r = RunSmokeCheck(c, o.smoke);
    log::Write(r.ok() ? log::Level::kInfo : log::Level::kError, "smoke check",
               {{"url", c.url}, {"passed", r.passed}, {"count", c.count}});
    report.smoke.push_back(std::move(r));
  }
  return report;
}

}  // namespace capstan::verify
