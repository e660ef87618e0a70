// Runs every required test of the official JSON-Schema-Test-Suite (draft7, draft2019-09, draft2020-12; not
// optional/) with the suite's remotes registered under http://localhost:1234/. Prints the pass rate per draft and
// requires >= 99% per draft. Tests listed in skipped.tsv are not run and count as failures.
#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include "jsonschema/validator.h"
#include "support/test_support.h"
#include "util/file_io.h"

namespace js = capstan::jsonschema;

namespace {

std::string SuiteDir() { return capstan::test::SharedDir() + "/testdata/json-schema-test-suite"; }

void ListFiles(const std::string& dir, const std::string& rel, std::vector<std::string>& out) {
  DIR* d = opendir(dir.c_str());
  if (!d) return;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::string path = dir + "/" + name;
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) ListFiles(path, rel + name + "/", out);
    else if (name.size() > 5 && name.substr(name.size() - 5) == ".json") out.push_back(rel + name);
  }
  closedir(d);
  std::sort(out.begin(), out.end());
}

rapidjson::Document ParseFile(const std::string& path) {
  std::string text = capstan::ReadFile(path);
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseFullPrecisionFlag>(text.c_str(), text.size());
  if (doc.HasParseError()) FAIL("cannot parse " << path);
  return doc;
}

const js::Registry& Remotes() {
  static const js::Registry reg = [] {
    js::Registry r;
    std::vector<std::string> files;
    ListFiles(SuiteDir() + "/remotes", "", files);
    for (const auto& f : files) r.AddFile(SuiteDir() + "/remotes/" + f, "http://localhost:1234/" + f);
    return r;
  }();
  return reg;
}

struct Skip {
  std::string draft, file, description, reason;
};

std::vector<Skip> LoadSkips() {
  std::vector<Skip> out;
  std::ifstream in(capstan::test::SourceDir() + "/tests/jsonschema/skipped.tsv");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    if (cols.size() >= 4) out.push_back({cols[0], cols[1], cols[2], cols[3]});
  }
  return out;
}

struct Result {
  int total = 0, passed = 0, skipped = 0;
  std::vector<std::string> failures;
};

Result RunDraft(const std::string& draft, js::Draft default_draft) {
  Result r;
  std::vector<Skip> skips = LoadSkips();
  std::vector<std::string> files;
  std::string dir = SuiteDir() + "/tests/" + draft;
  ListFiles(dir, "", files);
  for (const auto& file : files) {
    if (file.rfind("optional/", 0) == 0) continue;
    rapidjson::Document groups = ParseFile(dir + "/" + file);
    for (const auto& group : groups.GetArray()) {
      std::string gdesc = group["description"].GetString();
      std::optional<js::Schema> schema;
      std::string compile_error;
      try {
        js::Options o;
        o.default_draft = default_draft;
        schema = js::Schema::Compile(group["schema"], "", Remotes(), o);
      } catch (const std::exception& e) {
        compile_error = e.what();
      }
      for (const auto& test : group["tests"].GetArray()) {
        std::string tdesc = test["description"].GetString();
        std::string id = file + " | " + gdesc + " | " + tdesc;
        ++r.total;
        bool skipped = std::any_of(skips.begin(), skips.end(), [&](const Skip& s) {
          return s.draft == draft && s.file == file && (s.description == gdesc || s.description == gdesc + " :: " + tdesc);
        });
        if (skipped) {
          ++r.skipped;
          r.failures.push_back("SKIPPED " + id);
          continue;
        }
        if (!schema) {
          r.failures.push_back(id + " (schema rejected: " + compile_error + ")");
          continue;
        }
        bool want = test["valid"].GetBool();
        bool fast = schema->IsValid(test["data"]);
        auto errors = schema->Validate(test["data"]);
        bool full = errors.empty();
        if (fast == want && full == want) {
          ++r.passed;
        } else {
          std::string why = "want " + std::string(want ? "valid" : "invalid") + ", IsValid=" +
                            (fast ? "valid" : "invalid") + ", Validate=" + (full ? "valid" : "invalid");
          if (!errors.empty()) why += " [" + errors[0].keyword_location + ": " + errors[0].message + "]";
          r.failures.push_back(id + " (" + why + ")");
        }
      }
    }
  }
  return r;
}

void Check(const std::string& draft, js::Draft d) {
  Result r = RunDraft(draft, d);
  double rate = r.total ? 100.0 * r.passed / r.total : 0;
  std::printf("JSON-Schema-Test-Suite %s: %d/%d passed (%.2f%%), %d skipped\n", draft.c_str(), r.passed, r.total, rate,
              r.skipped);
  for (const auto& f : r.failures) std::printf("  FAIL %s\n", f.c_str());
  std::fflush(stdout);
  REQUIRE(r.total > 100);
  REQUIRE(rate >= 99.0);
}

}  // namespace

TEST_CASE("official suite: draft7", "[suite]") { Check("draft7", js::Draft::k07); }
TEST_CASE("official suite: draft2019-09", "[suite]") { Check("draft2019-09", js::Draft::k2019_09); }
TEST_CASE("official suite: draft2020-12", "[suite]") { Check("draft2020-12", js::Draft::k2020_12); }
