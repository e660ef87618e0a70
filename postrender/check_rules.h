// The rules of the post-renderer's check mode (--check), described once: id, summary, default severity, and the
// help text (what, why, how to fix, with a YAML example) that SARIF carries in tool.driver.rules and that
// docs/postrender.md lists. The check filter reports findings under these ids; --rule and --skip-rule select them.
#pragma once
#include <string>
#include <vector>

#include "findings/finding.h"

namespace capstan::postrender {

// Every check-mode rule, in a stable order (SARIF's ruleIndex).
const std::vector<findings::Rule>& CheckRules();
// Throws UsageError unless id is a check-mode rule: "unknown rule 'no-pbd' for --rule (did you mean 'no-pdb'?)".
void RequireCheckRule(const std::string& id, const std::string& option);

}  // namespace capstan::postrender
