// The check mode's options: --rule / --skip-rule (repeatable, or comma-separated) and --kube-version as flags,
// configuration-file keys and CAPSTAN_* variables; an unknown rule id is a usage error with did-you-mean wherever
// it is written, and a bad version names the form expected.
#include <catch2/catch.hpp>

#include <map>

#include "postrender/config.h"
#include "postrender/option_table_testing.h"
#include "support/test_support.h"
#include "util/error.h"

using namespace capstan;
using postrender::testing::ErrorOf;
using postrender::testing::Settle;

TEST_CASE("check options: --rule, --skip-rule and --kube-version from flags, file and environment") {
  auto c = Settle("", {}, {"--rule", "no-pdb", "--rule", "recreate-strategy,no-prestop-delay", "--skip-rule",
                           "single-replica", "--kube-version", "v1.29.4", "--chart-dir", "charts/web"});
  CHECK(c.check_options.rules == std::vector<std::string>{"no-pdb", "recreate-strategy", "no-prestop-delay"});
  CHECK(c.check_options.skip_rules == std::vector<std::string>{"single-replica"});
  CHECK(c.check_options.kube_minor == 29);
  CHECK(c.check_options.chart_dir == "charts/web");
  CHECK(c.check_options.Enabled("no-pdb"));
  CHECK_FALSE(c.check_options.Enabled("single-replica"));
  CHECK_FALSE(c.check_options.Enabled("no-readiness-probe"));

  test::TempDir dir;
  std::string file = dir.Write("capstan.yaml", "check: true\nskip-rule:\n  - no-pdb\n  - grace-period-too-short\n"
                                               "kube-version: \"1.31\"\n");
  c = Settle(file, {{"CAPSTAN_RULE", "max-unavailable-all"}}, {});
  CHECK(c.check_options.skip_rules == std::vector<std::string>{"no-pdb", "grace-period-too-short"});
  CHECK(c.check_options.rules == std::vector<std::string>{"max-unavailable-all"});
  CHECK(c.check_options.kube_minor == 31);
  CHECK(Settle("", {}, {}).check_options.kube_minor == 0);  // the default: not known
}

TEST_CASE("check options: unknown rule ids and bad versions are usage errors that say what was meant") {
  CHECK_THAT(ErrorOf([] { Settle("", {}, {"--rule", "no-pbd"}); }),
             Catch::Contains("unknown rule 'no-pbd' for --rule (did you mean 'no-pdb'?)"));
  CHECK_THAT(ErrorOf([] { Settle("", {}, {"--skip-rule", "recreate"}); }),
             Catch::Contains("unknown rule 'recreate' for --skip-rule") && Catch::Contains("the rules are "));
  test::TempDir dir;
  std::string file = dir.Write("capstan.yaml", "check: true\nskip-rule: [no-pdb, single-replika]\n");
  CHECK_THAT(ErrorOf([&] { Settle(file, {}, {}); }),
             Catch::StartsWith(file + ":2: ") && Catch::Contains("did you mean 'single-replica'?"));
  CHECK_THAT(ErrorOf([] { Settle("", {{"CAPSTAN_SKIP_RULE", "no-prestop"}}, {}); }),
             Catch::Contains("unknown rule 'no-prestop'"));
  CHECK_THAT(ErrorOf([] { Settle("", {}, {"--kube-version", "1.x"}); }),
             Catch::Contains("invalid Kubernetes version '1.x'") && Catch::Contains("e.g. 1.30"));
}
