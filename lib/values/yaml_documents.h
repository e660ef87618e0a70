// How Helm 4 splits a values file into documents before reading each (k8s.io/apimachinery util/yaml YAMLReader,
// used by Helm 4's loader.LoadValues): by lines, every line that starts with "---" ends a document (and is
// dropped; a "---" before any content is kept as the first line of the document), and only spaces or a comment
// may follow the three dashes ("--- !!set" is an error, even where YAML would allow it).
// Lines are re-terminated with "\n" (a CRLF file reaches the YAML parser with LF line ends); empty chunks are
// skipped. Helm 3 does no splitting: it reads the first YAML document of the whole file.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace capstan::values {

struct YamlChunk {
  std::string text;    // the document's lines, each ending in "\n"
  int first_line = 1;  // 1-based line of the file where text's first line is
};

// YAMLSyntaxError: "invalid Yaml document separator: !!set" at a 1-based line.
struct YamlSeparatorError {
  std::string message;
  int line = 0;
};

struct YamlChunks {
  std::vector<YamlChunk> chunks;
  // Set when the reader stopped at a bad separator, after `chunks` (the chunk it was reading is lost): Helm reads
  // the chunks before it, then fails with this.
  std::optional<YamlSeparatorError> error;
};

YamlChunks SplitYamlDocuments(std::string_view text);

}  // namespace capstan::values
