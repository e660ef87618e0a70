// A small, strict XML reader for the few response bodies S3 and STS send (responses.h reads them): elements,
// attributes (read and ignored: xmlns), character data with the five predefined entities and numeric character
// references, CDATA, comments, the XML declaration. No DTDs, no external entities (a <!DOCTYPE is refused), bounded
// depth; anything malformed throws XmlError with the byte offset. Names keep only their local part (s3:Key -> Key).
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace capstan::s3 {

class XmlError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct XmlElement {
  std::string name;
  std::string text;  // the character data directly inside (concatenated), not that of children
  std::vector<XmlElement> children;

  const XmlElement* Child(std::string_view child_name) const;     // the first child so named, or null
  std::string ChildText(std::string_view child_name) const;        // its text, or ""
  std::vector<const XmlElement*> Children(std::string_view child_name) const;
};

inline constexpr size_t kMaxXmlDepth = 32;

// Parses one document (its root element). Throws XmlError.
XmlElement ParseXml(std::string_view doc);

// Escapes text for an element's content (& < > " ').
std::string XmlEscape(std::string_view s);

}  // namespace capstan::s3
