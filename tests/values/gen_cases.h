// Deterministic generator of test charts (parent + subcharts + grandchild, dependencies with condition, tags,
// alias, import-values; an undeclared and a packaged subchart) and of value files / --set flags full of YAML 1.1
// oddities, nulls, lists and globals, for the differential test against the real Helm binaries.
#pragma once
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/test_support.h"
#include "values/engine.h"

namespace capstan::test::values_gen {

class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed * 0x9E3779B97F4A7C15ULL + 0x1234567ULL) { Next(); }
  uint64_t Next() {
    s_ ^= s_ << 13;
    s_ ^= s_ >> 7;
    s_ ^= s_ << 17;
    return s_;
  }
  size_t Below(size_t n) { return n ? static_cast<size_t>(Next() % n) : 0; }
  bool Chance(int percent) { return static_cast<int>(Below(100)) < percent; }
  template <class T>
  const T& Pick(const std::vector<T>& v) { return v[Below(v.size())]; }

 private:
  uint64_t s_;
};

// A generated chart family: writes the charts under dir and returns the top chart's path.
struct Family {
  std::string chart_dir;
  bool has_dependencies = false;
};
Family WriteFamily(Rng& rng, const TempDir& dir, const std::string& name, int variant);

// One generated invocation: files written under dir, flags as Helm takes them.
struct Case {
  capstan::values::UserInput input;
  std::vector<std::string> helm_args;  // -f ... --set ... in the same order
  std::string description;             // for failure messages
};
Case MakeCase(Rng& rng, const TempDir& dir, int index, int helm_major);

// Random YAML text for a values map (top level), with oddities.
std::string RandomValuesYaml(Rng& rng, int depth_limit, bool allow_multidoc);

// ---- implementation (header-only: tests/ compiles only *_test.cc files) ----

namespace detail {

inline const std::vector<std::string> kKeys = {"a", "b", "c", "m", "n", "l", "x", "enabled", "port", "image",
                                        "on", "yes", "N", "name", "list", "tags", "s"};
inline const std::vector<std::string> kScalars = {
    "1", "0", "-3", "007", "0755", "0x1F", "1_000", ".5", "1e3", "1.5", "12345678901234567890",
    "9223372036854775807", "true", "yes", "No", "on", "OFF", "y", "n", "~", "null", "", "str", "\"quoted\"",
    "'single'", "\"yes\"", "2001-12-14", "a b", "1:20", "-1.5e-7", "3.0", "1e21", "0.000001", "123456789",
    "\"007\"", "'0x1F'", "+12", "0b101", "text with spaces", "\"a: b\"", "\"tab\\there\"", "1.0e+2", "0o17"};

inline std::string Indent(int n) { return std::string(static_cast<size_t>(n), ' '); }

inline void GenValue(Rng& rng, std::string& out, int indent, int depth, int depth_limit);

inline void GenMap(Rng& rng, std::string& out, int indent, int depth, int depth_limit, bool top) {
  size_t n = 1 + rng.Below(top ? 5 : 3);
  for (size_t i = 0; i < n; ++i) {
    std::string key = rng.Pick(kKeys);
    out += Indent(indent) + key + ":";
    GenValue(rng, out, indent, depth + 1, depth_limit);
  }
}

inline void GenValue(Rng& rng, std::string& out, int indent, int depth, int depth_limit) {
  size_t kind = rng.Below(10);
  if (depth >= depth_limit) kind = 0;
  switch (kind) {
    case 0: case 1: case 2: case 3: {
      std::string s = rng.Pick(kScalars);
      out += s.empty() ? "\n" : " " + s + "\n";
      return;
    }
    case 4: case 5: case 6:
      out += "\n";
      GenMap(rng, out, indent + 2, depth, depth_limit, false);
      return;
    case 7: {
      out += " [";
      size_t n = rng.Below(4);
      for (size_t i = 0; i < n; ++i) {
        std::string s = rng.Pick(kScalars);
        if (s.empty() || s.find(':') != std::string::npos || s.find(' ') != std::string::npos) s = "1";
        out += (i ? ", " : "") + s;
      }
      out += "]\n";
      return;
    }
    case 8:
      out += "\n";
      for (size_t i = 0, n = 1 + rng.Below(3); i < n; ++i) {
        out += Indent(indent) + "-";
        GenValue(rng, out, indent + 2, depth + 1, depth_limit - 1);
      }
      return;
    default:
      out += rng.Chance(50) ? " {}\n" : " null\n";
      return;
  }
}

// A few structured blocks so that subcharts, globals, conditions and tags get hit often.
inline std::string Structured(Rng& rng) {
  std::string out;
  const std::vector<std::string> tops = {"sub", "oth", "other", "extra", "global", "tags"};
  size_t n = rng.Below(3);
  for (size_t i = 0; i < n; ++i) {
    std::string top = rng.Pick(tops);
    out += top + ":";
    if (top == "tags") {
      out += "\n  backend: " + std::string(rng.Chance(50) ? "true" : "false") + "\n";
    } else if (top == "global") {
      out += "\n";
      // Globals at most two levels deep: deeper shared maps make Helm's own output depend on Go map order.
      for (size_t k = 0, m = 1 + rng.Below(3); k < m; ++k) {
        std::string key = rng.Pick(std::vector<std::string>{"env", "g", "region", "own"});
        if (key == "g" && rng.Chance(60)) {
          out += "  g:\n    " + rng.Pick(std::vector<std::string>{"a", "b", "c"}) + ": " + rng.Pick(kScalars) + "\n";
        } else {
          out += "  " + key + ": " + rng.Pick(kScalars) + "\n";
        }
      }
    } else if (rng.Chance(15)) {
      out += " null\n";
    } else {
      out += "\n";
      if (top == "sub" && rng.Chance(40)) out += "  enabled: " + rng.Pick(std::vector<std::string>{"true", "false", "yes", "off", "\"true\""}) + "\n";
      if (top == "sub" && rng.Chance(30)) out += "  gc:\n    enabled: " + std::string(rng.Chance(50) ? "false" : "true") + "\n    k: " + rng.Pick(kScalars) + "\n";
      if (rng.Chance(30)) out += "  global:\n    env: " + rng.Pick(kScalars) + "\n";
      GenMap(rng, out, 2, 1, 3, false);
    }
  }
  return out;
}

}  // namespace detail
using namespace detail;

inline std::string RandomValuesYaml(Rng& rng, int depth_limit, bool allow_multidoc) {
  std::string out;
  if (rng.Chance(10)) out += "# a comment\n";
  GenMap(rng, out, 0, 0, depth_limit, true);
  out += Structured(rng);
  if (rng.Chance(12)) {
    out += "base: &b\n  x: 1\n  y: 2\nderived:\n  <<: *b\n  y: 3\n  z: *b\n";
  }
  if (allow_multidoc && rng.Chance(12)) {
    out += "---\n";
    GenMap(rng, out, 0, 0, depth_limit, true);
  }
  return out;
}

inline Family WriteFamily(Rng& rng, const TempDir& dir, const std::string& name, int variant) {
  Family fam;
  std::string top = dir.path() + "/" + name;
  fam.chart_dir = top;
  fam.has_dependencies = variant != 0;
  std::string chart = "apiVersion: v2\nname: dtp\nversion: 0.1.0\n";
  if (fam.has_dependencies) {
    chart += "dependencies:\n";
    chart += "- name: sub\n  version: 0.1.0\n  condition: sub.enabled\n  tags: [backend]\n";
    chart += "- name: other\n  version: 0.1.0\n  alias: oth\n  import-values:\n  - child: exported\n    parent: imported\n  - shared\n";
    if (variant == 2) chart += "- name: other\n  version: 0.1.0\n";
  }
  dir.Write(name + "/Chart.yaml", chart);
  dir.Write(name + "/values.yaml", RandomValuesYaml(rng, 3, false) +
                                       "sub:\n  enabled: true\n  k: from-parent\n  drop: null\n" +
                                       (rng.Chance(50) ? "imported:\n  p: parent-wins\n" : ""));
  dir.Write(name + "/templates/out.txt", "#P {{ toJson .Values }}\n");
  // sub with a grandchild gc
  dir.Write(name + "/charts/sub/Chart.yaml",
            "apiVersion: v2\nname: sub\nversion: 0.1.0\n" +
                std::string(variant >= 1 ? "dependencies:\n- name: gc\n  version: 0.1.0\n  condition: gc.enabled\n" : ""));
  dir.Write(name + "/charts/sub/values.yaml", RandomValuesYaml(rng, 2, false) +
                                                  "k: from-sub\nkeep: 1\ndrop: 2\nglobal:\n  env: dev\n  own: sub\n  g:\n    b: 2\n");
  dir.Write(name + "/charts/sub/templates/out.txt", "#S {{ toJson .Values }}\n");
  dir.Write(name + "/charts/sub/charts/gc/Chart.yaml", "apiVersion: v2\nname: gc\nversion: 0.1.0\n");
  dir.Write(name + "/charts/sub/charts/gc/values.yaml", RandomValuesYaml(rng, 2, false) + "enabled: true\nglobal:\n  gc: here\n");
  dir.Write(name + "/charts/sub/charts/gc/templates/out.txt", "#G {{ toJson .Values }}\n");
  // other (aliased as oth) with exports
  dir.Write(name + "/charts/other/Chart.yaml", "apiVersion: v2\nname: other\nversion: 0.1.0\n");
  dir.Write(name + "/charts/other/values.yaml",
            RandomValuesYaml(rng, 2, false) + "exported:\n  p: from-child\n  q: " + rng.Pick(kScalars) +
                "\nexports:\n  shared:\n    sh: 1\n    p: shared\n");
  dir.Write(name + "/charts/other/templates/out.txt", "#O {{ toJson .Values }}\n");
  // extra: not declared in Chart.yaml; packaged as a .tgz in variant 3
  std::string extra_values = RandomValuesYaml(rng, 2, false);
  if (variant == 3) {
    TempDir pkg;
    pkg.Write("extra/Chart.yaml", "apiVersion: v2\nname: extra\nversion: 0.2.0\n");
    pkg.Write("extra/values.yaml", extra_values);
    pkg.Write("extra/templates/out.txt", "#E {{ toJson .Values }}\n");
    std::filesystem::create_directories(top + "/charts");
    auto r = Run({"tar", "-czf", top + "/charts/extra-0.2.0.tgz", "-C", pkg.path(), "extra"});
    if (r.exit_code != 0) throw std::runtime_error("tar failed: " + r.err);
  } else {
    dir.Write(name + "/charts/extra/Chart.yaml", "apiVersion: v2\nname: extra\nversion: 0.2.0\n");
    dir.Write(name + "/charts/extra/values.yaml", extra_values);
    dir.Write(name + "/charts/extra/templates/out.txt", "#E {{ toJson .Values }}\n");
  }
  return fam;
}

inline Case MakeCase(Rng& rng, const TempDir& dir, int index, int helm_major) {
  Case c;
  auto add = [&](const std::string& flag, const std::string& value, std::vector<std::string>* into) {
    into->push_back(value);
    c.helm_args.push_back(flag);
    c.helm_args.push_back(value);
    c.description += " " + flag + " '" + value + "'";
  };
  size_t files = rng.Below(4);
  for (size_t i = 0; i < files; ++i) {
    std::string path = dir.Write("case" + std::to_string(index) + "-f" + std::to_string(i) + ".yaml",
                                 RandomValuesYaml(rng, 3, true));
    add("-f", path, &c.input.value_files);
  }
  const std::vector<std::string> prefixes = {"", "", "", "sub.", "oth.", "global.", "sub.global.", "sub.gc.",
                                             "extra.", "tags.", "global.g.", "other."};
  auto path = [&]() {
    std::string p = rng.Pick(prefixes);
    size_t n = 1 + rng.Below(2);
    for (size_t i = 0; i < n; ++i) {
      if (i) p += ".";
      p += rng.Pick(kKeys);
    }
    if (rng.Chance(15)) p += "[" + std::to_string(rng.Below(4)) + "]";
    return p;
  };
  const std::vector<std::string> set_values = {"1", "007", "true", "FALSE", "null", "7.0", "-5", "abc", "a\\,b",
                                               "{x,y}", "{}", "99999999999999999999", "", "0", "1e3", "yes"};
  const std::vector<std::string> json_values = {"1", "\"s\"", "{\"z\":1.0}", "[1,\"a\",null]", "null", "true",
                                                "1e3", "", "12345678901234567890"};
  size_t sets = rng.Below(5);
  std::string file_path = dir.Write("case" + std::to_string(index) + "-content.txt", "file-content\nline2\n");
  for (size_t i = 0; i < sets; ++i) {
    switch (rng.Below(7)) {
      case 0: case 1: case 2:
        add("--set", path() + "=" + rng.Pick(set_values) + (rng.Chance(15) ? "," + path() + "=" + rng.Pick(set_values) : ""),
            &c.input.set);
        break;
      case 3: add("--set-string", path() + "=" + rng.Pick(set_values), &c.input.set_string); break;
      case 4:
        if (rng.Chance(15)) add("--set-json", "{\"a\":{\"b\":1},\"sub\":{\"k\":\"json\"}}", &c.input.set_json);
        else add("--set-json", path() + "=" + rng.Pick(json_values), &c.input.set_json);
        break;
      case 5: add("--set-literal", path() + "=" + rng.Pick(std::vector<std::string>{"a,b={c}", "x.y", "null", "1"}),
                  &c.input.set_literal);
        break;
      default: add("--set-file", path() + "=" + file_path, &c.input.set_file); break;
    }
  }
  (void)helm_major;
  return c;
}

}  // namespace capstan::test::values_gen
