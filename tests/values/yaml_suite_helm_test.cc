// Differential test of the values reader on the whole YAML test suite (github.com/yaml/yaml-test-suite, fetched
// by scripts/setup.sh into .deps/yaml-test-suite): every case's YAML is given to the real Helm 3.17.3 and 4.1.4,
// once as a `-f` file and once as a chart's values.yaml, and to capstan's values engine. Both must accept or both
// refuse; when both accept, the values (Helm's `toJson .Values`) must be byte-identical, and when both refuse,
// Helm's reason (the text after its "failed to parse F: " or "cannot load values.yaml: ") must be ours word for
// word; `values lint` must report a "yaml" error with the line exactly when Helm refuses a -f file. Any
// disagreement fails with the case id and both outputs.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "support/test_support.h"
#include "util/error.h"
#include "values/chart.h"
#include "values/engine.h"
#include "values/helm_template.h"
#include "values/lint/linter.h"
#include "values/output.h"

namespace {

using namespace capstan;
using namespace capstan::test;

struct SuiteCase {
  std::string id;
  bool fail = false;  // the suite says the YAML is invalid
  std::string name;
  std::string yaml;
};

std::string SuiteDir() { return std::string(CAPSTAN_DEPS_DIR) + "/yaml-test-suite/cases"; }

std::vector<SuiteCase> LoadSuite() {
  std::vector<SuiteCase> cases;
  std::ifstream index(SuiteDir() + "/index.tsv");
  std::string line;
  while (std::getline(index, line)) {
    std::istringstream row(line);
    SuiteCase c;
    std::string fail;
    std::getline(row, c.id, '\t');
    std::getline(row, fail, '\t');
    std::getline(row, c.name);
    c.fail = fail == "1";
    c.yaml = Slurp(SuiteDir() + "/" + c.id + ".yaml");
    cases.push_back(std::move(c));
  }
  return cases;
}

// What one side says: the values as JSON, or the reason it refused.
struct Outcome {
  bool ok = false;
  std::string text;
};

// Helm's and our messages start with where the file was read ("failed to parse /tmp/x/f.yaml: ", "cannot load
// values.yaml: "): compare from the reason on.
std::string Reason(const std::string& message) {
  for (const char* start : {"cannot unmarshal yaml document: ", "error reading yaml document: ",
                            "error converting YAML to JSON: ", "error unmarshaling JSON: "}) {
    size_t p = message.find(start);
    if (p != std::string::npos) return message.substr(p);
  }
  return message;
}

Outcome RunHelm(int major, const std::string& home, const std::string& chart, const std::string& file) {
  std::vector<std::string> args;
  if (!file.empty()) args = {"-f", file};
  HelmTemplateRun r = HelmTemplate(major, home, chart, args);
  return {r.ok, r.ok ? r.line : Reason(r.error)};
}

Outcome RunOurs(int major, const std::string& chart_dir, const std::string& file) {
  Outcome o;
  try {
    values::Options opts;
    opts.helm_major = major;
    auto chart = values::LoadChart(chart_dir, major);
    values::UserInput input;
    if (!file.empty()) input.value_files.push_back(file);
    o.text = values::ToJson(values::ComputeValues(*chart, input, opts).values);
    o.ok = true;
  } catch (const Error& e) {
    o.text = Reason(e.what());
  }
  return o;
}

// `capstan values lint -f file`: the "yaml" finding (file:line and the reason) when Helm cannot read the file.
Outcome LintOurs(int major, const std::string& chart_dir, const std::string& file) {
  values::lint::LintOptions opts;
  opts.helm_major = major;
  values::UserInput input;
  input.value_files.push_back(file);
  values::lint::LintResult r = values::lint::Lint(chart_dir, input, opts);
  for (const auto& f : r.findings)
    if (f.rule == "yaml") return {false, f.file + ":" + std::to_string(f.line) + ": " + f.message};
  return {true, ""};
}

void WriteChart(const TempDir& dir, const std::string& name, const std::string& values) {
  dir.Write(name + "/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n");
  dir.Write(name + "/templates/out.txt", "#P {{ toJson .Values }}\n");
  if (!values.empty()) dir.Write(name + "/values.yaml", values);
}

void Differential(int major) {
  std::vector<SuiteCase> cases = LoadSuite();
  INFO("the YAML test suite is fetched by scripts/setup.sh into " << SuiteDir());
  REQUIRE(cases.size() >= 400);
  TempDir dir, home;
  WriteChart(dir, "plain", "");
  std::vector<std::string> mismatches(cases.size() * 2);
  std::atomic<size_t> next{0};
  std::atomic<int> accepted{0}, refused{0};
  auto worker = [&] {
    for (size_t i = next++; i < cases.size(); i = next++) {
      const SuiteCase& c = cases[i];
      std::string file = dir.Write("f/" + c.id + ".yaml", c.yaml);
      std::string chart = "chart-" + c.id;
      WriteChart(dir, chart, c.yaml.empty() ? "\n" : c.yaml);
      struct Mode {
        const char* what;
        std::string chart, file;
      } modes[] = {{"as a -f file", dir.path() + "/plain", file}, {"as values.yaml", dir.path() + "/" + chart, ""}};
      for (int m = 0; m < 2; ++m) {
        Outcome helm = RunHelm(major, home.path(), modes[m].chart, modes[m].file);
        Outcome ours = RunOurs(major, modes[m].chart, modes[m].file);
        (helm.ok ? accepted : refused)++;
        std::string lint_problem;
        if (modes[m].file.size()) {  // lint never refuses what Helm reads, and refuses with a line what it does not
          Outcome lint = LintOurs(major, modes[m].chart, modes[m].file);
          if (lint.ok != helm.ok) lint_problem = lint.ok ? "lint finds no yaml error" : "lint refuses: " + lint.text;
          else if (!lint.ok && helm.text.find("line ") != std::string::npos && lint.text.find(":0: ") != std::string::npos)
            lint_problem = "lint names no line: " + lint.text;
        }
        if (helm.ok == ours.ok && helm.text == ours.text && lint_problem.empty()) continue;
        std::ostringstream out;
        out << c.id << " (" << c.name << ", suite: " << (c.fail ? "invalid" : "valid") << ") " << modes[m].what
            << ":\n  helm " << major << (helm.ok ? " reads " : " refuses: ") << helm.text << "\n  capstan"
            << (ours.ok ? " reads " : " refuses: ") << ours.text;
        if (!lint_problem.empty()) out << "\n  " << lint_problem;
        out << "\n  yaml: " << c.yaml.substr(0, 300);
        mismatches[i * 2 + static_cast<size_t>(m)] = out.str();
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  int failed = 0;
  for (const auto& m : mismatches) {
    if (m.empty()) continue;
    ++failed;
    UNSCOPED_INFO(m);
  }
  INFO("helm " << major << " read " << accepted << " and refused " << refused << " of " << cases.size() * 2
               << " inputs; " << failed << " disagreements");
  CHECK(failed == 0);
}

}  // namespace

TEST_CASE("yaml test suite: values read as Helm 3.17.3 reads them, case by case") { Differential(3); }

TEST_CASE("yaml test suite: values read as Helm 4.1.4 reads them, case by case") { Differential(4); }
