// YAML 1.1 scalar resolution (go-yaml v2), values file loading with provenance, the --set parsers (pkg/strvals)
// and the toJson/toYaml printers.
#include <catch2/catch.hpp>

#include "util/error.h"
#include "values/output.h"
#include "values/strvals.h"
#include "values/yaml_load.h"
#include "values/go_format.h"
#include "yaml/yaml11.h"

namespace {

using namespace capstan;
using namespace capstan::values;

LayerPtr FileLayer(const std::string& name) {
  auto l = std::make_shared<Layer>();
  l->kind = LayerKind::kValuesFile;
  l->file = name;
  return l;
}

std::string Load(const std::string& yaml, int helm = 4) { return ToJson(ParseValuesYaml(yaml, FileLayer("v.yaml"), helm)); }

std::string Set(const std::vector<std::string>& flags, SetMode mode = SetMode::kTyped) {
  Value v = Value::MakeMap();
  for (const auto& f : flags) ParseSetInto(f, mode, v, Origin{});
  return ToJson(v);
}

std::string SetError(const std::string& flag, SetMode mode = SetMode::kTyped) {
  try {
    Set({flag}, mode);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

double Num(std::string_view s) {
  auto r = capstan::yaml::ResolvePlain(s);
  if (r.type == capstan::yaml::ScalarType::kInt) return r.is_unsigned ? static_cast<double>(r.uinteger) : static_cast<double>(r.integer);
  return r.number;
}

TEST_CASE("go-yaml v2 plain scalar resolution", "[values][yaml]") {
  using yaml::ResolvePlain;
  using yaml::ScalarType;
  for (const char* t : {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"}) {
    INFO(t);
    CHECK(ResolvePlain(t).type == ScalarType::kBool);
    CHECK(ResolvePlain(t).boolean);
  }
  for (const char* f : {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"}) {
    INFO(f);
    CHECK(ResolvePlain(f).type == ScalarType::kBool);
    CHECK_FALSE(ResolvePlain(f).boolean);
  }
  for (const char* s : {"yEs", "oN", "nO", "tRUE", "2001-12-14", "1:20", "0x", "-", "1.2.3", "0b102", "0o8"}) {
    INFO(s);
    CHECK(ResolvePlain(s).type == ScalarType::kString);
  }
  for (const char* n : {"", "~", "null", "Null", "NULL"}) CHECK(ResolvePlain(n).type == ScalarType::kNull);
  CHECK(Num("0755") == 493);
  CHECK(Num("0x1F") == 31);
  CHECK(Num("0b101") == 5);
  CHECK(Num("0o17") == 15);
  CHECK(Num("1_000") == 1000);
  CHECK(Num(".5") == 0.5);
  CHECK(Num("1e3") == 1000);
  CHECK(Num("08") == 8);  // not octal: falls through to the float syntax
  CHECK(Num("+12") == 12);
  CHECK(ResolvePlain("12345678901234567890").is_unsigned);
  CHECK(ResolvePlain("99999999999999999999").type == ScalarType::kFloat);
}

TEST_CASE("Go float formatting: encoding/json, %v and float32 keys", "[values][yaml]") {
  CHECK(FormatJsonFloat(12345678901234567890.0) == "12345678901234567000");
  CHECK(FormatJsonFloat(9223372036854775807.0) == "9223372036854776000");
  CHECK(FormatJsonFloat(1e21) == "1e+21");
  CHECK(FormatJsonFloat(1e20) == "100000000000000000000");
  CHECK(FormatJsonFloat(0.000001) == "0.000001");
  CHECK(FormatJsonFloat(1e-7) == "1e-7");
  CHECK(FormatJsonFloat(-1.5e-7) == "-1.5e-7");
  CHECK(FormatJsonFloat(0.5) == "0.5");
  CHECK(FormatFloatG(12345678, 64) == "1.2345678e+07");
  CHECK(FormatFloatG(999999, 64) == "999999");
  CHECK(FormatFloatG(1e6, 64) == "1e+06");
  CHECK(FormatFloatG(0.0001, 64) == "0.0001");
  CHECK(FormatFloatG(0.00001, 64) == "1e-05");
  CHECK(FormatFloatKey(1.5) == "1.5");
  CHECK(FormatFloatKey(0.1) == "0.1");
  // Beyond float32's range a key is infinite, below it zero, as Helm 3 and 4 print them (checked with helm template):
  // {5555...(52 digits): a, 1e-50: b, -1e-50: c, 3.4028235e38: d} -> {".inf": a, "0": b, "-0": c, "3.4028235e+38": d}
  CHECK(FormatFloatKey(5.555555555555555e51) == ".inf");
  CHECK(FormatFloatKey(-5.5e51) == "-.inf");
  CHECK(FormatFloatKey(1e-50) == "0");
  CHECK(FormatFloatKey(-1e-50) == "-0");
  CHECK(FormatFloatKey(3.4028235e38) == "3.4028235e+38");
  CHECK(FormatFloatKey(3.4028236e38) == ".inf");  // above FLT_MAX plus half an ulp
  CHECK(FormatFloatG(1e300, 64) == "1e+300");
  CHECK(FormatFloatG(-1e300, 32) == "-Inf");
}

TEST_CASE("values files: YAML 1.1 types, keys, anchors, merge keys, duplicates", "[values][yaml]") {
  CHECK(Load("a: 0755\nb: 0x1F\nc: 1_000\nd: .5\ne: 1e3\nf: 12345678901234567890\ng: 2001-12-14\nh: '007'\n") ==
        R"({"a":493,"b":31,"c":1000,"d":0.5,"e":1000,"f":12345678901234567000,"g":"2001-12-14","h":"007"})");
  CHECK(Load("yes: 1\nOFF: 2\n1.5: x\n0x10: y\n\"on\": z\n") == R"({"1.5":"x","16":true,"false":2,"on":"z","true":1})");
  CHECK(Load("dup: 1\ndup: 2\n") == R"({"dup":2})");
  CHECK(Load("base: &b {x: 1, w: 2}\nd:\n  <<: *b\n  w: 3\nz: *b\n") ==
        R"({"base":{"w":2,"x":1},"d":{"w":3,"x":1},"z":{"w":2,"x":1}})");
  // go-yaml v2: a merge after an explicit key overrides it; in a list of merges the first wins.
  CHECK(Load("a: &a {k: 1}\nb: &b {k: 2}\nc:\n  k: 0\n  <<: [*a, *b]\n") ==
        R"({"a":{"k":1},"b":{"k":2},"c":{"k":1}})");
  CHECK(Load("") == "{}");
  CHECK(Load("~\n") == "{}");
  CHECK(Load("# only a comment\n") == "{}");
  CHECK(Load("s: !!str 123\nl: [1, \"2\", ~]\n") == R"({"l":[1,"2",null],"s":"123"})");
  CHECK(Load("t: |\n  line1\n  line2\nf: >-\n  a\n  b\n") == R"({"f":"a b","t":"line1\nline2\n"})");
}

TEST_CASE("values files: origins point at the key's line and column", "[values][yaml]") {
  Value v = ParseValuesYaml("image:\n  repository: nginx\n  tag: \"1.0\"\nports:\n- 80\n", FileLayer("v.yaml"), 4);
  CHECK(v.FindPath({"image", "tag"})->origin().Location() == "v.yaml:3:3");
  CHECK(v.Find("image")->origin().Location() == "v.yaml:1:1");
  CHECK(v.Find("ports")->list()[0].origin().Location() == "v.yaml:5:3");
}

TEST_CASE("values files: errors name the file and the line, with Helm's wording", "[values][yaml]") {
  CHECK_THROWS_WITH(ParseValuesYaml("- a\n- b\n", FileLayer("vf/list.yaml"), 3),
                    "failed to parse vf/list.yaml: error unmarshaling JSON: while decoding JSON: json: cannot "
                    "unmarshal array into Go value of type map[string]interface {}");  // measured, Helm 3.17.3
  CHECK_THROWS_WITH(ParseValuesYaml("x\n", FileLayer("vf/s.yaml"), 4),
                    Catch::Contains("failed to parse vf/s.yaml: cannot unmarshal yaml document:") &&
                        Catch::Contains("cannot unmarshal string"));
  CHECK_THROWS_WITH(ParseValuesYaml("a: [1, 2\nb: 3\n", FileLayer("vf/bad.yaml"), 3),
                    Catch::StartsWith("failed to parse vf/bad.yaml: error converting YAML to JSON: yaml: line"));
  CHECK_THROWS_WITH(ParseValuesYaml("a: .inf\n", FileLayer("i.yaml"), 3), Catch::Contains("unsupported value: +Inf"));
  // Alias bombs are refused rather than expanded without bound.
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'j'; ++c)
    bomb += std::string(1, c) + ": &" + c + " [*" + static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) +
            ", *" + static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) +
            ", *" + static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) +
            ", *" + static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) + "]\n";
  CHECK_THROWS_WITH(ParseValuesYaml(bomb, FileLayer("bomb.yaml"), 4), Catch::Contains("excessive aliasing"));
}

TEST_CASE("values files: an empty item of an indentless sequence is null, as in go-yaml", "[values][yaml]") {
  CHECK(Load("a:\n- 1\n-\nb: 2\n") == R"({"a":[1,null],"b":2})");
  CHECK(Load("t: |\n  -\nc:\n- x\n-\n") == R"({"c":["x",null],"t":"-\n"})");
}

TEST_CASE("strvals parser: paths, lists, escapes, typed values", "[values][strvals]") {
  CHECK(Set({"a.b.c=1"}) == R"({"a":{"b":{"c":1}}})");
  CHECK(Set({"a=1,b=2"}) == R"({"a":1,"b":2})");
  CHECK(Set({"name[1].x=1"}) == R"({"name":[null,{"x":1}]})");
  CHECK(Set({"l[0]=a", "l[2]=c"}) == R"({"l":["a",null,"c"]})");
  CHECK(Set({"l[0][1]=x"}) == R"({"l":[[null,"x"]]})");
  CHECK(Set({"a={}"}) == R"({"a":[""]})");
  CHECK(Set({"a={x,y},b=1"}) == R"({"a":["x","y"],"b":1})");
  CHECK(Set({"a="}) == R"({"a":""})");
  CHECK(Set({"a\\.b=1"}) == R"({"a.b":1})");
  CHECK(Set({"a=x\\,y"}) == R"({"a":"x,y"})");
  CHECK(Set({"a=-5", "b=+5", "c=0", "d=00", "e=1.0", "f=tRuE", "g=Null"}) ==
        R"({"a":-5,"b":5,"c":0,"d":"00","e":"1.0","f":true,"g":null})");
  CHECK(Set({"a=9223372036854775807", "b=9223372036854775808"}) == R"({"a":9223372036854775807,"b":"9223372036854775808"})");
  CHECK(Set({"a=true"}, SetMode::kString) == R"({"a":"true"})");
  CHECK(Set({"a=a,b={c}.d[0]"}, SetMode::kLiteral) == R"({"a":"a,b={c}.d[0]"})");
  CHECK(Set({"a.b=x,y"}, SetMode::kLiteral) == R"({"a":{"b":"x,y"}})");
  CHECK(Set({R"(a={"z":1.0},b=[1,"x"],c=,d=null)"}, SetMode::kJson) == R"({"a":{"z":1},"b":[1,"x"],"c":null,"d":null})");
  CHECK(Set({"a[0]"}) == R"({"a":[]})");  // Helm quirk: no value, no error
  CHECK(Set({R"(a="\u00e9\ud83d\ude00\n",b={"k":{"n":[-0.5e-3,1E2,true,false]}} ,c=0)"}, SetMode::kJson) ==
        R"({"a":"é😀\n","b":{"k":{"n":[-0.0005,100,true,false]}},"c":0})");
  CHECK(Set({R"(l[1]={"x":1})"}, SetMode::kJson) == R"({"l":[null,{"x":1}]})");
  // Helm reads --set arguments rune by rune and Go's JSON decoder unquotes strings the same way: each byte of
  // invalid UTF-8 becomes U+FFFD (raw, so toJson prints the character, not \ufffd). --set-file contents stay bytes.
  const std::string bad = "x\xff\xc3y\xed\xa0\x80";
  const std::string fixed = "x\xef\xbf\xbd\xef\xbf\xbdy\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd";
  CHECK(Set({"k" + bad + "=" + bad}) == "{\"k" + fixed + "\":\"" + fixed + "\"}");
  CHECK(Set({"k=" + bad + ",l={" + bad + "}"}, SetMode::kString) == "{\"k\":\"" + fixed + "\",\"l\":[\"" + fixed + "\"]}");
  CHECK(Set({"k" + bad + "=" + bad}, SetMode::kLiteral) == "{\"k" + fixed + "\":\"" + fixed + "\"}");
  CHECK(Set({"k" + bad + "=[\"" + bad + "\"]"}, SetMode::kJson) == "{\"k" + fixed + "\":[\"" + fixed + "\"]}");
  Value file = Value::MakeMap();
  ParseSetInto("k=f", SetMode::kFile, file, Origin{}, [&](const std::string&) { return bad; });
  CHECK(ToJson(file) == R"({"k":"x\ufffd\ufffdy\ufffd\ufffd\ufffd"})");
}

TEST_CASE("strvals parser: errors read like Helm's", "[values][strvals]") {
  CHECK(SetError("a") == R"(key "a" has no value)");
  CHECK(SetError("a,b=1") == R"(key "a" has no value (cannot end with ,))");
  CHECK(SetError("a.=1") == R"(key map "a" has no value)");
  CHECK(SetError("a={x,y") == "list must terminate with '}'");
  CHECK(SetError("a[x]=1") == R"(error parsing index: strconv.Atoi: parsing "x": invalid syntax)");
  CHECK(SetError("a[-1]=1") == "negative -1 index not allowed");
  CHECK(SetError("a[70000]=1") == "index of 70000 is greater than maximum supported index of 65536");
  CHECK(SetError("a[0]x=1") == R"(unexpected data at end of array index: "x")");
  CHECK(SetError("a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a.b.c.d.e.f=1") ==
        "value name nested level is greater than maximum supported nested level of 30");
  Value v = Value::MakeMap();
  ParseSetInto("a=1", SetMode::kTyped, v, Origin{});
  CHECK_THROWS_WITH(ParseSetInto("a.b=1", SetMode::kTyped, v, Origin{}),
                    "unable to parse key: interface conversion: interface {} is int64, not map[string]interface {}");
  CHECK_THROWS_WITH(ParseSetInto("a[0]=1", SetMode::kTyped, v, Origin{}),
                    "unable to parse key: interface conversion: interface {} is int64, not []interface {}");
  CHECK_THROWS(Set({"a={"}, SetMode::kJson));
  CHECK(SetError("a=tru", SetMode::kJson) == "unexpected EOF");
  CHECK(SetError("a=x", SetMode::kJson) == "invalid character 'x' looking for beginning of value");
  CHECK(SetError("a=[1,]", SetMode::kJson) == "invalid character ']' looking for beginning of value");
  CHECK(SetError(R"(a={"k" 1})", SetMode::kJson) == "invalid character '1' after object key");
}

TEST_CASE("toJson escapes like Go and toYaml quotes like go-yaml v2", "[values][output]") {
  Value v = Value::MakeMap();
  v.map()["html"] = Value::String("<a&b>");
  v.map()["ctl"] = Value::String(std::string("x\x01y"));
  v.map()["bad"] = Value::String(std::string("\xff"));
  CHECK(ToJson(v) == R"({"bad":"\ufffd","ctl":"x\u0001y","html":"\u003ca\u0026b\u003e"})");
  // Every control character, DEL, the HTML characters, U+2028/9 and invalid UTF-8, as Helm 3.17.3 and 4.1.4 print
  // them (measured with `helm template` of {{ toJson .Values }}): Go 1.22+ short escapes \b and \f.
  std::string all;
  for (int c = 0; c < 0x20; ++c) all += static_cast<char>(c);
  all += "\x7f<>&\xe2\x80\xa8\xe2\x80\xa9\"\\/ \xc3\xa9\xf0\x9f\x98\x80\xef\xbf\xbd";
  all += "x\xff\xc3y\xed\xa0\x80z\xf4\x90\x80\x80w\xe0\x80\xaf\xc0\xaf\xe2\x80";
  CHECK(ToJson(Value::String(all)) ==
        "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f"
        "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e"
        "\\u001f\x7f\\u003c\\u003e\\u0026\\u2028\\u2029\\\"\\\\/ \xc3\xa9\xf0\x9f\x98\x80\xef\xbf\xbd"
        "x\\ufffd\\ufffdy\\ufffd\\ufffd\\ufffdz\\ufffd\\ufffd\\ufffd\\ufffdw\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd"
        "\\ufffd\\ufffd\"");
  CHECK(ToJson(Value::String("\b\f")) == R"("\b\f")");
  CHECK(ToJsonPretty(Value::String("\b")) == R"("\b")");
  Value y = Value::MakeMap();
  y.map()["b"] = Value::String("true");
  y.map()["n"] = Value::String("123");
  y.map()["e"] = Value::String("");
  y.map()["c"] = Value::String("a: b");
  y.map()["m"] = Value::String("line1\nline2\n");
  y.map()["f"] = Value::Float(1e21);
  y.map()["g"] = Value::Float(0.5);
  y.map()["l"] = Value::MakeList();
  y.map()["l"].list().push_back(Value::Float(1));
  y.map()["o"] = Value::MakeMap();
  CHECK(ToYaml(y) ==
        "b: \"true\"\nc: 'a: b'\ne: \"\"\nf: 1e+21\ng: 0.5\nl:\n- 1\nm: |\n  line1\n  line2\n\"n\": \"123\"\no: {}\n");
}
