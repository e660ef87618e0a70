// A chart written into a temporary directory for the lint tests: a parent chart with a schema, a subchart with its
// own schema, a renames file, and helpers to run the linter in-process or the `capstan` binary.
#pragma once
#include <string>
#include <vector>

#include "findings/finding.h"
#include "support/test_support.h"
#include "values/lint/linter.h"

namespace capstan::test {

class LintChart {
 public:
  LintChart();
  const std::string& dir() const { return tmp_.path(); }
  std::string chart() const { return tmp_.path() + "/portal"; }
  std::string Write(const std::string& rel, const std::string& content) const { return tmp_.Write(rel, content); }
  // Runs values::lint::Lint with -f files (paths relative to dir()) and --set flags.
  values::lint::LintResult Lint(const std::vector<std::string>& files, const std::vector<std::string>& sets = {},
                                int helm = 4) const;
  // Runs `capstan values lint <chart> args...` in dir().
  ProcessResult Cli(const std::vector<std::string>& args) const;

 private:
  TempDir tmp_;
};

// "file:line:col rule" of each finding, for exact assertions.
std::vector<std::string> Where(const std::vector<findings::Finding>& findings);
// The findings of one rule.
std::vector<findings::Finding> OfRule(const std::vector<findings::Finding>& findings, const std::string& rule);

}  // namespace capstan::test
