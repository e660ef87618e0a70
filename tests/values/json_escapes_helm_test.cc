// toJson's string escapes against the real Helm 3.17.3 (Go 1.23) and 4.1.4 (Go 1.25): every control character
// 0x00-0x1f, DEL, < > &, U+2028/U+2029 and invalid UTF-8, in values and in keys, reaching Helm through each --set*
// flag. The chart prints `{{ toJson .Values | b64enc }}` (the raw JSON may hold DEL, which Helm's YAML check of the
// rendered manifest refuses); our ToJson (what `values merge -o json` prints) must give the same bytes.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "support/test_support.h"
#include "util/base64.h"
#include "util/error.h"
#include "values/engine.h"
#include "values/helm_template.h"
#include "values/output.h"

namespace {

using namespace capstan;
using namespace capstan::test;

std::string HelmJsonBytes(int major, const TempDir& home, const std::string& chart,
                          const std::vector<std::string>& args) {
  HelmTemplateRun r = HelmTemplate(major, home.path(), chart, args, "#B ");
  INFO("helm " << major << ": " << r.error);
  REQUIRE(r.ok);
  auto bytes = Base64Decode(r.line);
  REQUIRE(bytes);
  return *bytes;
}

struct Case {
  std::string what;
  std::string flag;  // --set, --set-json, ...
  std::string arg;
};

// Bytes as \xNN for messages (the strings are full of control characters).
std::string Visible(const std::string& s) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace

TEST_CASE("toJson escapes every control character, <>&, U+2028/9 and invalid UTF-8 as Helm does", "[helm][values]") {
  TempDir dir;
  TempDir home;
  dir.Write("c/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n");
  dir.Write("c/templates/v.yaml", "# values\n#B {{ toJson .Values | b64enc }}\n");
  std::string chart = dir.path() + "/c";

  // A JSON string with \u escapes for 0x00-0x1f and 0x7f, then the other characters Go's encoder treats specially.
  std::string json = "\"";
  static const char* hex = "0123456789abcdef";
  for (int c = 0; c < 0x20; ++c) json += std::string("\\u00") + hex[c >> 4] + hex[c & 15];
  json += R"(\u007f<>&\u2028\u2029\"\\\/ \b\f\n\r\t \u00e9\ud83d\ude00 \ud800x \udc00 \ufffd \u0085\u00a0\ufeff")";
  // Raw bytes: controls a shell can pass (no NUL), DEL, U+2028/9 raw, and invalid UTF-8 of every kind (stray
  // continuation, truncated sequence, overlong forms, a surrogate, beyond U+10FFFF, a truncated tail).
  const std::string raw_ctl = "\x01\x08\x09\x0a\x0c\x0d\x1b\x1f\x7f<>&\xe2\x80\xa8\xe2\x80\xa9";
  const std::string invalid = "x\xff\xc3y\xed\xa0\x80z\xf4\x90\x80\x80w\xe0\x80\xaf\xc0\xaf\x80\xfe\xe2\x80";
  std::string file = dir.Write("invalid.bin", invalid + raw_ctl);

  std::vector<Case> cases = {
      {"--set-json value", "--set-json", "a=" + json},
      {"--set-json key and value", "--set-json", "k<&>" + raw_ctl + "=[" + json + "]"},
      {"--set-json raw invalid UTF-8 in a key and a string", "--set-json", "k" + invalid + "=\"" + invalid + "\""},
      {"--set-file contents (bytes kept)", "--set-file", "a=" + file},
      {"--set-literal", "--set-literal", "k" + invalid + raw_ctl + "=" + invalid + raw_ctl},
      {"--set", "--set", "k" + invalid + "=" + invalid + "," + "l=" + raw_ctl},
      {"--set-string list", "--set-string", "l={" + invalid + "," + raw_ctl + "}"},
  };
  for (int major : {3, 4}) {
    for (const auto& c : cases) {
      std::string helm = HelmJsonBytes(major, home, chart, {c.flag, c.arg});
      values::UserInput input;
      if (c.flag == "--set-json") input.set_json = {c.arg};
      if (c.flag == "--set-file") input.set_file = {c.arg};
      if (c.flag == "--set-literal") input.set_literal = {c.arg};
      if (c.flag == "--set") input.set = {c.arg};
      if (c.flag == "--set-string") input.set_string = {c.arg};
      values::Options opts;
      opts.helm_major = major;
      auto loaded = values::LoadChart(chart, major);
      std::string ours = values::ToJson(values::ComputeValues(*loaded, input, opts).values);
      INFO("helm " << major << ", " << c.what << "\nhelm: " << Visible(helm) << "\nours: " << Visible(ours));
      CHECK(ours == helm);
    }
  }
}
