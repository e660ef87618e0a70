#include "postrender/where.h"

#include "postrender/filter.h"

namespace capstan::postrender {

std::string Where(size_t document, std::string_view ref, std::string_view source, uint32_t input_line) {
  std::string s;
  if (input_line > 0) s = "input line " + std::to_string(input_line) + ", ";
  s += "document " + std::to_string(document);
  std::string what(ref);
  if (!source.empty()) what += (what.empty() ? "" : ", ") + std::string("# Source: ") + std::string(source);
  if (!what.empty()) s += " (" + what + ")";
  return s;
}

std::string DocInfo::Where() const {
  return postrender::Where(doc->index, object.is_object ? object.Ref() : "", source);
}

}  // namespace capstan::postrender
