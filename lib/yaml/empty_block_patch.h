// A workaround for libfyaml 0.7.12, which mis-parses an EMPTY block scalar inside an indented block collection:
// the text is parsed from a copy in which each such header is replaced by a scalar of the same length, and the
// Tree builder restores the scalar's style and empty value from the recorded patches. Internal to lib/yaml.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "yaml/tree.h"

namespace capstan::yaml {

struct EmptyBlockPatch {
  uint32_t offset;  // where the header was
  Style style;      // kLiteral or kFolded
};

// Returns the patched copy of text (empty when nothing needed patching) and appends a patch per header replaced.
std::string PatchEmptyBlockScalars(std::string_view text, std::vector<EmptyBlockPatch>* patches);

}  // namespace capstan::yaml
