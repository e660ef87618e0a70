// Output formats for a findings Report: text (with colour on a terminal), JSON, SARIF 2.1.0, GitHub workflow
// annotations and JUnit XML. Every command that lists findings renders them through here (`-o FORMAT`).
#pragma once
#include <string>
#include <string_view>

#include "findings/finding.h"

namespace capstan::findings {

enum class Format { kText, kJson, kSarif, kGithub, kJunit };

// Parses "text" | "json" | "sarif" | "github" | "junit"; throws UsageError listing them.
Format ParseFormat(std::string_view s);

struct RenderOptions {
  bool color = false;                    // ANSI colours (text only)
  Severity threshold = Severity::kError; // findings at or above it fail (JUnit failures, summary wording)
};

// Renders the report; findings are rendered in the order given (call SortAndFold first).
std::string Render(Format format, const Report& report, const RenderOptions& options = {});

std::string RenderText(const Report& report, const RenderOptions& options);
std::string RenderJson(const Report& report);
std::string RenderSarif(const Report& report);
std::string RenderGithub(const Report& report);
std::string RenderJunit(const Report& report, const RenderOptions& options);

// Escaping used by the GitHub format, exposed for tests: message data escapes % \r \n; property values also
// escape : and ,.
std::string GithubEscapeData(std::string_view s);
std::string GithubEscapeProperty(std::string_view s);
// XML text/attribute escaping; characters XML 1.0 cannot carry are written as U+FFFD.
std::string XmlEscape(std::string_view s);
// A relative or absolute file path as a URI reference for SARIF (percent-encoded; absolute paths as file://).
std::string PathToUri(std::string_view path);

}  // namespace capstan::findings
