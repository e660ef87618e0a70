// The manifest stream: Helm's rendered output split into documents at column-0 '---' lines. Each document keeps
// its exact bytes (its '---' line included), so concatenating the documents gives the input back byte for byte.
// Documents are parsed only when a filter needs them; untouched ones are written back as their original bytes.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace capstan::manifest {

struct Document {
  size_t index = 0;           // 0-based position in the stream
  size_t offset = 0;          // byte offset of text in the stream
  uint32_t first_line = 0;    // 0-based line of text's first byte in the stream
  std::string_view text;      // the document's bytes
  std::string_view source;    // the '# Source:' comment's path, when present
  bool blank = false;         // only whitespace, comments and document markers
};

// Splits a stream. A '---' line starts a document when it is at column 0 and followed by end of line, a space or a
// tab (so '---' inside indented block scalars never splits, and neither does '----').
std::vector<Document> Split(std::string_view stream);

// True when text has no YAML content: only blank lines, comments, '---' and '...' markers.
bool IsBlank(std::string_view text);

}  // namespace capstan::manifest
