// GitHub workflow commands: one `::error file=F,line=L,col=C,title=T::message` line per finding (warning and
// notice for lower severities). Property values escape % \r \n : , and the message escapes % \r \n, as the
// runner's command parser expects (actions/toolkit, core/src/command.ts).
#include "findings/format.h"

namespace capstan::findings {

std::string GithubEscapeData(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}

std::string GithubEscapeProperty(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

std::string RenderGithub(const Report& report) {
  std::string out;
  for (const auto& f : report.findings) {
    out += "::";
    out += f.severity == Severity::kError ? "error" : f.severity == Severity::kWarning ? "warning" : "notice";
    std::string props;
    auto add = [&](const char* k, const std::string& v) {
      props += props.empty() ? " " : ",";
      props += k;
      props += "=";
      props += GithubEscapeProperty(v);
    };
    if (!f.file.empty()) add("file", f.file);
    if (f.line > 0) add("line", std::to_string(f.line));
    if (f.column > 0) add("col", std::to_string(f.column));
    add("title", report.tool + " " + f.rule);
    out += props;
    out += "::";
    std::string msg = f.message;
    if (!f.context.empty()) msg += " (in " + f.context + ")";
    out += GithubEscapeData(msg);
    out += "\n";
  }
  return out;
}

}  // namespace capstan::findings
