#include "manifest/stream.h"

namespace capstan::manifest {

namespace {

bool IsSeparatorLine(std::string_view s, size_t pos) {
  if (s.compare(pos, 3, "---") != 0) return false;
  size_t p = pos + 3;
  return p == s.size() || s[p] == '\n' || s[p] == '\r' || s[p] == ' ' || s[p] == '\t';
}

std::string_view SourceComment(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    std::string_view line = text.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.rfind("# Source: ", 0) == 0) return line.substr(10);
    bool skip = line.empty() || line[0] == '#' || line.rfind("---", 0) == 0;
    if (!skip) break;
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  return {};
}

}  // namespace

bool IsBlank(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    std::string_view line = text.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    std::string_view rest = line.substr(i);
    if (!rest.empty() && rest[0] != '#') {
      bool marker = i == 0 && (IsSeparatorLine(line, 0) || rest == "..." || rest.rfind("... ", 0) == 0 ||
                               rest == "...\r");
      if (!marker) return false;
      // a '---' line followed by content on the same line ("--- {a: 1}") is content
      std::string_view after = rest.substr(3);
      size_t j = 0;
      while (j < after.size() && (after[j] == ' ' || after[j] == '\t' || after[j] == '\r')) ++j;
      if (j < after.size() && after[j] != '#') return false;
    }
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  return true;
}

std::vector<Document> Split(std::string_view s) {
  std::vector<Document> docs;
  size_t start = 0;
  uint32_t start_line = 0, line = 0;
  auto emit = [&](size_t end) {
    if (end <= start) return;
    Document d;
    d.index = docs.size();
    d.offset = start;
    d.first_line = start_line;
    d.text = s.substr(start, end - start);
    d.source = SourceComment(d.text);
    d.blank = IsBlank(d.text);
    docs.push_back(d);
  };
  size_t pos = 0;
  while (pos < s.size()) {
    if (IsSeparatorLine(s, pos) && pos > start) {
      emit(pos);
      start = pos;
      start_line = line;
    }
    size_t eol = s.find('\n', pos);
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
    ++line;
  }
  emit(s.size());
  return docs;
}

}  // namespace capstan::manifest
