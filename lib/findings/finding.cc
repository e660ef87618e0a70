#include "findings/finding.h"

#include <algorithm>
#include <tuple>

#include "util/error.h"

namespace capstan::findings {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kInfo: return "info";
  }
  return "error";
}

Severity ParseSeverity(std::string_view s) {
  if (s == "error") return Severity::kError;
  if (s == "warning") return Severity::kWarning;
  if (s == "info") return Severity::kInfo;
  throw UsageError("unknown severity '" + std::string(s) + "': use error, warning or info");
}

bool FindingLess(const Finding& a, const Finding& b) {
  return std::tie(a.file, a.line, a.column, a.rule, a.message, a.path, a.severity, a.suggestion, a.context) <
         std::tie(b.file, b.line, b.column, b.rule, b.message, b.path, b.severity, b.suggestion, b.context);
}

void SortAndFold(std::vector<Finding>& findings) {
  std::sort(findings.begin(), findings.end(), FindingLess);
  std::vector<Finding> out;
  out.reserve(findings.size());
  auto same = [](const Finding& a, const Finding& b) {
    return std::tie(a.file, a.line, a.column, a.rule, a.message, a.path, a.severity, a.suggestion) ==
           std::tie(b.file, b.line, b.column, b.rule, b.message, b.path, b.severity, b.suggestion);
  };
  for (auto& f : findings) {
    if (!out.empty() && same(out.back(), f)) {
      if (!f.context.empty() && out.back().context != f.context) {
        if (!out.back().context.empty()) out.back().context += ", ";
        out.back().context += f.context;
      }
      continue;
    }
    out.push_back(std::move(f));
  }
  findings = std::move(out);
}

Counts Count(const std::vector<Finding>& findings) {
  Counts c;
  for (const auto& f : findings) {
    if (f.severity == Severity::kError) ++c.errors;
    else if (f.severity == Severity::kWarning) ++c.warnings;
    else ++c.infos;
  }
  return c;
}

bool AnyAtOrAbove(const std::vector<Finding>& findings, Severity threshold) {
  return std::any_of(findings.begin(), findings.end(),
                     [&](const Finding& f) { return static_cast<int>(f.severity) <= static_cast<int>(threshold); });
}

std::string LocationString(const Finding& f) {
  std::string s = f.file;
  if (s.empty()) return s;
  if (f.line > 0) {
    s += ':';
    s += std::to_string(f.line);
    if (f.column > 0) {
      s += ':';
      s += std::to_string(f.column);
    }
  }
  return s;
}

}  // namespace capstan::findings
