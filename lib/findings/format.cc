#include "findings/format.h"

#include "util/error.h"

namespace capstan::findings {

Format ParseFormat(std::string_view s) {
  if (s == "text") return Format::kText;
  if (s == "json") return Format::kJson;
  if (s == "sarif") return Format::kSarif;
  if (s == "github") return Format::kGithub;
  if (s == "junit") return Format::kJunit;
  throw UsageError("unknown output format '" + std::string(s) + "': use text, json, sarif, github or junit");
}

std::string Render(Format format, const Report& report, const RenderOptions& options) {
  switch (format) {
    case Format::kText: return RenderText(report, options);
    case Format::kJson: return RenderJson(report);
    case Format::kSarif: return RenderSarif(report);
    case Format::kGithub: return RenderGithub(report);
    case Format::kJunit: return RenderJunit(report, options);
  }
  return RenderText(report, options);
}

}  // namespace capstan::findings
