// JUnit XML: one <testsuite> per checked file, one <testcase> per rule in it (so CI dashboards show which rule
// failed where); findings at or above the threshold are <failure>s, lower ones are listed in <system-out>.
// Findings without a file go to a suite named after the tool.
#include <map>

#include "findings/format.h"

namespace capstan::findings {

std::string XmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\n': out += "&#10;"; break;
      case '\r': out += "&#13;"; break;
      case '\t': out += "&#9;"; break;
      default:
        if (c < 0x20 || c == 0x7f) out += "\xEF\xBF\xBD";  // not allowed in XML 1.0
        else out += static_cast<char>(c);
    }
  }
  return out;
}

std::string RenderJunit(const Report& report, const RenderOptions& options) {
  std::vector<std::string> suites = report.inputs;
  std::map<std::string, std::map<std::string, std::vector<const Finding*>>> by_file;  // file -> rule -> findings
  for (const auto& f : report.findings) {
    std::string file = f.file.empty() ? report.tool : f.file;
    by_file[file][f.rule].push_back(&f);
  }
  for (const auto& [file, unused] : by_file) {
    bool known = false;
    for (const auto& s : suites) known = known || s == file;
    if (!known) suites.push_back(file);
  }
  std::vector<std::string> rule_ids;
  for (const auto& r : report.rules) rule_ids.push_back(r.id);
  for (const auto& f : report.findings) {
    bool known = false;
    for (const auto& r : rule_ids) known = known || r == f.rule;
    if (!known) rule_ids.push_back(f.rule);
  }

  size_t total_tests = 0, total_failures = 0;
  std::string body;
  for (const auto& file : suites) {
    size_t failures = 0;
    std::string cases;
    for (const auto& rule : rule_ids) {
      std::vector<const Finding*> none;
      const auto& list = by_file.count(file) && by_file[file].count(rule) ? by_file[file][rule] : none;
      std::string fail_text, out_text;
      size_t nfail = 0;
      for (const Finding* f : list) {
        std::string line = LocationString(*f);
        line += (line.empty() ? "" : ": ") + std::string(SeverityName(f->severity)) + ": " + f->message;
        if (!f->context.empty()) line += " (in " + f->context + ")";
        line += "\n";
        if (static_cast<int>(f->severity) <= static_cast<int>(options.threshold)) {
          fail_text += line;
          ++nfail;
        } else {
          out_text += line;
        }
      }
      cases += "    <testcase classname=\"" + XmlEscape(report.tool + "." + rule) + "\" name=\"" +
               XmlEscape(rule + " " + file) + "\"";
      if (nfail == 0 && out_text.empty()) {
        cases += "/>\n";
        continue;
      }
      cases += ">\n";
      if (nfail > 0) {
        ++failures;
        cases += "      <failure type=\"" + XmlEscape(rule) + "\" message=\"" +
                 XmlEscape(std::to_string(nfail) + " finding" + (nfail == 1 ? "" : "s") + " of rule " + rule) +
                 "\">" + XmlEscape(fail_text) + "</failure>\n";
      }
      if (!out_text.empty()) cases += "      <system-out>" + XmlEscape(out_text) + "</system-out>\n";
      cases += "    </testcase>\n";
    }
    total_tests += rule_ids.size();
    total_failures += failures;
    body += "  <testsuite name=\"" + XmlEscape(file) + "\" tests=\"" + std::to_string(rule_ids.size()) +
            "\" failures=\"" + std::to_string(failures) + "\" errors=\"0\">\n" + cases + "  </testsuite>\n";
  }
  std::string title = report.title.empty() ? report.tool : report.title;
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"" + XmlEscape(title) + "\" tests=\"" +
         std::to_string(total_tests) + "\" failures=\"" + std::to_string(total_failures) + "\">\n" + body +
         "</testsuites>\n";
}

}  // namespace capstan::findings
