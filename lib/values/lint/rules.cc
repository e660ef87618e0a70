// The rules of `capstan values lint`, with the description and help (what, why, how to fix, with an example) that
// SARIF carries in tool.driver.rules, so that GitHub code scanning explains each alert.
#include "values/lint/linter.h"

namespace capstan::values::lint {

namespace {

using findings::Severity;

findings::Rule Make(const char* id, Severity severity, const std::string& summary, const std::string& why,
                    const std::string& fix, const std::string& example) {
  std::string description = summary + ". " + why;
  std::string help = summary + ".\n\nWhy: " + why + "\n\nHow to fix: " + fix + "\n\nExample:\n" + example;
  std::string markdown = "**" + summary + ".**\n\n" + why + "\n\n**How to fix:** " + fix + "\n\n```yaml\n" +
                         example + "```\n";
  return {id, summary, severity, description, help, markdown};
}

}  // namespace

std::vector<findings::Rule> Rules() {
  return {
      Make("yaml", Severity::kError, "Values files must be readable by Helm",
           "Helm refuses a values file its YAML parser (go-yaml v2) cannot read, and the release fails before "
           "anything is applied. Capstan reads values with the same parser, so it reports exactly the files Helm "
           "refuses, with Helm's message; Helm 4 also splits files at every line starting with \"---\".",
           "Fix the syntax at the line shown: indent with spaces (never tabs), close quotes and brackets, keep a "
           "flow map's \":\" on its key's line, put nothing but a comment after \"---\".",
           "image:\n  tag: \"1.2.3\"\n"),
      Make("merge", Severity::kError,
           "Helm must be able to merge the values (e.g. a subchart's values must be a map)",
           "Helm coalesces the chart's defaults, subcharts' defaults and every -f/--set; a scalar where a map is "
           "expected (a subchart's section) makes Helm refuse the release.",
           "Give the key a map, as the chart's values.yaml does.",
           "postgresql:\n  enabled: true\n"),
      Make("schema", Severity::kError,
           "The coalesced values must satisfy values.schema.json of the chart and of each enabled subchart",
           "Helm validates the merged values against every schema before rendering: a violation fails the "
           "install or upgrade. The finding points at the value that won the merge.",
           "Change the value to what the schema allows (the message names the constraint).",
           "replicas: 2        # schema: {type: integer, minimum: 1}\n"),
      Make("unknown-key", Severity::kError,
           "A key set by an overlay must exist in the chart's defaults or schema",
           "Helm ignores a key the templates never read: a misspelt key silently leaves the default in place.",
           "Use the key the chart defines (the message suggests the closest one), or remove it.",
           "resources:         # not 'resource'\n  limits: {memory: 1Gi}\n"),
      Make("renamed-key", Severity::kError, "A key the chart renamed (values.renames.yaml) must use its new name",
           "The chart no longer reads the old name: the value would be ignored.",
           "Move the value to the new key named in the message (capstan values migrate does it).",
           "database:\n  host: db     # was db.host\n"),
      Make("deprecated-key", Severity::kWarning,
           "A key the chart deprecated (values.renames.yaml or schema deprecated: true)",
           "The chart still reads it today but will drop it; the message quotes the chart's note.",
           "Use the replacement the message names.",
           "ingress:\n  className: nginx   # instead of the deprecated annotation\n"),
      Make("type-surprise", Severity::kWarning, "A value YAML 1.1 reads differently than its author likely meant",
           "Helm reads values as YAML 1.1: NO, yes, on are booleans, 0755 is octal, 1.10 is the number 1.1, and "
           "large integers lose digits; the chart then gets a different value than the one written.",
           "Quote the value when a string is meant.",
           "country: \"NO\"\nversion: \"1.10\"\n"),
      Make("duplicate-key", Severity::kWarning,
           "A key written twice in one map: Helm silently uses the last value",
           "Helm 3 and 4 keep the last of two equal keys without a word (on: and true: collide too), so the first "
           "value is dead text that readers trust.",
           "Keep one of the two keys.",
           "image:\n  tag: \"1.2.3\"     # once\n"),
  };
}

}  // namespace capstan::values::lint
