// The option table: every option is declared once (flag = file key = CAPSTAN_ variable), applied in the order
// default < file < environment < flag; old file keys still work with a warning; file errors name file:line and
// suggest the key meant.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "postrender/config.h"
#include "postrender/option_table_testing.h"
#include "support/test_support.h"
#include "util/error.h"

using namespace capstan;
using postrender::OptionTable;
using postrender::testing::ErrorOf;
using postrender::testing::Settle;

TEST_CASE("options: one name for flag, file key and environment variable, all distinct") {
  postrender::Config c;
  OptionTable t = postrender::DeclareOptions(c);
  std::set<std::string> names, aliases;
  for (const auto& o : t.options()) {
    CHECK(names.insert(o.name).second);
    CHECK(!o.help.empty());
    for (const auto& a : o.aliases) CHECK(aliases.insert(a).second);
  }
  for (const char* expected : {"release", "namespace", "pdb", "prestop-delay", "wait-image", "checksum",
                               "hmac-key-file", "workload-kind", "output", "fail-on", "ordered-start-timeout"})
    CHECK(names.count(expected));
  CHECK(OptionTable::EnvName("wait-image") == "CAPSTAN_WAIT_IMAGE");
  CHECK(OptionTable::EnvName("hmac-key-file") == "CAPSTAN_HMAC_KEY_FILE");
}

TEST_CASE("options: flag > environment > file > default") {
  test::TempDir d;
  std::string file = d.Write("c.yaml", "release: from-file\nnamespace: file-ns\nwait-image: file-image\npdb: true\n");
  postrender::Config defaults = Settle("", {}, {});
  CHECK(defaults.pipeline.release.empty());
  CHECK(!defaults.safety.pdb);
  postrender::Config c = Settle(file, {{"CAPSTAN_NAMESPACE", "env-ns"}, {"CAPSTAN_WAIT_IMAGE", "env-image"}},
                                {"--wait-image", "flag-image", "--no-pdb"});
  CHECK(c.pipeline.release == "from-file");
  CHECK(c.pipeline.namespace_ == "env-ns");
  CHECK(c.waits.image == "flag-image");
  CHECK(!c.safety.pdb);
  CHECK(Settle("", {{"CAPSTAN_PDB", "true"}}, {}).safety.pdb);
  CHECK(Settle("", {}, {"-n", "short"}).pipeline.namespace_ == "short");
}

TEST_CASE("options: typed values from every source") {
  test::TempDir d;
  std::string file = d.Write("c.yaml", "prestop-delay: 5s\nmax-document-size: 1Mi\nworkload-kind: [example.com/Foo=spec.pod]\n"
                                       "wait-rules: [{kind: Deployment, waitFor: 'tcp://db:5432'}]\nthreads: 2\n");
  postrender::Config c = Settle(file, {{"CAPSTAN_WORKLOAD_KIND", "Bar=spec.template"}},
                                {"--workload-kind", "x.io/Baz=spec.t"});
  CHECK(c.safety.prestop_seconds == 5);
  CHECK(c.pipeline.max_document_size == 1u << 20);
  CHECK(c.pipeline.threads == 2);
  REQUIRE(c.checksum.extra_kinds.size() == 3);
  CHECK(c.checksum.extra_kinds[0].kind == "Foo");
  CHECK(c.checksum.extra_kinds[1].kind == "Bar");
  CHECK(c.checksum.extra_kinds[2].group == "x.io");
  REQUIRE(c.waits.rules.size() == 1);
  CHECK(c.waits.rules[0].wait_for == "tcp://db:5432");
}

TEST_CASE("options: the older nested keys still work, each with a warning naming the key to write") {
  test::TempDir d;
  std::string file = d.Write("old.yaml", "maxDocumentSize: 2Mi\nchecksum:\n  annotation: example.com/d\n"
                                         "  workloadKinds:\n    - {group: example.com, kind: Foo, path: spec.pod}\n"
                                         "safety:\n  podDisruptionBudgets: true\nwaits:\n  image: img\n"
                                         "  orderedStartTimeout: 10m\n");
  std::vector<std::string> warnings;
  postrender::Config c = Settle(file, {}, {}, &warnings);
  CHECK(c.pipeline.max_document_size == 2u << 20);
  CHECK(c.checksum.annotation == "example.com/d");
  REQUIRE(c.checksum.extra_kinds.size() == 1);
  CHECK(c.checksum.extra_kinds[0].template_path == std::vector<std::string>{"spec", "pod"});
  CHECK(c.safety.pdb);
  CHECK(c.waits.image == "img");
  CHECK(c.ordered_start_timeout == "10m");
  REQUIRE(warnings.size() == 6);
  CHECK(warnings[0] == file + ":1: the key 'maxDocumentSize' is deprecated: write 'max-document-size' at the top "
                              "level (configuration keys are the flag names)");
  CHECK_THAT(warnings[2], Catch::StartsWith(file + ":4: the key 'checksum.workloadKinds' is deprecated: write "
                                                   "'workload-kind'"));
  // A bool option and an old section of the same name: the mapping is the section.
  std::string both = d.Write("both.yaml", "checksum: false\nwaits: true\nwait-image: i\n");
  postrender::Config b = Settle(both, {}, {}, &warnings);
  CHECK(!b.checksum.enabled);
  CHECK(b.waits.enabled);
  CHECK(warnings.empty());
}

TEST_CASE("options: file errors name file:line and suggest the key or value meant") {
  test::TempDir d;
  std::string a = d.Write("a.yaml", "release: r\npbd: true\n");
  CHECK_THAT(ErrorOf([&] { Settle(a, {}, {}); }),
             Catch::StartsWith(a + ":2: unknown key 'pbd' (did you mean 'pdb'?); the keys are the flag names: "));
  std::string old = d.Write("old.yaml", "maxDocumentSise: 1Mi\n");
  CHECK_THAT(ErrorOf([&] { Settle(old, {}, {}); }),
             Catch::StartsWith(old + ":1: unknown key 'maxDocumentSise' (did you mean 'max-document-size'?)"));
  std::string section = d.Write("s.yaml", "checksum:\n  anotation: x\n");
  CHECK_THAT(ErrorOf([&] { Settle(section, {}, {}); }),
             Catch::StartsWith(section + ":2: unknown key 'anotation' (did you mean 'annotation'?)"));
  std::string value = d.Write("v.yaml", "\noutput: jsn\n");
  CHECK(ErrorOf([&] { Settle(value, {}, {}); }) ==
        value + ":2: unknown value 'jsn' for output (did you mean 'json'?); one of text, json, sarif, github, junit");
  std::string type = d.Write("t.yaml", "pdb: sometimes\n");
  CHECK(ErrorOf([&] { Settle(type, {}, {}); }) == type + ":1: expected true or false");
  std::string duration = d.Write("d.yaml", "release: r\nprestop-delay: soon\n");
  CHECK_THAT(ErrorOf([&] { Settle(duration, {}, {}); }), Catch::StartsWith(duration + ":2: "));
  std::string list = d.Write("l.yaml", "wait-rules: [{kind: Deployment}]\n");
  CHECK_THAT(ErrorOf([&] { Settle(list, {}, {}); }), Catch::Contains("l.yaml:1: a wait rule needs waitFor"));
}

TEST_CASE("options: environment errors name the variable") {
  CHECK(ErrorOf([] { Settle("", {{"CAPSTAN_PDB", "maybe"}}, {}); }) == "CAPSTAN_PDB='maybe': expected true or false");
  CHECK_THAT(ErrorOf([] { Settle("", {{"CAPSTAN_FAIL_ON", "warnin"}}, {}); }),
             Catch::StartsWith("CAPSTAN_FAIL_ON: unknown value 'warnin' for fail-on (did you mean 'warning'?)"));
}

TEST_CASE("options: every flag of capstan-postrender is a configuration key, the log flags included") {
  postrender::Config c;
  OptionTable t = postrender::DeclareOptions(c);
  CLI::App app;
  cli::AddCommonFlags(app, c.common);  // as main() builds it
  t.AddFlags(app);
  for (const CLI::Option* o : app.get_options()) {
    for (const auto& name : o->get_lnames()) {
      if (name == "help" || name == "version" || name == "config") continue;
      if (name.rfind("no-", 0) == 0 && t.Find(name.substr(3)) && t.Find(name.substr(3))->kind == OptionTable::Kind::kBool)
        continue;  // --no-summary: the false of summary
      INFO("--" << name);
      const OptionTable::Option* key = t.Find(name);
      REQUIRE(key);
      CHECK(key->has_file);
    }
  }
  test::TempDir d;
  std::string file = d.Write("c.yaml", "log-file: /var/log/capstan.log\nlog-format: json\nverbose: 2\nquiet: false\n"
                                       "release: r\nnamespace: n\nreport: /tmp/report.json\n");
  postrender::Config s = Settle(file, {}, {});
  CHECK(s.common.log_file == "/var/log/capstan.log");
  CHECK(s.common.log_format == "json");
  CHECK(s.common.verbose == 2);
  CHECK_FALSE(s.common.quiet);
  CHECK(s.pipeline.release == "r");
  CHECK(s.pipeline.namespace_ == "n");
  CHECK(s.report_file == "/tmp/report.json");
  CHECK(Settle(d.Write("v.yaml", "verbose: true\n"), {}, {}).common.verbose == 1);
  std::string bad = d.Write("b.yaml", "release: r\nlog-format: jsn\n");
  CHECK(ErrorOf([&] { Settle(bad, {}, {}); }) ==
        bad + ":2: unknown value 'jsn' for log-format (did you mean 'json'?); one of text, json");
  std::string typo = d.Write("t.yaml", "log-fille: x\n");
  CHECK_THAT(ErrorOf([&] { Settle(typo, {}, {}); }),
             Catch::StartsWith(typo + ":1: unknown key 'log-fille' (did you mean 'log-file'?)"));
  std::string verbose = d.Write("vv.yaml", "verbose: loud\n");
  CHECK(ErrorOf([&] { Settle(verbose, {}, {}); }) == verbose + ":1: verbose must be true, false or a number, not 'loud'");
}
