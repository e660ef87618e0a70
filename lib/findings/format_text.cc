// Text format: one line per finding, as compilers write them, so editors and terminals can jump to the place:
//   values/prod.yaml:12:5: error: unknown key 'imgae' (did you mean 'image'?) [unknown-key]
// followed by a summary line. Colour only when asked (a terminal without NO_COLOR).
#include "findings/format.h"

namespace capstan::findings {
namespace {

const char* SeverityColor(Severity s) {
  switch (s) {
    case Severity::kError: return "\x1b[1;31m";
    case Severity::kWarning: return "\x1b[1;33m";
    case Severity::kInfo: return "\x1b[1;36m";
  }
  return "";
}

std::string Plural(size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

std::string RenderText(const Report& report, const RenderOptions& options) {
  const bool c = options.color;
  std::string out;
  for (const auto& f : report.findings) {
    std::string loc = LocationString(f);
    if (!loc.empty()) out += (c ? "\x1b[1m" + loc + "\x1b[0m" : loc) + ": ";
    if (c) out += SeverityColor(f.severity);
    out += SeverityName(f.severity);
    if (c) out += "\x1b[0m";
    out += ": ";
    out += f.message;
    out += c ? " \x1b[2m[" + f.rule + "]\x1b[0m" : " [" + f.rule + "]";
    if (!f.context.empty()) out += " (in " + f.context + ")";
    out += "\n";
  }
  Counts n = Count(report.findings);
  if (report.findings.empty()) {
    out += "no findings in " + Plural(report.inputs.size(), "file") + "\n";
  } else {
    out += Plural(n.errors, "error") + ", " + Plural(n.warnings, "warning") + ", " + Plural(n.infos, "info") +
           " in " + Plural(report.inputs.size(), "file") + "\n";
  }
  return out;
}

}  // namespace capstan::findings
