// A subchart used twice (or three times) under aliases, with import-values at every level, against the real Helm
// 3.17.3 and 4.1.4: `helm template` of `{{ toJson .Values }}` must equal `capstan values merge`. Helm 3 shares the
// subchart's own Chart.yaml dependencies between the alias copies, so only the first alias imports its children's
// values; Helm 4 copies them (but still shares an undeclared subchart's). See lib/values/engine.cc AliasCopy.
// `values explain` must list an import exactly where it took effect.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "support/test_support.h"
#include "util/error.h"
#include "values/engine.h"
#include "values/helm_template.h"
#include "values/output.h"

namespace {

using namespace capstan;
using namespace capstan::test;

std::string HelmJson(int major, const TempDir& home, const std::string& chart, const std::vector<std::string>& args) {
  HelmTemplateRun r = HelmTemplate(major, home.path(), chart, args);
  INFO("helm " << major << ": " << r.error);
  REQUIRE(r.ok);
  return r.line;
}

values::MergeResult Ours(int major, const std::string& chart, const values::UserInput& input = {}) {
  values::Options opts;
  opts.helm_major = major;
  auto loaded = values::LoadChart(chart, major);
  return values::ComputeValues(*loaded, input, opts);
}

std::string ChartYaml(const std::string& name, const std::string& deps = "") {
  return "apiVersion: v2\nname: " + name + "\nversion: 0.1.0\n" + (deps.empty() ? "" : "dependencies:\n" + deps);
}

// One dependency entry: `repository: ""` (charts/), an optional alias, condition and import-values block.
std::string Dep(const std::string& name, const std::string& alias, const std::string& imports,
                const std::string& condition = "") {
  std::string out = "- name: " + name + "\n  version: 0.1.0\n  repository: \"\"\n";
  if (!alias.empty()) out += "  alias: " + alias + "\n";
  if (!condition.empty()) out += "  condition: " + condition + "\n";
  if (!imports.empty()) out += "  import-values:\n" + imports;
  return out;
}

// Both forms: a string naming a table under `exports`, and a {child, parent} map.
std::string BothForms(const std::string& exported, const std::string& child, const std::string& parent) {
  return "  - " + exported + "\n  - child: " + child + "\n    parent: " + parent + "\n";
}

struct Scenario {
  std::string name;
  std::vector<std::string> args;  // helm flags (the same given to us)
  values::UserInput input;
};

// The charts, written under dir/<scenario>. `sub` is aliased by the parent; `gc` is sub's declared dependency with
// imports of its own; `ggc` is gc's; `u` sits in sub's charts/ without being declared and imports from `uc`.
void WriteScenario(const TempDir& dir, const std::string& s) {
  const std::string p = s + "/";
  dir.Write(p + "templates/v.yaml", "# values\n#P {{ toJson .Values }}\n");
  std::string aliases = s == "three" ? "abc" : "ab";
  std::string deps;
  for (char a : aliases) {
    std::string al(1, a);
    deps += Dep("sub", al, BothForms("data", "cfg", "from_" + al));
  }
  dir.Write(p + "Chart.yaml", ChartYaml("top", deps));
  dir.Write(p + "values.yaml", "own: 1\n");
  std::string sub_deps;
  if (s == "alias_inside") {
    sub_deps = Dep("gc", "g", BothForms("gdata", "gcfg", "fromGc"));
  } else if (s == "condition") {
    sub_deps = Dep("gc", "", BothForms("gdata", "gcfg", "fromGc"), "gc.enabled");
  } else if (s == "undeclared") {
    sub_deps = Dep("gc", "", "");
  } else {
    sub_deps = Dep("gc", "", BothForms("gdata", "gcfg", "fromGc"));
  }
  dir.Write(p + "charts/sub/Chart.yaml", ChartYaml("sub", sub_deps));
  dir.Write(p + "charts/sub/values.yaml", "exports:\n  data:\n    shared: 1\ncfg:\n  k: v\n");
  std::string gc_deps = s == "deep" ? Dep("ggc", "", "  - child: deep\n    parent: fromGgc\n") : "";
  dir.Write(p + "charts/sub/charts/gc/Chart.yaml", ChartYaml("gc", gc_deps));
  dir.Write(p + "charts/sub/charts/gc/values.yaml",
            "exports:\n  gdata:\n    gshared: 2\ngcfg:\n  gk: gv\nenabled: true\n");
  if (s == "deep") {
    dir.Write(p + "charts/sub/charts/gc/charts/ggc/Chart.yaml", ChartYaml("ggc"));
    dir.Write(p + "charts/sub/charts/gc/charts/ggc/values.yaml", "deep:\n  d: 3\n");
  }
  if (s == "undeclared") {
    dir.Write(p + "charts/sub/charts/u/Chart.yaml", ChartYaml("u", Dep("uc", "", BothForms("udata", "ucfg", "fromUc"))));
    dir.Write(p + "charts/sub/charts/u/charts/uc/Chart.yaml", ChartYaml("uc"));
    dir.Write(p + "charts/sub/charts/u/charts/uc/values.yaml", "exports:\n  udata:\n    ushared: 4\nucfg:\n  uk: uv\n");
  }
}

std::vector<Scenario> Scenarios() {
  std::vector<Scenario> out;
  for (std::string s : {"plain", "three", "deep", "alias_inside", "undeclared"}) out.push_back({s, {}, {}});
  Scenario c{"condition", {"--set", "a.gc.enabled=false"}, {}};
  c.input.set = {"a.gc.enabled=false"};
  out.push_back(c);
  Scenario c2{"condition", {"--set", "b.gc.enabled=false"}, {}};
  c2.input.set = {"b.gc.enabled=false"};
  out.push_back(c2);
  return out;
}

}  // namespace

TEST_CASE("a subchart under two or three aliases imports as Helm 3 and Helm 4 do", "[helm][values]") {
  TempDir dir;
  TempDir home;
  for (const auto& s : Scenarios()) WriteScenario(dir, s.name);
  for (int major : {3, 4}) {
    for (const auto& s : Scenarios()) {
      std::string chart = dir.path() + "/" + s.name;
      std::string helm = HelmJson(major, home, chart, s.args);
      std::string ours = values::ToJson(Ours(major, chart, s.input).values);
      INFO("helm " << major << ", scenario " << s.name << " " << (s.args.empty() ? "" : s.args[1]));
      CHECK(ours == helm);
    }
  }
}

TEST_CASE("the Helm 3 alias import quirk as measured, and explain shows imports where they took effect",
          "[helm][values]") {
  TempDir dir;
  TempDir home;
  WriteScenario(dir, "plain");
  std::string chart = dir.path() + "/plain";
  // The measured difference, pinned: Helm 3 imports from gc into the first alias only.
  std::string h3 = HelmJson(3, home, chart, {});
  std::string h4 = HelmJson(4, home, chart, {});
  CHECK(h3.find(R"("b":{"cfg":{"k":"v"},"exports":{"data":{"shared":1}},"gc":)") != std::string::npos);
  CHECK(h4.find(R"("b":{"cfg":{"k":"v"},"exports":{"data":{"shared":1}},"fromGc":{"gk":"gv"},"gc":)") !=
        std::string::npos);
  for (int major : {3, 4}) {
    auto r = Ours(major, chart);
    auto loaded = values::LoadChart(chart, major);
    INFO("helm " << major);
    // The parent's own imports: both aliases, both majors.
    for (std::string a : {"a", "b"}) {
      auto from = values::Explain(r, *loaded, {"from_" + a, "k"});
      REQUIRE(from.size() == 1);
      CHECK(from[0].origin.Location() == chart + "/charts/sub/values.yaml:5:3");
      CHECK(from[0].via == "import-values " + a + ".cfg -> from_" + a);
      auto shared = values::Explain(r, *loaded, {"shared"});
      CHECK(shared.size() == 2);  // from a and from b (a's wins: imports coalesce, the first one kept)
    }
    // The subchart's imports from gc: a always, b only with Helm 4.
    auto a_gc = values::Explain(r, *loaded, {"a", "fromGc", "gk"});
    REQUIRE(a_gc.size() == 1);
    CHECK(a_gc[0].origin.Location() == chart + "/charts/sub/charts/gc/values.yaml:5:3");
    CHECK(a_gc[0].via == "import-values gc.gcfg -> fromGc");
    auto a_gshared = values::Explain(r, *loaded, {"a", "gshared"});
    REQUIRE(a_gshared.size() == 1);
    CHECK(a_gshared[0].via == "import-values gc.exports.gdata");
    auto b_gc = values::Explain(r, *loaded, {"b", "fromGc", "gk"});
    auto b_gshared = values::Explain(r, *loaded, {"b", "gshared"});
    CHECK(b_gc.size() == (major == 3 ? 0u : 1u));
    CHECK(b_gshared.size() == (major == 3 ? 0u : 1u));
    CHECK((r.values.FindPath({"b", "fromGc"}) != nullptr) == (major == 4));
  }
}
