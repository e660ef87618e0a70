// The condition language: grammar, validation of each kind, error columns, canonical ToArg() round trip, the
// registry of kinds and the init-container argv.
#include <catch2/catch.hpp>

#include "wait/condition.h"

using namespace capstan;
using namespace capstan::wait;

namespace {

// Parses text and returns the error, failing the test when it parses.
ConditionError ErrorOf(const std::string& text) {
  try {
    ParseConditionList(text);
  } catch (const ConditionError& e) {
    return e;
  }
  FAIL("expected a ConditionError for " << text);
  throw;  // unreachable
}

std::string Canon(const std::string& text) { return ToListString(ParseConditionList(text)); }

}  // namespace

TEST_CASE("the brief's annotation example parses into four conditions in canonical form") {
  auto list = ParseConditionList(
      "tcp://db:5432, http://solr:8983/solr/admin/ping (expect 'OK'), dns:db.default.svc,\n"
      "file:/shared/.capstan/ready (content=abc123)");
  REQUIRE(list.size() == 4);
  CHECK(list[0]->kind() == "tcp");
  CHECK(list[0]->ToArg() == "tcp://db:5432");
  CHECK(list[0]->host() == "db");
  CHECK(list[1]->kind() == "http");
  CHECK(list[1]->ToArg() == "http://solr:8983/solr/admin/ping (expect=OK)");
  CHECK(list[1]->host() == "solr");
  CHECK(list[2]->ToArg() == "dns:db.default.svc");
  CHECK(list[3]->ToArg() == "file:/shared/.capstan/ready (content=abc123)");
  CHECK(list[3]->host().empty());
}

TEST_CASE("separators: commas, line breaks, blank lines and surrounding whitespace") {
  CHECK(ParseConditionList("").empty());
  CHECK(ParseConditionList("  \n\t ").empty());
  CHECK(ParseConditionList("tcp://a:1,tcp://b:2").size() == 2);
  CHECK(ParseConditionList("tcp://a:1\ntcp://b:2\n").size() == 2);
  CHECK(ParseConditionList("\n  tcp://a:1 ,\n\n  tcp://b:2  \n\n").size() == 2);
  CHECK(ParseConditionList("tcp://a:1 (timeout=1m),\ntcp://b:2").size() == 2);
  // options may span lines inside the parentheses
  CHECK(Canon("https://h/p (\n  expect='x y',\n  ca=/c.pem\n)") == "https://h/p (expect='x y', ca=/c.pem)");
}

TEST_CASE("option forms: key=value, key value, quoting, escapes, operators, flags") {
  CHECK(Canon("http://h/ (expect=OK)") == "http://h/ (expect=OK)");
  CHECK(Canon("http://h/ (expect OK)") == "http://h/ (expect=OK)");
  CHECK(Canon("http://h/ (expect = OK)") == "http://h/ (expect=OK)");
  CHECK(Canon("http://h/ (EXPECT='OK')") == "http://h/ (expect=OK)");
  CHECK(Canon("http://h/ (expect=\"a, b (c)\")") == "http://h/ (expect='a, b (c)')");
  CHECK(Canon(R"(http://h/ (expect='it\'s'))") == R"(http://h/ (expect='it\'s'))");
  CHECK(Canon(R"(http://h/ (expect="back\\slash"))") == R"(http://h/ (expect=back\slash))");  // bare: literal
  CHECK(Canon("http://h/ (expect='=x')") == "http://h/ (expect='=x')");  // a leading operator char is quoted
  CHECK(Canon("http://h/(expect=OK)") == "http://h/ (expect=OK)");      // no space before '(' is fine
  CHECK(Canon("file:/m (content=sha256:ab+/=)") == "file:/m (content=sha256:ab+/=)");
}

TEST_CASE("timeouts per condition are canonical durations after the kind's options") {
  auto c = ParseCondition("tcp://db:5432 (attempt-timeout=1500ms, timeout=90s)");
  REQUIRE(c->timeout().has_value());
  CHECK(c->timeout()->count() == 90000);
  CHECK(c->attempt_timeout()->count() == 1500);
  CHECK(c->ToArg() == "tcp://db:5432 (timeout=1m30s, attempt-timeout=1500ms)");
  CHECK(Canon("file:/x (timeout=2h, content=a)") == "file:/x (content=a, timeout=2h)");
  CHECK(FormatDurationExact(Millis(300000)) == "5m");
  CHECK(FormatDurationExact(Millis(3723000)) == "1h2m3s");
  CHECK(FormatDurationExact(Millis(250)) == "250ms");
}

TEST_CASE("targets of each kind are validated and normalised") {
  CHECK(Canon("TCP://db:5432") == "tcp://db:5432");
  CHECK(Canon("tcp:db:5432") == "tcp://db:5432");
  CHECK(Canon("tcp://[::1]:80") == "tcp://[::1]:80");
  CHECK(Canon("dns://db.example.") == "dns:db.example");
  CHECK(Canon("https://h:8443") == "https://h:8443");
  CHECK(Canon("https://h?x=1") == "https://h/?x=1");
  CHECK(Canon("file:///var/run/x") == "file:/var/run/x");
  CHECK(Canon("file:/a%20b") == "file:/a%20b");
  auto f = ParseCondition("file:/a%20b%2Cc");
  CHECK(f->ToArg() == "file:/a%20b%2Cc");
}

TEST_CASE("bad conditions report the condition, the column and what to write") {
  struct Case {
    std::string text;
    size_t column;
    std::string needle;
  };
  std::vector<Case> cases = {
      {"htp://x", 1, "did you mean 'http'"},
      {"db:5432", 1, "write tcp://db:5432"},
      {"tcp://db", 9, "missing port"},
      {"tcp://db:99999", 10, "port out of range"},
      {"tcp://db:5432/x", 14, "after the port"},
      {"tcp://db:5432, htp://x", 16, "condition 2"},
      {"tcp://a:1,", 10, "trailing ','"},
      {"tcp://a:1,,tcp://b:2", 11, "empty condition"},
      {"tcp://a:1 tcp://b:2", 11, "expected ',' or a line break"},
      {"https://h/ (expct=OK)", 13, "did you mean 'expect'"},
      {"https://h/ (expect=OK", 12, "never closed"},
      {"https://h/ (expect='OK)", 20, "unterminated"},
      {"https://h/ ()", 12, "empty option list"},
      {"https://h/ (expect=)", 19, "expected a value"},
      {"https://h/ (expect=OK,)", 22, "trailing ','"},
      {"https://h/ (expect=a, expect=b)", 23, "given twice"},
      {"http://h/ (ca=/x.pem)", 15, "only applies to https"},
      {"https://h/ (ca=relative.pem)", 16, "absolute path"},
      {"tcp://a:1 (timeout=soon)", 20, "not a duration"},
      {"tcp://a:1 (timeout=0s)", 20, "more than 0"},
      {"tcp://a:1 (timeout>=1s)", 21, "takes '='"},
      {"file:relative", 6, "absolute"},
      {"file:/x%zz", 8, "%XX"},
      {"file:/x (content=' a')", 6, "whitespace"},
      {"dns:", 5, "missing name"},
      {"dns:db:53", 5, "without a port"},
      {"dns:db..", 5, "invalid DNS name"},  // not read as the fully qualified "db."
      {"dns:.", 5, "missing name"},
      {"http:/x", 6, "expected '//'"},
      {"https://user:pw@h/", 9, "user name or password"},
      {"https://h/a b", 13, "%20"},
      {"https://h/#frag", 11, "fragment"},
      {"(expect=OK)", 1, "expected a condition"},
      {"5432", 1, "expected a condition"},
      {"tcp://a:1 'x'", 11, "quote"},
      {"tcp://a:1\n(timeout=1s)", 1, "same line"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto e = ErrorOf(c.text);
    CHECK(e.column() == c.column);
    CHECK_THAT(e.what(), Catch::Contains(c.needle));
    CHECK(e.exit_code() == kExitUsage);
  }
}

TEST_CASE("errors in multi-line lists name the line and the column") {
  auto e = ErrorOf("tcp://db:5432\n  https://h/ (expct=1)");
  CHECK(e.line() == 2);
  CHECK(e.column() == 15);
  CHECK_THAT(e.what(), Catch::StartsWith("condition 2 at line 2, column 15: unknown option 'expct'"));
  auto nul = ErrorOf(std::string("tcp://a:1\0", 10));
  CHECK_THAT(nul.what(), Catch::Contains("NUL"));
}

TEST_CASE("ParseCondition takes exactly one condition") {
  CHECK(ParseCondition("tcp://a:1")->ToArg() == "tcp://a:1");
  CHECK_THROWS_AS(ParseCondition("tcp://a:1, tcp://b:2"), ConditionError);
  CHECK_THROWS_AS(ParseCondition("   "), ConditionError);
}

TEST_CASE("Parse -> ToArg -> Parse is stable for every kind and option") {
  std::vector<std::string> inputs = {
      "tcp://db:5432 (timeout=30s)",
      "https://solr:8983/solr/admin/ping?wt=json (expect='\"status\":\"OK\"', ca=/etc/capstan/ca.crt, "
      "attempt-timeout=2s)",
      "http://[::1]:8080/health (expect=UP)",
      "dns:db.default.svc.cluster.local",
      "file:/shared/.capstan/portal.ready (content=sha256:0123abcd)",
      "file:/dir%20with%20space/x%28y%29 (content='two words')",
  };
  for (const auto& in : inputs) {
    INFO(in);
    auto a = ParseCondition(in);
    auto b = ParseCondition(a->ToArg());
    CHECK(a->ToArg() == b->ToArg());
    CHECK(a->kind() == b->kind());
    CHECK(a->target() == b->target());
  }
}

TEST_CASE("WaitArgv builds the init container's command line that ParseConditionList reads back") {
  auto list = ParseConditionList("tcp://db:5432, https://h/p (expect='a b')");
  WaitCommandOptions o;
  o.timeout = Millis(120000);
  o.max_interval = Millis(5000);
  auto argv = WaitArgv(list, o);
  std::vector<std::string> want = {"wait", "--timeout", "2m", "--max-interval", "5s", "--",
                                   "tcp://db:5432", "https://h/p (expect='a b')"};
  CHECK(argv == want);
  for (size_t i = 6; i < argv.size(); ++i) CHECK(ParseCondition(argv[i])->ToArg() == argv[i]);
}

namespace {
class RunCondition : public Condition {
 public:
  RunCondition(std::string name, bool complete) : Condition("run", "run:" + name) {
    if (complete) AddCanonicalOption("complete", "", "");
  }
  AttemptResult Check(const AttemptContext&) override { return AttemptResult::NotYet("not in this test"); }
};
}  // namespace

TEST_CASE("other kinds can be registered (a made-up run: kind) and take part in parsing, errors and round trips") {
  RegisterConditionKind(
      "run",
      [](OptionReader& r) -> std::unique_ptr<Condition> {
        if (r.spec().body.empty()) r.FailTarget("missing run name");
        bool complete = r.TakeFlag("complete");
        return std::make_unique<RunCondition>(r.spec().body, complete);
      },
      "run:NAME (complete)  a run completed");
  auto c = ParseCondition("run:db-migrate (complete, timeout=10m)");
  CHECK(c->kind() == "run");
  CHECK(c->ToArg() == "run:db-migrate (complete, timeout=10m)");
  CHECK(ParseCondition(c->ToArg())->ToArg() == c->ToArg());
  CHECK(ParseCondition("run:x (complete=false)")->ToArg() == "run:x");
  auto e = ErrorOf("tcp://a:1, run:");
  CHECK(e.column() == 16);
  CHECK_THAT(e.what(), Catch::Contains("missing run name"));
  CHECK_THAT(ErrorOf("run:x (complet)").what(), Catch::Contains("did you mean 'complete'"));
  CHECK_THAT(ErrorOf("run:x (complete=yes)").what(), Catch::Contains("is a flag"));
  bool listed = false;
  for (const auto& [k, summary] : ConditionKinds()) listed |= (k == "run" && !summary.empty());
  CHECK(listed);
  CHECK_THROWS_AS(RegisterConditionKind("Bad Scheme", [](OptionReader&) { return std::unique_ptr<Condition>(); }),
                  Error);
}
