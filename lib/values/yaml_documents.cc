#include "values/yaml_documents.h"

namespace capstan::values {

YamlChunks SplitYamlDocuments(std::string_view text) {
  YamlChunks out;
  std::vector<YamlChunk>& chunks = out.chunks;
  YamlChunk current;
  bool has = false;  // buffer.Len() != 0
  size_t pos = 0;
  int line_no = 0;
  while (pos < text.size()) {
    // LineReader: bufio.ReadLine drops "\n" or "\r\n", then "\n" is appended.
    size_t nl = text.find('\n', pos);
    std::string_view raw = text.substr(pos, (nl == std::string_view::npos ? text.size() : nl) - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    if (nl != std::string_view::npos && !raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    if (raw.substr(0, 3) == "---") {
      std::string_view rest = raw.substr(3);
      // strings.TrimSpace: ASCII spaces, tabs, CR, LF, VT, FF (and Unicode spaces, which a comment start never is)
      size_t b = rest.find_first_not_of(" \t\r\n\v\f");
      if (b != std::string_view::npos) {
        size_t e = rest.find_last_not_of(" \t\r\n\v\f");
        std::string_view trimmed = rest.substr(b, e - b + 1);
        if (trimmed[0] != '#') {
          out.error = YamlSeparatorError{"invalid Yaml document separator: " + std::string(trimmed), line_no};
          return out;
        }
      }
      if (has) {  // the separator ends the document and is dropped
        chunks.push_back(std::move(current));
        current = YamlChunk{};
        has = false;
        continue;
      }
      // With nothing read yet the reader keeps the separator line: it begins the next document, so Helm 4's line
      // numbers count it.
    }
    if (!has) current.first_line = line_no;
    current.text.append(raw);
    current.text += '\n';
    has = true;
  }
  if (has) chunks.push_back(std::move(current));
  return out;
}

}  // namespace capstan::values
