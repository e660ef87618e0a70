// The values engine against hostile inputs: alias bombs are refused early (go-yaml's alias ratio, as Helm, and an
// expanded-node cap) naming the file; -f/--set-file inputs that are FIFOs or devices are usage errors; chart files
// follow Helm's loader (irregular files and files over 5 MiB refused); every named file is read once.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "support/test_support.h"
#include "util/error.h"
#include "values/chart.h"
#include "values/engine.h"
#include "values/yaml_load.h"

using namespace capstan;
using namespace capstan::values;
using Catch::Matchers::Contains;

namespace {

// Nine levels of nine aliases each: 9^9 (387 million) nodes once expanded, 342 bytes written.
std::string BillionLaughs() {
  std::string text = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'i'; ++c) {
    text += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 9; ++i) text += std::string(i ? "," : "") + "*" + prev;
    text += "]\n";
    prev = c;
  }
  return text;
}

LayerPtr FileLayer(const std::string& file) {
  auto l = std::make_shared<Layer>();
  l->kind = LayerKind::kValuesFile;
  l->file = file;
  return l;
}

template <typename E, typename F>
std::string ErrorOf(F fn) {
  try {
    fn();
  } catch (const E& e) {
    return e.what();
  }
  return "";
}

std::string MakeChart(const test::TempDir& dir) {
  std::string chart = dir.path() + "/chart";
  REQUIRE(::mkdir(chart.c_str(), 0755) == 0);
  dir.Write("chart/Chart.yaml", "apiVersion: v2\nname: chart\nversion: 0.1.0\n");
  return chart;
}

}  // namespace

TEST_CASE("an alias bomb is refused as Helm refuses it, naming the file", "[values][hostile]") {
  for (int helm : {3, 4}) {
    std::string msg = ErrorOf<Error>([&] { ParseValuesYaml(BillionLaughs(), FileLayer("bomb.yaml"), helm); });
    CHECK_THAT(msg, Contains("failed to parse bomb.yaml: ") &&
                        Contains("error converting YAML to JSON: yaml: document contains excessive aliasing"));
  }
}

TEST_CASE("ordinary use of aliases is not refused", "[values][hostile]") {
  std::string text = "base: &b {image: nginx, tag: '1.0'}\n";
  for (int i = 0; i < 300; ++i) text += "svc" + std::to_string(i) + ": {<<: *b, port: " + std::to_string(i) + "}\n";
  Value v = ParseValuesYaml(text, FileLayer("aliases.yaml"), 4);
  REQUIRE(v.Find("svc299"));
  CHECK(v.Find("svc299")->Find("image")->as_string() == "nginx");
}

TEST_CASE("named values inputs that are not regular files are usage errors", "[values][hostile]") {
  test::TempDir dir;
  std::string fifo = dir.path() + "/values.yaml";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  UserInput in;
  in.value_files = {fifo};
  CHECK_THAT(ErrorOf<UsageError>([&] { MergeUserValues(in, Options{}); }), Contains(fifo) && Contains("FIFO"));
  in.value_files = {"/dev/zero"};
  CHECK_THAT(ErrorOf<UsageError>([&] { MergeUserValues(in, Options{}); }),
             Contains("/dev/zero") && Contains("character device"));
  UserInput set_file;
  set_file.set_file = {"k=/dev/zero"};
  CHECK_THAT(ErrorOf<UsageError>([&] { MergeUserValues(set_file, Options{}); }),
             Contains("--set-file") && Contains("/dev/zero"));
  set_file.set_file = {"k=" + fifo};
  CHECK_THAT(ErrorOf<UsageError>([&] { MergeUserValues(set_file, Options{}); }), Contains(fifo));
}

TEST_CASE("each named file is read once per InputFiles", "[values][inputs]") {
  test::TempDir dir;
  std::string file = dir.Write("a.yaml", "a: 1\n");
  InputFiles inputs;
  CHECK(inputs.Read(file) == "a: 1\n");
  dir.Write("a.yaml", "a: 2\n");  // a second read would see this
  Options o;
  o.inputs = &inputs;
  UserInput in;
  in.value_files = {file};
  in.set_file = {"b=" + file};
  Value v = MergeUserValues(in, o);
  CHECK(v.Find("a")->as_float() == 1);
  CHECK(v.Find("b")->as_string() == "a: 1\n");
}

TEST_CASE("a chart's irregular values.yaml is refused as Helm refuses it", "[values][hostile]") {
  test::TempDir dir;
  std::string chart = MakeChart(dir);
  std::string values = chart + "/values.yaml";
  SECTION("a FIFO") { REQUIRE(::mkfifo(values.c_str(), 0600) == 0); }
  SECTION("a link to /dev/zero") { REQUIRE(::symlink("/dev/zero", values.c_str()) == 0); }
  std::string msg = ErrorOf<Error>([&] { LoadChart(chart, 4); });
  CHECK_THAT(msg, Contains("cannot load irregular file " + values + " as it has file mode type bits set"));
}

TEST_CASE("a chart file over Helm's 5 MiB limit is refused", "[values][hostile]") {
  test::TempDir dir;
  std::string chart = MakeChart(dir);
  dir.Write("chart/values.schema.json", std::string(kMaxChartFileBytes + 1, ' '));
  CHECK_THAT(ErrorOf<Error>([&] { LoadChart(chart, 4); }),
             Contains("chart file \"values.schema.json\" is larger than the maximum file size 5242880"));
}

TEST_CASE("a loaded chart carries its schema and renames file", "[values][inputs]") {
  test::TempDir dir;
  std::string chart = MakeChart(dir);
  dir.Write("chart/values.schema.json", "{\"type\": \"object\"}");
  dir.Write("chart/values.renames.yaml", "renames: []\n");
  auto c = LoadChart(chart, 4);
  CHECK(c->schema_file == chart + "/values.schema.json");
  CHECK(c->schema_text == "{\"type\": \"object\"}");
  CHECK(c->renames_file == chart + "/values.renames.yaml");
  CHECK(c->renames_text == "renames: []\n");
}
