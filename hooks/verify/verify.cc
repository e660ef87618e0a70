// capstan verify: the post-install/post-upgrade gate. Waits for the release's workloads to roll out, runs HTTP
// smoke checks, records the outcome in the release record, and exits 1 with a summary of what is unhealthy.
#include <iostream>

#include "hooks/command.h"
#include "kube/kube_flags.h"
#include "log/log.h"
#include "release/record.h"
#include "util/duration.h"
#include "util/error.h"
#include "util/strings.h"
#include "verify/verify.h"

namespace {

using namespace capstan;

struct Flags {
  kube::KubeFlags kube;
  std::string release;
  std::string selector;
  std::string timeout = "5m";
  std::string interval = "2s";
  std::vector<std::string> checks;
  std::string smoke_ca;
  std::string smoke_timeout = "5s";
  int64_t revision = 0;
  std::vector<std::string> set;
  bool no_record = false;
  size_t max_history = 20;
  std::string output = "text";
};

int Run(Flags& f) {
  verify::VerifyOptions o;
  o.release = f.release;
  o.selector = f.selector;
  o.timeout = ParseDuration(f.timeout);
  o.interval = ParseDuration(f.interval);
  o.smoke.timeout = ParseDuration(f.smoke_timeout);
  o.smoke.ca_file = f.smoke_ca;
  for (const auto& c : f.checks) o.checks.push_back(verify::ParseSmokeCheck(c));
  std::map<std::string, std::string> fields;
  for (const auto& kv : f.set) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos) throw UsageError("--set " + Quote(kv) + ": expected KEY=VALUE");
    release::CheckRecordKey(kv.substr(0, eq));
    fields[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  auto client = kube::MakeClient(f.kube, "verify");
  o.ns = f.kube.ns;
  verify::VerifyReport report = verify::RunVerify(*client, o);
  std::string summary = report.Summary();
  if (f.output == "json")
    std::cout << report.ToJson() << "\n";
  else
    std::cout << (report.ok() ? "verified: " : "NOT verified: ") << summary << "\n";
  if (!f.no_record) {
    if (f.revision <= 0) {
      log::Warn("no --revision given: the outcome is not written to the release record "
                "(pass --revision {{ .Release.Revision }}, or --no-record)");
    } else {
      fields["outcome"] = report.ok() ? "verified" : "failed";
      std::string first = summary.substr(0, summary.find('\n'));
      fields["message"] = first.substr(0, 300);
      auto saved = release::UpdateRecord(*client, o.ns, f.release, [&](release::ReleaseRecord& r) {
        release::UpsertEntry(r, f.revision, fields, f.max_history);
      });
      log::Info("release record updated", {{"configmap", release::RecordName(f.release)},
                                           {"revision", static_cast<long long>(f.revision)},
                                           {"outcome", fields["outcome"]}, {"attempts", saved.attempts}});
    }
  }
  if (!report.ok()) {
    log::Error("release " + f.release + " is not healthy: " + Join(Split(summary, '\n'), " | "));
    return kExitFailed;
  }
  log::Info("release verified", {{"release", f.release}, {"namespace", o.ns}});
  return kExitOk;
}

capstan::hooks::Registration reg(
    "verify", "Post-upgrade gate: wait for the release to roll out, run HTTP smoke checks, record the outcome",
    [](CLI::App& sub) -> capstan::hooks::Runner {
      auto f = std::make_shared<Flags>();
      sub.footer(
          "Example (post-upgrade hook):\n"
          "  capstan verify portal --revision 7 --timeout 5m \\\n"
          "    --check 'http://portal.shop.svc:8080/healthz|status=200|body=ok|count=20'\n"
          "Exit codes: 0 healthy, 1 not healthy (summary on stdout and in the log), 2 usage, 3 API unreachable.");
      sub.add_option("release", f->release, "Release name")->required();
      kube::AddKubeFlags(sub, f->kube);
      sub.add_option("-l,--selector", f->selector,
                     "Label selector of the release's workloads (default app.kubernetes.io/instance=RELEASE)");
      sub.add_option("--timeout", f->timeout, "How long to wait for the rollout")->capture_default_str();
      sub.add_option("--interval", f->interval, "Poll interval")->capture_default_str();
      sub.add_option("--check", f->checks, "Smoke check URL[|status=N][|body=TEXT][|count=N] (repeatable)");
      sub.add_option("--smoke-ca", f->smoke_ca, "CA bundle for https smoke checks (default: system CAs)");
      sub.add_option("--smoke-timeout", f->smoke_timeout, "Timeout of one smoke request")->capture_default_str();
      sub.add_option("--revision", f->revision, "Helm revision to record the outcome under ({{ .Release.Revision }})")
          ->envname("CAPSTAN_REVISION");
      sub.add_option("--set", f->set, "Extra release record field KEY=VALUE (chartVersion, appVersion, ...)");
      sub.add_flag("--no-record", f->no_record, "Do not write the outcome to the release record");
      sub.add_option("--max-history", f->max_history, "Entries kept in the release record")->capture_default_str();
      sub.add_option("-o,--output", f->output, "Output: text or json")->check(CLI::IsMember({"text", "json"}));
      return [f]() { return Run(*f); };
    });

}  // namespace
