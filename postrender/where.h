// Where a document of the stream is, for every message of the post-renderer (errors and findings):
//   "input line 12, document 3 (Deployment/web, # Source: chart/templates/web.yaml)"
// The line is a line of the post-renderer's input (1-based), never a line inside the document.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace capstan::postrender {

// input_line 0 leaves out "input line L, "; an empty ref or source leaves out that part of the parenthesis.
std::string Where(size_t document, std::string_view ref, std::string_view source, uint32_t input_line = 0);

}  // namespace capstan::postrender
