// charts/example-portal with the real Helm 3.17.3 and 4.1.4: `helm lint --strict` with every environment overlay,
// the values schema (canonical copy in schemas/, strict about unknown keys), Kubernetes schema validation of every
// rendered and post-rendered object (tests/chart/manifest_tool.py, a Python 3 validator of the subset of JSON Schema
// the standalone-strict Kubernetes schemas use), non-root/read-only containers, the hook order, and the rehearsal's
// digest check: between chart version 1 and 2 exactly the workloads whose configuration changed get a new digest.
#include <catch2/catch.hpp>

#include <rapidjson/document.h>
#include <algorithm>
#include <set>
#include <sstream>

#include "chart_testing.h"
#include "yaml/tree.h"

using namespace capstan;
using namespace capstan::test::chart;
using capstan::test::ProcessOptions;
using capstan::test::ProcessResult;
using capstan::test::TempDir;

namespace {

std::vector<std::string> Overlay(const std::string& env) { return {ValuesDir() + "/custom_values.yaml", EnvFile(env)}; }

ProcessResult Lint(int helm, const std::vector<std::string>& files, const std::vector<std::string>& set = {},
                   const std::string& chart = ChartDir()) {
  std::vector<std::string> argv = {test::Helm(helm), "lint", "--strict", chart};
  for (const auto& f : files) argv.insert(argv.end(), {"-f", f});
  for (const auto& s : set) argv.insert(argv.end(), {"--set", s});
  HelmHome home(3);  // lint needs no plugin
  ProcessOptions o;
  o.env = home.env();
  return test::Run(argv, o);
}

struct Hook {
  std::string events, weight, policy;
};

std::map<std::string, Hook> Hooks(const std::string& stream) {
  TempDir t;
  auto r = ManifestTool({"objects", t.Write("s.yaml", stream)});
  REQUIRE(r.exit_code == 0);
  std::map<std::string, Hook> out;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::istringstream fields(line);
    std::string x;
    while (std::getline(fields, x, '\t')) f.push_back(x);
    f.resize(4);
    if (!f[1].empty()) out[f[0]] = {f[1], f[2], f[3]};
  }
  return out;
}

}  // namespace

TEST_CASE("helm lint --strict passes with every environment overlay on Helm 3 and Helm 4") {
  for (int helm : {3, 4}) {
    for (const auto& env : Environments()) {
      auto r = Lint(helm, Overlay(env));
      INFO("helm " << helm << " lint --strict -f custom_values.yaml -f env/" << env << ".yaml\n" << r.out << r.err);
      CHECK(r.exit_code == 0);
    }
  }
}

TEST_CASE("the values schema is the canonical one, draft-07, and strict about unknown keys") {
  // The canonical copy, the chart's, and the one the values-lint hook ships (Helm keeps values.schema.json out of
  // .Files) must be identical.
  const std::string canonical = test::Slurp(test::SourceDir() + "/schemas/values.schema.json");
  CHECK(canonical == test::Slurp(ChartDir() + "/values.schema.json"));
  CHECK(canonical == test::Slurp(ChartDir() + "/files/values.schema.json"));
  CHECK(test::Slurp(ChartDir() + "/values.schema.json")
            .find("\"$schema\": \"http://json-schema.org/draft-07/schema#\"") != std::string::npos);
  struct Case {
    std::string set, h3, h4;
  };
  std::vector<Case> cases = {
      {"app.replica=3", "Additional property replica is not allowed", "additional properties 'replica' not allowed"},
      {"hooks.backup.keepLast=0", "keepLast", "/hooks/backup/keepLast"},
      {"database.sslmode=verify-full", "caSecret", "caSecret"},
      {"podSecurityContext.runAsNonRoot=false", "runAsNonRoot", "/podSecurityContext/runAsNonRoot"},
  };
  for (const auto& c : cases) {
    for (int helm : {3, 4}) {
      auto r = Lint(helm, Overlay("dev"), {c.set});
      INFO("helm " << helm << " --set " << c.set << "\n" << r.out << r.err);
      CHECK(r.exit_code == 1);
      CHECK(r.out.find(helm == 3 ? c.h3 : c.h4) != std::string::npos);
    }
  }
}

TEST_CASE("every rendered and post-rendered object is a valid Kubernetes v1.31 object, non-root and read-only") {
  HelmHome h3(3), h4(4);
  for (const auto& env : Environments()) {
    for (const HelmHome* home : {&h3, &h4}) {
      for (bool post : {false, true}) {
        RenderOptions o;
        o.values = Overlay(env);
        o.post_render = post;
        TempDir t;
        std::string file = t.Write("stream.yaml", Render(*home, o));
        INFO("helm " << home->helm() << ", env " << env << (post ? ", post-rendered" : ", rendered"));
        auto v = ManifestTool({"validate", K8sSchemas(), file});
        INFO(v.out << v.err);
        CHECK(v.exit_code == 0);
        auto s = ManifestTool({"security", file});
        INFO(s.out << s.err);
        CHECK(s.exit_code == 0);
      }
    }
  }
  SECTION("the validator catches a broken object") {
    TempDir t;
    auto v = ManifestTool({"validate", K8sSchemas(),
                           t.Write("bad.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: x}\n"
                                               "spec: {ports: [{port: \"80\"}], typo: 1}\n")});
    CHECK(v.exit_code == 1);
    CHECK(v.out.find("/spec/ports/0/port: got str, want integer") != std::string::npos);
    CHECK(v.out.find("unknown property 'typo'") != std::string::npos);
  }
}

TEST_CASE("hooks run in order with the right events, weights and delete policies") {
  HelmHome h3(3);
  RenderOptions o;
  o.values = Overlay("production");  // external database, restore on rollback
  o.post_render = false;
  auto hooks = Hooks(Render(h3, o));
  const std::string p = "portal-example-portal-";
  struct Want {
    std::string ref, events, weight, policy;
  };
  std::vector<Want> want = {
      {"ConfigMap/" + p + "hook-checks", "pre-upgrade", "-30", "before-hook-creation"},
      {"Job/" + p + "check-upgrade", "pre-upgrade", "-20", "before-hook-creation,hook-succeeded"},
      {"Job/" + p + "values-lint", "pre-upgrade", "-15", "before-hook-creation,hook-succeeded"},
      {"Job/" + p + "backup", "pre-upgrade", "-10", "before-hook-creation,hook-succeeded"},
      {"ConfigMap/" + p + "migrations", "pre-install,pre-upgrade", "-5", "before-hook-creation"},
      {"Job/" + p + "migrate", "pre-install,pre-upgrade", "0", "before-hook-creation,hook-succeeded"},
      {"Job/" + p + "roll", "post-install,post-upgrade,post-rollback", "5", "before-hook-creation,hook-succeeded"},
      {"Job/" + p + "verify", "post-install,post-upgrade", "10", "before-hook-creation,hook-succeeded"},
      {"Job/" + p + "restore", "pre-rollback", "0", "before-hook-creation,hook-succeeded"},
  };
  CHECK(hooks.size() == want.size());
  int previous_weight = -1000;
  for (const auto& w : want) {
    INFO(w.ref);
    REQUIRE(hooks.count(w.ref));
    CHECK(hooks[w.ref].events == w.events);
    CHECK(hooks[w.ref].weight == w.weight);
    CHECK(hooks[w.ref].policy == w.policy);
    if (w.events.find("pre-upgrade") != std::string::npos) {  // the pre-upgrade chain, strictly ordered
      CHECK(std::stoi(w.weight) > previous_weight);
      previous_weight = std::stoi(w.weight);
    }
  }

  SECTION("the pre-rollback restore picks the restore point for the revision rolled back to, under Helm 3 and 4") {
    // Helm stores each revision's hooks as rendered for it and runs the target revision's on rollback
    // (pkg/action/rollback.go: Hooks: previousRelease.Hooks), so .Release.Revision in them is the target revision;
    // helm template renders revision 1.
    HelmHome h4(4);
    for (const HelmHome* home : {&h3, &h4}) {
      INFO("helm " << home->helm());
      RenderOptions r = o;
      r.post_render = home->helm() == 4;  // Helm 4 also sends hooks through the post-renderer
      std::vector<yaml::Tree> docs = yaml::Tree::ParseAll(Render(*home, r));
      auto job_args = [&](const std::string& name) {
        for (const auto& d : docs)
          if (d.root().Get("kind").scalar() == "Job" && d.root().Get("metadata").Get("name").scalar() == p + name)
            return Strings(d.root().Get("spec").Get("template").Get("spec").Get("containers").At(0).Get("args"));
        FAIL("no Job " << p << name);
        return std::vector<std::string>{};
      };
      auto args = job_args("restore");
      std::vector<std::string> head(args.begin(), args.begin() + std::min<size_t>(args.size(), 7));
      CHECK(head == std::vector<std::string>{"restore", "--backup-root", "/backups", "--release", "portal",
                                             "--for-rollback-to", "1"});
      CHECK(std::find(args.begin(), args.end(), "--id") == args.end());
      auto backup = job_args("backup");
      auto rev = std::find(backup.begin(), backup.end(), "--revision");
      REQUIRE(rev != backup.end());
      CHECK(*(rev + 1) == "1");
      CHECK(std::find(backup.begin(), backup.end(), "--release") != backup.end());
    }
  }

  SECTION("with the in-cluster PostgreSQL the first migration runs post-install, before verify") {
    RenderOptions d;
    d.values = Overlay("dev");
    d.post_render = false;
    auto dev = Hooks(Render(h3, d));
    CHECK(dev["Job/" + p + "migrate"].events == "post-install,pre-upgrade");
    CHECK(dev["ConfigMap/" + p + "migrations"].events == "post-install,pre-upgrade");
    CHECK(std::stoi(dev["Job/" + p + "migrate"].weight) < std::stoi(dev["Job/" + p + "verify"].weight));
    CHECK_FALSE(dev.count("Job/" + p + "restore"));  // restoreOnRollback is off in dev
  }
}

TEST_CASE("upgrade rehearsal, digests: v1 -> v2 rolls exactly the workloads whose configuration changed") {
  HelmHome h3(3), h4(4);
  V2Chart v2;
  const std::string p = "portal-example-portal-";
  for (const HelmHome* home : {&h3, &h4}) {
    INFO("helm " << home->helm());
    RenderOptions o1;
    o1.values = Overlay("dev");  // the chart's own Secret: PostgreSQL and the backup Jobs get digests too
    o1.set = {"hooks.restoreOnRollback.enabled=true"};
    RenderOptions o2 = o1;
    o2.chart = v2.dir();
    o2.values.insert(o2.values.begin(), V2Values());  // version 2's new defaults, under the user's files
    auto before = Digests(Render(*home, o1));
    auto after = Digests(Render(*home, o2));

    // Configuration changed (portal.properties): the app servers and the manager roll. Solr and the content platform
    // (their own ConfigMaps) and PostgreSQL (the password Secret) keep their digests.
    std::set<std::string> changed = {"StatefulSet/" + p + "app", "Deployment/" + p + "manager"};
    std::set<std::string> unchanged = {"StatefulSet/" + p + "postgresql", "StatefulSet/" + p + "solr",
                                       "StatefulSet/" + p + "content"};  // its own ConfigMap, unchanged
    if (home->helm() == 4) {  // Helm 4 sends hooks through the post-renderer too
      changed.insert({"Job/" + p + "check-upgrade", "Job/" + p + "values-lint",  // values + policy hook ConfigMap
                      "Job/" + p + "migrate"});                                  // V2 migration
      unchanged.insert({"Job/" + p + "backup", "Job/" + p + "restore"});          // only the password Secret
    }
    for (const auto& w : changed) {
      INFO(w);
      REQUIRE(before.count(w));
      REQUIRE(after.count(w));
      CHECK(before[w] != after[w]);
    }
    for (const auto& w : unchanged) {
      INFO(w);
      REQUIRE(before.count(w));
      REQUIRE(after.count(w));
      CHECK(before[w] == after[w]);
    }
    // New component in v2, removed component gone.
    CHECK(after.count("Deployment/" + p + "previewer") == 0);  // consumes no ConfigMap/Secret: no digest
    std::set<std::string> all_before, all_after;
    for (const auto& [w, d] : before) all_before.insert(w);
    for (const auto& [w, d] : after) all_after.insert(w);
    std::set<std::string> expected = changed;
    expected.insert(unchanged.begin(), unchanged.end());
    CHECK(all_before == expected);  // no workload we did not think about
    CHECK(all_after == expected);
  }
}

TEST_CASE("the post-renderer reports no risk on the production overlay, only the Secrets kept outside the chart") {
  HelmHome h3(3), h4(4);
  for (const HelmHome* home : {&h3, &h4}) {
    INFO("helm " << home->helm());
    TempDir t;
    RenderOptions o;
    o.values = Overlay("production");
    o.post_args = {"--report=" + t.path() + "/report.json"};
    Render(*home, o);
    rapidjson::Document report;
    report.Parse(test::Slurp(t.path() + "/report.json").c_str());
    REQUIRE(!report.HasParseError());
    REQUIRE(report.HasMember("findings"));
    size_t warnings = 0;
    for (const auto& f : report["findings"].GetArray()) {
      std::string severity = f["severity"].GetString(), message = f["message"].GetString();
      INFO(f["object"].GetString() << ": " << severity << " " << f["code"].GetString() << ": " << message);
      CHECK(severity != "error");
      if (severity != "warning") continue;
      ++warnings;
      // The only warnings: the existingSecret and the CA Secret, which production keeps outside the chart.
      CHECK(std::string(f["code"].GetString()) == "missing-reference");
      CHECK((message.rfind("Secret/portal-db-production ", 0) == 0 || message.rfind("Secret/portal-db-ca ", 0) == 0));
    }
    // 2 Secrets x (app servers, manager); Helm 4 also post-renders the hooks: + backup, migrate, restore Jobs.
    CHECK(warnings == (home->helm() == 3 ? 4u : 10u));

    // The check mode: no upgrade risk at warning level or above (intended single replicas are accepted).
    RenderOptions plain;
    plain.values = Overlay("production");
    plain.post_args = {"--no-checksum"};
    std::string rendered = Render(*home, plain);
    test::ProcessOptions po;
    po.stdin_data = rendered;
    auto check = test::Run({test::Binary("capstan-postrender"), "--check", "--fail-on", "warning", "-o", "json"}, po);
    INFO(check.out << check.err);
    CHECK(check.exit_code == 0);
    CHECK(check.out.find("\"single-replica\"") != std::string::npos);  // reported as accepted (info)
  }
}
