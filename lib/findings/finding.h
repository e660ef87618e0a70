// The findings model shared by every Capstan check (values lint, the post-renderer's check mode): one Finding is
// one problem at one place (file:line:column and a JSON pointer into the data), with a severity and a rule id.
// A Report groups the findings of one run with the rules that can produce them and the inputs that were checked,
// so that every output format (text, JSON, SARIF, GitHub annotations, JUnit) can be rendered from it.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace capstan::findings {

enum class Severity { kError = 0, kWarning = 1, kInfo = 2 };

std::string_view SeverityName(Severity s);  // "error" | "warning" | "info"
// Parses "error" | "warning" | "info"; throws UsageError naming the accepted values.
Severity ParseSeverity(std::string_view s);

struct Finding {
  Severity severity = Severity::kError;
  std::string rule;        // rule id: "schema", "unknown-key", ...
  std::string message;     // one line, says what and why (the location is in file/line/column)
  std::string file;        // as the user named it (relative paths stay relative); empty when not in a file
  int line = 0;            // 1-based; 0 when unknown
  int column = 0;          // 1-based; 0 when unknown
  std::string path;        // JSON pointer into the data ("/image/tag"); empty for the document itself
  std::string suggestion;  // optional replacement (a key name, a quoted value); empty when none
  std::string context;     // optional: which combination produced it (matrix runs), e.g. "env/dev.yaml"
};

// A rule that a check can report, described once for SARIF's tool.driver.rules (GitHub code scanning shows the
// description and the help beside each alert) and JUnit's test cases.
struct Rule {
  Rule() = default;
  // {id, summary, severity} as before; the description and help are optional (SARIF then repeats the summary).
  Rule(std::string id_, std::string summary_, Severity severity, std::string description_ = {},
       std::string help_ = {}, std::string help_markdown_ = {})
      : id(std::move(id_)), summary(std::move(summary_)), default_severity(severity),
        description(std::move(description_)), help(std::move(help_)), help_markdown(std::move(help_markdown_)) {}
  std::string id;
  std::string summary;   // one sentence
  Severity default_severity = Severity::kError;
  std::string description;  // a paragraph: what the rule finds and why it matters (empty: the summary)
  std::string help;         // plain text: what, why, how to fix (empty: the description)
  std::string help_markdown;  // the same help in Markdown, with a YAML example of the fix (empty: none)
};

struct Report {
  std::string tool = "capstan";
  std::string tool_version;
  std::string title;                // e.g. "capstan values lint"
  std::vector<Rule> rules;          // every rule the check knows, in a stable order
  std::vector<std::string> inputs;  // every file that was checked (JUnit lists clean files too)
  std::vector<Finding> findings;
};

// The deterministic order: file, line, column, rule, then message, path and context.
bool FindingLess(const Finding& a, const Finding& b);
// Sorts findings and folds findings that differ only by context into one whose context lists them all
// ("env/dev.yaml, env/prod.yaml"), so a problem in a shared base file is reported once in a matrix run.
void SortAndFold(std::vector<Finding>& findings);

struct Counts {
  size_t errors = 0, warnings = 0, infos = 0;
};
Counts Count(const std::vector<Finding>& findings);
// True when any finding is at or above the threshold (kError is the highest).
bool AnyAtOrAbove(const std::vector<Finding>& findings, Severity threshold);

// "file:line:col" with the parts that are known ("values.yaml:3", "values.yaml", "" when no file).
std::string LocationString(const Finding& f);

}  // namespace capstan::findings
