// capstan record: add fields to the release record (ConfigMap capstan-release-<release>) from any hook, e.g. the
// backup Job: capstan record portal --revision 7 --set restorePoint=pg-20260101-0300. --show prints the record.
#include <iostream>

#include "hooks/command.h"
#include "kube/kube_flags.h"
#include "log/log.h"
#include "release/record.h"
#include "util/error.h"
#include "util/strings.h"

namespace {

using namespace capstan;

struct Flags {
  kube::KubeFlags kube;
  std::string release;
  int64_t revision = 0;
  std::vector<std::string> set;
  std::string outcome;
  bool show = false;
  size_t max_history = 20;
};

std::string EntriesJson(const release::ReleaseRecord& r) {
  kube::JsonDoc cm = release::RecordToConfigMap(r, "");
  return kube::GetString(cm, {"data", "history"});
}

int Run(Flags& f) {
  std::map<std::string, std::string> fields;
  for (const auto& kv : f.set) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos) throw UsageError("--set " + Quote(kv) + ": expected KEY=VALUE (e.g. restorePoint=ID)");
    release::CheckRecordKey(kv.substr(0, eq));
    fields[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  if (!f.outcome.empty()) fields["outcome"] = f.outcome;
  if (fields.count("outcome")) release::CheckOutcome(fields["outcome"]);
  if (!f.show && fields.empty()) throw UsageError("nothing to record: give --set KEY=VALUE or --outcome (or --show)");
  if (!f.show && f.revision <= 0)
    throw UsageError("--revision is required to record (pass {{ .Release.Revision }} or set CAPSTAN_REVISION)");
  auto client = kube::MakeClient(f.kube, "record");
  if (f.show) {
    auto r = release::ReadRecord(*client, f.kube.ns, f.release);
    if (!r) {
      log::Error("no release record " + release::RecordName(f.release) + " in namespace " + f.kube.ns);
      return kExitFailed;
    }
    if (fields.empty()) {
      std::cout << EntriesJson(*r) << "\n";
      return kExitOk;
    }
  }
  auto saved = release::UpdateRecord(*client, f.kube.ns, f.release, [&](release::ReleaseRecord& r) {
    release::UpsertEntry(r, f.revision, fields, f.max_history);
  });
  log::Info("release record updated", {{"configmap", release::RecordName(f.release)},
                                       {"namespace", f.kube.ns},
                                       {"revision", static_cast<long long>(f.revision)},
                                       {"fields", Join([&] {
                                          std::vector<std::string> keys;
                                          for (const auto& [k, v] : fields) keys.push_back(k);
                                          return keys;
                                        }(), ",")},
                                       {"attempts", saved.attempts}});
  if (f.show) std::cout << EntriesJson(saved.record) << "\n";
  return kExitOk;
}

capstan::hooks::Registration reg(
    "record", "Add fields (restorePoint, schemaVersion, ...) to the release record, or show it",
    [](CLI::App& sub) -> capstan::hooks::Runner {
      auto f = std::make_shared<Flags>();
      sub.footer("Examples:\n"
                 "  capstan record portal --revision 7 --set restorePoint=pg-20260101-0300   # backup Job\n"
                 "  capstan record portal --revision 7 --set schemaVersion=42                # migrate Job\n"
                 "  capstan record portal --show\n"
                 "Fields: " + Join(release::RecordKeys(), ", "));
      sub.add_option("release", f->release, "Release name")->required();
      kube::AddKubeFlags(sub, f->kube);
      sub.add_option("--revision", f->revision, "Helm revision of the entry ({{ .Release.Revision }})")
          ->envname("CAPSTAN_REVISION");
      sub.add_option("--set", f->set, "Field KEY=VALUE (repeatable)");
      sub.add_option("--outcome", f->outcome, "pending, verified or failed");
      sub.add_flag("--show", f->show, "Print the history (JSON) after any update");
      sub.add_option("--max-history", f->max_history, "Entries kept")->capture_default_str();
      return [f]() { return Run(*f); };
    });

}  // namespace
