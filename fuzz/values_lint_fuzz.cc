// libFuzzer target for `capstan values lint`: the input is a values overlay, optionally followed by a line "%%%" and
// a values.schema.json, linted against a small chart (defaults, a subchart, a renames file) as Helm 3 and Helm 4
// would read it; the findings are rendered in all five formats and the overlay is migrated. Bad input must end
// as findings or a capstan::Error, never a crash, a hang or a sanitizer report.
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "findings/format.h"
#include "util/error.h"
#include "util/file_io.h"
#include "values/lint/linter.h"
#include "values/lint/rename_keys.h"
#include "values/lint/renames.h"

namespace {

const std::string& ChartDir() {
  static const std::string dir = [] {
    std::string tmpl = "/tmp/capstan-lint-fuzz-XXXXXX";
    if (!::mkdtemp(tmpl.data())) abort();
    capstan::WriteFileAtomic(tmpl + "/Chart.yaml",
                             "apiVersion: v2\nname: top\nversion: 1.0.0\ndependencies:\n  - name: sub\n    version: 1\n");
    capstan::WriteFileAtomic(tmpl + "/values.yaml",
                             "replicas: 2\nimage: {repository: nginx, tag: \"1.0\"}\ncountry: SE\nannotations: {}\n"
                             "mode: \"0644\"\nsub: {level: info}\n");
    capstan::WriteFileAtomic(tmpl + "/values.renames.yaml",
                             "renames:\n  - {from: image.name, to: image.repository}\n  - {from: old.a, to: new.b.c}\n"
                             "deprecated:\n  - {key: country, message: gone}\n");
    ::mkdir((tmpl + "/charts").c_str(), 0755);
    ::mkdir((tmpl + "/charts/sub").c_str(), 0755);
    capstan::WriteFileAtomic(tmpl + "/charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 1\n");
    capstan::WriteFileAtomic(tmpl + "/charts/sub/values.yaml", "level: debug\n");
    capstan::WriteFileAtomic(tmpl + "/charts/sub/values.schema.json",
                             "{\"type\":\"object\",\"properties\":{\"level\":{\"enum\":[\"debug\",\"info\"]}}}");
    return tmpl;
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace capstan;
  if (size > 64 * 1024) return 0;
  std::string text(reinterpret_cast<const char*>(data), size);
  size_t sep = text.find("\n%%%\n");
  std::string overlay = sep == std::string::npos ? text : text.substr(0, sep);
  std::string schema = sep == std::string::npos ? std::string() : text.substr(sep + 5);
  const std::string& dir = ChartDir();
  WriteFileAtomic(dir + "/overlay.yaml", overlay);
  if (schema.empty()) ::unlink((dir + "/values.schema.json").c_str());
  else WriteFileAtomic(dir + "/values.schema.json", schema);
  for (int helm : {3, 4}) {
    try {
      values::UserInput in;
      in.value_files = {dir + "/overlay.yaml"};
      values::lint::LintOptions o;
      o.helm_major = helm;
      auto r = values::lint::Lint(dir, in, o);
      findings::Report report;
      report.rules = values::lint::Rules();
      report.inputs = r.inputs;
      report.findings = r.findings;
      for (auto f : {findings::Format::kText, findings::Format::kJson, findings::Format::kSarif,
                     findings::Format::kGithub, findings::Format::kJunit}) {
        std::string out = findings::Render(f, report, {});
        // GitHub annotations are legitimately empty when there is nothing to report.
        if (out.empty() && (f != findings::Format::kGithub || !report.findings.empty())) abort();
      }
    } catch (const Error&) {
    }
  }
  try {
    values::lint::ChartRenames renames = values::lint::LoadRenames(dir);
    values::lint::MigrateResult m = values::lint::MigrateText(overlay, renames);
    // A migrated file must stay a file Helm reads (the reader migrate checks it with).
    if (!values::lint::SourceMap::BuildValues(m.text).ok()) abort();
  } catch (const Error&) {
  }
  return 0;
}
