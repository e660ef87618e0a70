// The values engine beyond the documented examples: dependency conditions and tags, aliases, import-values,
// packaged (.tgz) subcharts, explain (which layers set a path) and diff (upgrade findings), and the `capstan values`
// command line (output formats, exit codes, error messages).
#include <catch2/catch.hpp>

#include <filesystem>

#include "support/test_support.h"
#include "util/error.h"
#include "values/diff.h"
#include "values/engine.h"
#include "values/output.h"

namespace {

using namespace capstan;
using namespace capstan::values;
using capstan::test::TempDir;

MergeResult Merge(const std::string& chart_dir, const UserInput& in, int helm = 4) {
  Options o;
  o.helm_major = helm;
  auto chart = LoadChart(chart_dir, helm);
  return ComputeValues(*chart, in, o);
}

void WriteDeps(const TempDir& d) {
  d.Write("p/Chart.yaml",
          "apiVersion: v2\nname: p\nversion: 1.0.0\ndependencies:\n"
          "- name: db\n  version: 1.x\n  condition: db.enabled,global.db\n  tags: [storage]\n"
          "- name: cache\n  version: 1.0.0\n  alias: redis\n  import-values:\n  - child: info\n    parent: fromCache\n"
          "  - data\n");
  d.Write("p/values.yaml", "db:\n  enabled: true\nfromCache:\n  mine: parent\n");
  d.Write("p/charts/db/Chart.yaml", "apiVersion: v2\nname: db\nversion: 1.2.0\n");
  d.Write("p/charts/db/values.yaml", "port: 5432\n");
  d.Write("p/charts/cache/Chart.yaml", "apiVersion: v2\nname: cache\nversion: 1.0.0\n");
  d.Write("p/charts/cache/values.yaml",
          "info:\n  mine: child\n  size: 10\nexports:\n  data:\n    cacheHost: redis-master\n");
}

}  // namespace

TEST_CASE("dependencies: conditions, tags, alias and import-values", "[values][deps]") {
  TempDir d;
  WriteDeps(d);
  std::string chart = d.path() + "/p";
  auto r = Merge(chart, {});
  CHECK(ToJson(r.values) ==
        R"({"cacheHost":"redis-master","db":{"enabled":true,"global":{},"port":5432},)"
        R"("fromCache":{"mine":"parent","size":10},"redis":{"exports":{"data":{"cacheHost":"redis-master"}},)"
        R"("global":{},"info":{"mine":"child","size":10}}})");
  UserInput off;
  off.set = {"db.enabled=false"};
  CHECK(Merge(chart, off).values.Find("db")->Find("port") == nullptr);  // disabled: no subchart defaults
  UserInput tag;
  tag.set = {"tags.storage=false"};
  CHECK(Merge(chart, tag).values.Find("db")->Find("port") != nullptr);  // the condition (true) wins over the tag
  UserInput tag_only;
  tag_only.set = {"tags.storage=false", "db.enabled=null"};
  auto r3 = Merge(chart, tag_only);
  CHECK(ToJson(*r3.values.Find("db")) == "{}");  // as Helm 4.1.4 prints it
  CHECK(r3.chart->subcharts.size() == 1);
  CHECK(r3.chart->subcharts[0]->name == "redis");
}

TEST_CASE("packaged subcharts in charts/*.tgz are read", "[values][deps]") {
  TempDir d;
  d.Write("p/Chart.yaml", "apiVersion: v2\nname: p\nversion: 1.0.0\n");
  d.Write("p/values.yaml", "sub:\n  a: parent\n");
  TempDir pkg;
  pkg.Write("sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n");
  pkg.Write("sub/values.yaml", "a: child\nb: child\n");
  std::filesystem::create_directories(d.path() + "/p/charts");
  auto tar = capstan::test::Run({"tar", "-czf", d.path() + "/p/charts/sub-0.1.0.tgz", "-C", pkg.path(), "sub"});
  REQUIRE(tar.exit_code == 0);
  auto r = Merge(d.path() + "/p", {});
  CHECK(ToJson(*r.values.Find("sub")) == R"({"a":"parent","b":"child","global":{}})");
  CHECK(r.chart->subcharts.at(0)->values.Find("b")->origin().Location().find("sub-0.1.0.tgz/values.yaml:2") !=
        std::string::npos);
  d.Write("p/charts/broken-1.0.0.tgz", "not gzip at all");
  CHECK_THROWS_WITH(LoadChart(d.path() + "/p", 4), Catch::Contains("broken-1.0.0.tgz is not a valid gzip archive"));
}

TEST_CASE("chart loading errors are clear", "[values][deps]") {
  TempDir d;
  CHECK_THROWS_AS(LoadChart(d.path() + "/nope", 4), UsageError);
  CHECK_THROWS_WITH(LoadChart(d.path(), 4), Catch::Contains("Chart.yaml file is missing"));
  d.Write("c/Chart.yaml", "apiVersion: v2\nversion: 1.0.0\n");
  CHECK_THROWS_WITH(LoadChart(d.path() + "/c", 4), Catch::Contains("chart.metadata.name is required"));
  d.Write("p/Chart.yaml", "apiVersion: v2\nname: p\nversion: 1.0.0\n");
  d.Write("p/charts/empty/README", "x\n");
  CHECK_THROWS_WITH(LoadChart(d.path() + "/p", 4), Catch::Contains("error unpacking subchart") &&
                                                      Catch::Contains("Chart.yaml file is missing"));
}

TEST_CASE("explain lists every layer that set, replaced or deleted a path", "[values][explain]") {
  TempDir d;
  d.Write("p/Chart.yaml", "apiVersion: v2\nname: p\nversion: 1.0.0\n");
  d.Write("p/values.yaml", "image:\n  repository: nginx\n  tag: \"1.0\"\nglobal:\n  region: eu\n");
  d.Write("p/charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n");
  d.Write("p/charts/sub/values.yaml", "global:\n  region: us\n");
  std::string f1 = d.Write("prod.yaml", "# prod\nimage:\n  tag: \"2.0\"\n");
  UserInput in;
  in.value_files = {f1};
  in.set = {"image.tag=2.1"};
  auto chart = LoadChart(d.path() + "/p", 4);
  auto r = ComputeValues(*chart, in, Options{});
  auto c = Explain(r, *chart, {"image", "tag"});
  REQUIRE(c.size() == 3);
  CHECK(c[0].origin.Location() == d.path() + "/p/values.yaml:3:3");
  CHECK(c[1].origin.Location() == f1 + ":3:3");
  CHECK(c[2].origin.Location() == "--set #1 (image.tag=2.1)");
  CHECK(ToJson(*r.values.FindPath({"image", "tag"})) == R"("2.1")");
  // A null deletes, a scalar above replaces.
  UserInput del;
  del.set = {"image=null"};
  auto rd = ComputeValues(*chart, del, Options{});
  auto cd = Explain(rd, *chart, {"image", "tag"});
  REQUIRE(cd.size() == 2);
  CHECK(cd[1].action == Contribution::Action::kDelete);
  CHECK(rd.values.Find("image") == nullptr);
  // Globals: the subchart default, the parent default that overrides it.
  auto cg = Explain(r, *chart, {"sub", "global", "region"});
  REQUIRE(cg.size() == 2);
  CHECK(cg[0].origin.Location() == d.path() + "/p/charts/sub/values.yaml:2:3");
  CHECK(cg[1].origin.Location() == d.path() + "/p/values.yaml:5:3");
  CHECK(ToJson(*r.values.FindPath({"sub", "global", "region"})) == R"("eu")");
}

TEST_CASE("diff finds removed, pinned and redundant customer settings", "[values][diff]") {
  TempDir d;
  d.Write("old/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n");
  d.Write("old/values.yaml",
          "image:\n  repo: nginx\n  tag: \"1.0\"\nreplicas: 1\nport: 8080\npodAnnotations: {}\nlegacyMode: false\n");
  d.Write("new/Chart.yaml", "apiVersion: v2\nname: app\nversion: 2.0.0\n");
  d.Write("new/values.yaml",
          "image:\n  repository: nginx\n  tag: \"2.0\"\nreplicas: 2\nport: 8080\npodAnnotations: {}\n");
  std::string customer = d.Write("customer.yaml",
                                 "image:\n  repo: my/nginx\n  tag: \"1.0\"\nreplicas: 1\nport: 8080\n"
                                 "podAnnotations:\n  team: a\nlegacyMode: true\n");
  UserInput in;
  in.value_files = {customer};
  auto old_chart = LoadChart(d.path() + "/old", 4);
  auto new_chart = LoadChart(d.path() + "/new", 4);
  auto f = DiffUpgrade(*old_chart, *new_chart, in, Options{});
  std::vector<std::string> got;
  for (const auto& x : f)
    got.push_back(std::string(DiffKindName(x.kind)) + " " + FormatPath(x.path) + " line " +
                  std::to_string(x.origin.line) + (x.suggestion.empty() ? "" : " -> " + x.suggestion));
  CHECK(got == std::vector<std::string>{"removed image.repo line 2 -> image.repository",
                                        "pinned-old-default image.tag line 3", "removed legacyMode line 8",
                                        "redundant port line 5", "pinned-old-default replicas line 4"});
}

TEST_CASE("capstan values merge/explain/diff on the command line", "[values][cli]") {
  TempDir d;
  WriteDeps(d);
  std::string capstan = capstan::test::Binary("capstan");
  std::string chart = d.path() + "/p";
  auto r = capstan::test::Run({capstan, "values", "merge", chart, "--set", "db.port=1", "-o", "json"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find(R"("db":{"enabled":true,"global":{},"port":1})") != std::string::npos);
  auto before = capstan::test::Run({capstan, "values", "merge", "--set", "db.port=2", "-f", d.Write("z.yaml", "z: 1\n"),
                                    chart, "-o", "json"});
  CHECK(before.exit_code == 0);
  CHECK(before.out.find(R"("port":2)") != std::string::npos);
  auto y = capstan::test::Run({capstan, "values", "merge", chart, "--helm", "3"});
  CHECK(y.exit_code == 0);
  CHECK(y.out.find("db:\n  enabled: true\n  global: {}\n  port: 5432\n") != std::string::npos);
  std::string f = d.Write("a.yaml", "db:\n  port: 7\n");
  std::string g = d.Write("b.yaml", "db:\n  port: 8\n");
  auto comma = capstan::test::Run({capstan, "values", "merge", chart, "-f", f + "," + g, "-o", "json"});
  CHECK(comma.out.find(R"("port":8)") != std::string::npos);
  auto missing = capstan::test::Run({capstan, "values", "merge", chart, "-f", d.path() + "/missing.yaml"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("missing.yaml") != std::string::npos);
  CHECK(missing.out.empty());
  auto bad = capstan::test::Run({capstan, "values", "merge", chart, "--set", "a.=1"});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find(R"(failed parsing --set data: key map "a" has no value)") != std::string::npos);
  auto helm5 = capstan::test::Run({capstan, "values", "merge", chart, "--helm", "5"});
  CHECK(helm5.exit_code == 2);
  auto ex = capstan::test::Run({capstan, "values", "explain", "db.port", chart, "-f", f, "-o", "json"});
  CHECK(ex.exit_code == 0);
  CHECK(ex.out.find("\"line\": 2") != std::string::npos);
  CHECK(ex.out.find("\"value\": 7") != std::string::npos);
  auto df = capstan::test::Run({capstan, "values", "diff", "--from", chart, "--to", chart, "-f", f});
  CHECK(df.exit_code == 0);
  CHECK(df.out.find("0 finding(s)") != std::string::npos);
}
