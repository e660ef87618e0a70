// capstan plan OLD NEW: which workloads an upgrade rolls, and why (a ConfigMap/Secret key, an image, another pod
// template field), plus the workloads added and removed. OLD and NEW are each a rendered manifest stream (helm
// template output, post-rendered or not; "-" reads standard input) or a capstan-postrender --report (told apart by
// content). The work is in lib/plan; docs/plan.md.
#include <unistd.h>

#include <iostream>
#include <memory>

#include "hooks/command.h"
#include "log/log.h"
#include "plan/render.h"
#include "plan/report_json.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/strings.h"

namespace {

using namespace capstan;

struct Flags {
  std::string old_input, new_input;
  std::string output = "text";
  std::string ns;
  std::string hmac_key_file;
  bool exit_code = false;
};

std::vector<plan::Fingerprint> Load(const std::string& path, const plan::FingerprintOptions& options) {
  std::string name = path == "-" ? "standard input" : path;
  std::string text = path == "-" ? ReadAllLimited(0, kMaxInputFileBytes, "standard input") : ReadFile(path);
  if (plan::IsReport(text)) {
    log::Debug(name + ": a capstan-postrender report");
    return plan::ReadReport(text, name);
  }
  if (Trim(text).empty())
    throw UsageError(name + " is empty: give a rendered manifest stream (helm template ... > FILE) or a "
                     "capstan-postrender --report file");
  log::Debug(name + ": a rendered manifest stream");
  return plan::FingerprintStream(text, options, name);
}

int Run(const Flags& f) {
  if (f.old_input == "-" && f.new_input == "-")
    throw UsageError("OLD and NEW cannot both be standard input ('-'): give one of them as a file");
  plan::FingerprintOptions options;
  options.release_namespace = f.ns;
  if (!f.hmac_key_file.empty()) {
    options.hmac_key = ReadFile(f.hmac_key_file);
    while (!options.hmac_key.empty() && (options.hmac_key.back() == '\n' || options.hmac_key.back() == '\r'))
      options.hmac_key.pop_back();
    if (options.hmac_key.empty())
      throw UsageError("--hmac-key-file " + f.hmac_key_file + " is empty: give the key capstan-postrender used");
  }
  std::vector<plan::Fingerprint> old_release = Load(f.old_input, options);
  std::vector<plan::Fingerprint> new_release = Load(f.new_input, options);
  plan::Plan p = plan::Compare(old_release, new_release);
  if (f.output == "json") std::cout << plan::RenderJson(p);
  else if (f.output == "markdown") std::cout << plan::RenderMarkdown(p);
  else std::cout << plan::RenderText(p);
  std::cout.flush();
  log::Debug("plan computed", {{"rolls", static_cast<long long>(p.Count(plan::Status::kRolls))},
                               {"added", static_cast<long long>(p.Count(plan::Status::kAdded))},
                               {"removed", static_cast<long long>(p.Count(plan::Status::kRemoved))}});
  return f.exit_code && p.Changes() ? kExitFailed : kExitOk;
}

capstan::hooks::Registration reg(
    "plan", "Which workloads an upgrade rolls and why (config key, image, template field), added and removed",
    [](CLI::App& sub) -> capstan::hooks::Runner {
      auto f = std::make_shared<Flags>();
      sub.footer("Examples:\n"
                 "  helm template portal charts/portal -f v1.yaml > old.yaml\n"
                 "  helm template portal charts/portal -f v2.yaml > new.yaml\n"
                 "  capstan plan old.yaml new.yaml                 (text for a terminal)\n"
                 "  capstan plan old.yaml new.yaml -o markdown     (a pull-request comment)\n"
                 "  capstan plan previous-report.json report.json  (two capstan-postrender --report files)\n"
                 "  helm template ... | capstan plan old.yaml -    (NEW on standard input)\n"
                 "Exit codes: 0 (whatever rolls: it is a plan); with --exit-code 1 when a workload rolls, is added "
                 "or removed; 2 usage or an unreadable file; 1 a stream that is not YAML.");
      sub.add_option("OLD", f->old_input, "The release deployed now: a rendered stream or a --report file ('-': stdin)")
          ->required();
      sub.add_option("NEW", f->new_input, "The release to deploy: a rendered stream or a --report file ('-': stdin)")
          ->required();
      sub.add_option("-o,--output", f->output, "Output: text, json or markdown")
          ->check(CLI::IsMember({"text", "json", "markdown"}));
      sub.add_option("-n,--namespace", f->ns, "Namespace of objects without one in a stream (as helm -n)")
          ->envname("HELM_NAMESPACE");
      sub.add_option("--hmac-key-file", f->hmac_key_file,
                     "The key capstan-postrender's report digests were made with, to compare such a report with a "
                     "stream");
      sub.add_flag("--exit-code", f->exit_code, "Exit 1 when the plan is not empty (like git diff --exit-code)");
      return [f]() { return Run(*f); };
    });

}  // namespace
