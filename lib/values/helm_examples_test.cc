// The numbered examples 1-20 of helm-behaviour.md section 4.5 (verified on Helm 3.17.3 and 4.1.4), as unit tests
// of the values engine. The charts mini, minip, vals, vals_nodeps and nums are built here.
#include <catch2/catch.hpp>

#include "support/test_support.h"
#include "util/error.h"
#include "values/engine.h"
#include "values/gvalue.h"
#include "values/output.h"

namespace {

using namespace capstan;
using namespace capstan::values;
using capstan::test::TempDir;

struct Charts {
  TempDir dir;
  std::string mini, minip, vals, vals_nodeps, nums;
  Charts() {
    dir.Write("mini/Chart.yaml", "apiVersion: v2\nname: mini\nversion: 0.1.0\n");
    dir.Write("mini/values.yaml", "a: 1\ns: str\nm: {x: 1, sub: {p: 1, q: 2}}\nl: [1,2,3]\nnul: null\n");
    mini = dir.path() + "/mini";
    dir.Write("minip/Chart.yaml",
              "apiVersion: v2\nname: minip\nversion: 0.1.0\ndependencies:\n- name: child\n  version: 0.1.0\n");
    dir.Write("minip/values.yaml", "global: {env: prod, g: {a: 1}}\nchild: {k: from-parent, drop: null}\n");
    dir.Write("minip/charts/child/Chart.yaml", "apiVersion: v2\nname: child\nversion: 0.1.0\n");
    dir.Write("minip/charts/child/values.yaml",
              "k: from-child\nkeep: 1\ndrop: 2\nglobal: {env: dev, g: {b: 2}, own: c}\n");
    minip = dir.path() + "/minip";
    for (std::string name : {"vals", "vals_nodeps"}) {
      std::string chart = "apiVersion: v2\nname: " + name + "\nversion: 0.1.0\n";
      if (name == "vals") chart += "dependencies:\n- name: sub\n  version: 0.1.0\n";
      dir.Write(name + "/Chart.yaml", chart);
      dir.Write(name + "/values.yaml", "nestedNull: {inner: null, other: 1}\nglobal: {shared: parent}\n");
      dir.Write(name + "/charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n");
      dir.Write(name + "/charts/sub/values.yaml", "global: {shared: sub}\nown: 1\n");
    }
    vals = dir.path() + "/vals";
    vals_nodeps = dir.path() + "/vals_nodeps";
    dir.Write("nums/Chart.yaml", "apiVersion: v2\nname: nums\nversion: 0.1.0\n");
    dir.Write("nums/values.yaml", "big: 12345678\n");
    nums = dir.path() + "/nums";
  }
  std::string File(const std::string& name, const std::string& content) { return dir.Write(name, content); }
};

MergeResult Merge(const std::string& chart_dir, const UserInput& in, int helm = 4) {
  Options o;
  o.helm_major = helm;
  auto chart = LoadChart(chart_dir, helm);
  return ComputeValues(*chart, in, o);
}

std::string Json(const std::string& chart_dir, const UserInput& in, int helm = 4) {
  return ToJson(Merge(chart_dir, in, helm).values);
}

std::string Child(const std::string& chart_dir, const UserInput& in, int helm = 4) {
  auto r = Merge(chart_dir, in, helm);
  const Value* c = r.values.Find("child");
  REQUIRE(c != nullptr);
  return ToJson(*c);
}

bool HasWarning(const MergeResult& r, const std::string& msg) {
  for (const auto& w : r.warnings)
    if (w.message == msg) return true;
  return false;
}

}  // namespace

TEST_CASE("example 1: chart defaults alone keep a null default", "[values][examples]") {
  Charts c;
  for (int h : {3, 4})
    CHECK(Json(c.mini, {}, h) == R"({"a":1,"l":[1,2,3],"m":{"sub":{"p":1,"q":2},"x":1},"nul":null,"s":"str"})");
}

TEST_CASE("example 2: YAML 1.1 booleans as keys, last wins", "[values][examples]") {
  Charts c;
  UserInput in;
  in.value_files = {c.File("bools.yaml", "y: 1\nn: 2\non: 3\noff: 4\nyes: 5\nNo: 6\n\"y\": 7\n")};
  std::string out = Json(c.mini, in);
  CHECK(out.find(R"("false":6)") != std::string::npos);
  CHECK(out.find(R"("true":5)") != std::string::npos);
  CHECK(out.find(R"("y":7)") != std::string::npos);
}

TEST_CASE("example 3 and 4: deep merge, list replaced, null deletes defaults only, later file wins",
          "[values][examples]") {
  Charts c;
  UserInput in;
  in.value_files = {c.File("e1.yaml", "m: {x: 10, sub: {q: 20, r: 30}}\nl: [9]\ns: null\nextra: null\n")};
  for (int h : {3, 4})
    CHECK(Json(c.mini, in, h) ==
          R"({"a":1,"extra":null,"l":[9],"m":{"sub":{"p":1,"q":20,"r":30},"x":10},"nul":null})");
  in.value_files.push_back(c.File("e2.yaml", "m: {sub: null}\nextra: set-in-e2\n"));
  for (int h : {3, 4}) CHECK(Json(c.mini, in, h) == R"({"a":1,"extra":"set-in-e2","l":[9],"m":{"x":10},"nul":null})");
}

TEST_CASE("example 5: a map over a scalar default warns, a scalar over a map is silent", "[values][examples]") {
  Charts c;
  UserInput in;
  in.value_files = {c.File("e5.yaml", "a:\n  now: map\nm: scalar-now\n")};
  auto r = Merge(c.mini, in);
  CHECK(ToJson(r.values) == R"({"a":{"now":"map"},"l":[1,2,3],"m":"scalar-now","nul":null,"s":"str"})");
  REQUIRE(HasWarning(r, "warning: skipped value for mini.a: Not a table."));
  CHECK(r.warnings.size() == 1);
  // The warning points at the user's value: e5.yaml line 1.
  CHECK(r.warnings[0].origin.Location().find("e5.yaml:1") != std::string::npos);
}

TEST_CASE("example 6: table/non-table conflicts below the top level", "[values][examples]") {
  Charts c;
  UserInput in;
  in.value_files = {c.File("e6.yaml", "m: {x: {deep: 1}, sub: flat}\n")};
  auto r = Merge(c.mini, in);
  CHECK(ToJson(*r.values.Find("m")) == R"({"sub":"flat","x":{"deep":1}})");
  CHECK(HasWarning(r, "warning: destination for mini.m.x is a table. Ignoring non-table value (1)"));
  CHECK(HasWarning(r, "warning: cannot overwrite table with non table for mini.m.sub (map[p:1 q:2])"));
}

TEST_CASE("example 7: --set null deletes keys with defaults and keeps new ones", "[values][examples]") {
  Charts c;
  UserInput in;
  in.set = {"nul=null", "a=null", "newnull=null"};
  CHECK(Json(c.mini, in) == R"({"l":[1,2,3],"m":{"sub":{"p":1,"q":2},"x":1},"newnull":null,"s":"str"})");
}

TEST_CASE("example 8: list index pads with nulls and replaces the default list", "[values][examples]") {
  Charts c;
  UserInput in;
  in.set = {"m.x=null", "l[5]=x"};
  CHECK(Json(c.mini, in) == R"({"a":1,"l":[null,null,null,null,null,"x"],"m":{"sub":{"p":1,"q":2}},"nul":null,"s":"str"})");
}

TEST_CASE("example 9: typedVal and --set-json types", "[values][examples]") {
  Charts c;
  UserInput in;
  in.set = {"a=007", "b=7", "c=7.0", "d=1e3", "e=true", "f=TRUE", "g=null", "h=99999999999999999999"};
  in.set_string = {"i=7"};
  in.set_json = {"j=7", R"(k={"z":1.0})"};
  auto r = Merge(c.mini, in);
  CHECK(ToJson(r.values) ==
        R"({"a":"007","b":7,"c":"7.0","d":"1e3","e":true,"f":true,"g":null,"h":"99999999999999999999","i":"7","j":7,"k":{"z":1},"l":[1,2,3],"m":{"sub":{"p":1,"q":2},"x":1},"nul":null,"s":"str"})");
  CHECK(r.values.Find("b")->kind() == Kind::kInt);
  CHECK(r.values.Find("j")->kind() == Kind::kFloat);
  CHECK(r.values.Find("k")->Find("z")->kind() == Kind::kFloat);
}

TEST_CASE("example 10: precedence is by flag kind, not position", "[values][examples]") {
  Charts c;
  UserInput in;
  in.set_json = {"a=1"};
  in.set = {"a=2"};
  in.set_string = {"a=3"};
  in.set_file = {"a=" + c.File("content.txt", "file-content\nline2\n")};
  CHECK(ToJson(*Merge(c.mini, in).values.Find("a")) == R"("file-content\nline2\n")");
  in.set_literal = {"a=lit,{x}"};
  CHECK(ToJson(*Merge(c.mini, in).values.Find("a")) == R"("lit,{x}")");
}

TEST_CASE("example 11: escapes and lists in --set", "[values][examples]") {
  Charts c;
  UserInput in;
  in.set = {"x.y\\.z=1", "list={a,b}", "esc=a\\,b"};
  auto r = Merge(c.mini, in);
  CHECK(ToJson(*r.values.Find("x")) == R"({"y.z":1})");
  CHECK(ToJson(*r.values.Find("list")) == R"(["a","b"])");
  CHECK(ToJson(*r.values.Find("esc")) == R"("a,b")");
}

TEST_CASE("example 12: multi-document files: Helm 3 first document, Helm 4 all merged", "[values][examples]") {
  Charts c;
  UserInput in;
  in.value_files = {c.File("multidoc.yaml", "md1: doc1\nmdx: first\n---\nmd2: doc2\nmdx: second\n")};
  std::string h3 = Json(c.mini, in, 3), h4 = Json(c.mini, in, 4);
  CHECK(h3.find(R"("md1":"doc1")") != std::string::npos);
  CHECK(h3.find(R"("mdx":"first")") != std::string::npos);
  CHECK(h3.find("md2") == std::string::npos);
  CHECK(h4.find(R"("md2":"doc2")") != std::string::npos);
  CHECK(h4.find(R"("mdx":"second")") != std::string::npos);
}

TEST_CASE("example 13: --set-json with a whole object: Helm 3 error, Helm 4 merge", "[values][examples]") {
  Charts c;
  UserInput in;
  in.set_json = {R"({"a":{"b":1}})"};
  CHECK_THROWS_WITH(Merge(c.mini, in, 3), R"(failed parsing --set-json data {"a":{"b":1}})");
  CHECK(ToJson(*Merge(c.mini, in, 4).values.Find("a")) == R"({"b":1})");
}

TEST_CASE("example 14: a null over a null nested default: Helm 3 deletes, Helm 4 keeps", "[values][examples]") {
  Charts c;
  UserInput in;
  in.set = {"nestedNull.inner=null"};
  CHECK(ToJson(*Merge(c.vals, in, 3).values.Find("nestedNull")) == R"({"other":1})");
  CHECK(ToJson(*Merge(c.vals, in, 4).values.Find("nestedNull")) == R"({"inner":null,"other":1})");
}

TEST_CASE("examples 15-18: subchart values, parent overrides and globals", "[values][examples]") {
  Charts c;
  for (int h : {3, 4}) {
    CHECK(Child(c.minip, {}, h) ==
          R"({"global":{"env":"prod","g":{"a":1,"b":2},"own":"c"},"k":"from-parent","keep":1})");
    UserInput e16;
    e16.set = {"child.keep=null", "global.env=null"};
    auto r16 = Merge(c.minip, e16, h);
    CHECK(ToJson(*r16.values.Find("child")) ==
          R"({"global":{"env":"prod","g":{"a":1,"b":2},"own":"c"},"k":"from-parent"})");
    CHECK(ToJson(*r16.values.Find("global")) == R"({"g":{"a":1}})");
    UserInput e17;
    e17.set = {"child.global.env=child-level", "global.g.c=3"};
    CHECK(Child(c.minip, e17, h) ==
          R"({"global":{"env":"prod","g":{"a":1,"b":2,"c":3},"own":"c"},"k":"from-parent","keep":1})");
    UserInput e18;
    e18.set = {"child=null"};
    CHECK(Child(c.minip, e18, h) ==
          R"({"drop":2,"global":{"env":"prod","g":{"a":1,"b":2},"own":"c"},"k":"from-child","keep":1})");
  }
}

TEST_CASE("example 16: nulling a parent global with and without dependencies declared", "[values][examples]") {
  Charts c;
  UserInput in;
  in.set = {"global.shared=null"};
  for (int h : {3, 4}) {
    // Declared dependencies: the pre-pass already pushed the parent global into the child's defaults.
    CHECK(ToJson(*Merge(c.vals, in, h).values.Find("sub")->Find("global")) == R"({"shared":"parent"})");
    // No dependencies: in Chart.yaml: the child's own default shows.
    CHECK(ToJson(*Merge(c.vals_nodeps, in, h).values.Find("sub")->Find("global")) == R"({"shared":"sub"})");
  }
}

TEST_CASE("example 19: a scalar where a subchart's map belongs", "[values][examples]") {
  Charts c;
  UserInput in;
  in.set = {"sub=scalar"};
  CHECK_THROWS_WITH(Merge(c.vals, in, 3), "type mismatch on sub: %!t(string=scalar)");
  CHECK_THROWS_WITH(Merge(c.vals, in, 4),
                    "chart dependencies processing failed: type mismatch on sub: %!t(string=scalar)");
}

TEST_CASE("example 20: numbers from YAML are float64, from --set int64", "[values][examples]") {
  Charts c;
  UserInput in;
  in.set = {"setInt=12345678"};
  auto r = Merge(c.nums, in);
  const Value* big = r.values.Find("big");
  REQUIRE(big->kind() == Kind::kFloat);
  // {{ .Values.big }} prints with %v: 1.2345678e+07; toJson prints 12345678.
  CHECK(internal::GoV(internal::ToG(*big)) == "1.2345678e+07");
  CHECK(ToJson(*big) == "12345678");
  CHECK(r.values.Find("setInt")->kind() == Kind::kInt);
  CHECK(internal::GoV(internal::ToG(*r.values.Find("setInt"))) == "12345678");
}
