#include "s3/xml.h"

#include <cstdint>

#include "util/strings.h"

namespace capstan::s3 {

namespace {

class Reader {
 public:
  explicit Reader(std::string_view doc) : s_(doc) {}

  XmlElement Document() {
    SkipMisc(/*prolog=*/true);
    if (!Peek('<')) Fail("expected the root element");
    XmlElement root = Element(0);
    SkipMisc(false);
    if (pos_ != s_.size()) Fail("content after the root element");
    return root;
  }

 private:
  [[noreturn]] void Fail(const std::string& why) const {
    throw XmlError("malformed XML at byte " + std::to_string(pos_) + ": " + why);
  }
  bool Peek(char c) const { return pos_ < s_.size() && s_[pos_] == c; }
  bool Starts(std::string_view p) const { return s_.substr(pos_, p.size()) == p; }
  static bool Space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
  void SkipSpace() {
    while (pos_ < s_.size() && Space(s_[pos_])) ++pos_;
  }
  void Expect(std::string_view p) {
    if (!Starts(p)) Fail("expected '" + std::string(p) + "'");
    pos_ += p.size();
  }
  void SkipUntil(std::string_view end, const char* what) {
    size_t at = s_.find(end, pos_);
    if (at == std::string_view::npos) Fail(std::string("unterminated ") + what);
    pos_ = at + end.size();
  }
  // Whitespace, comments and processing instructions around the root (the declaration only first).
  void SkipMisc(bool prolog) {
    bool first = prolog;
    for (;;) {
      SkipSpace();
      if (Starts("<?")) {
        if (!first && Starts("<?xml ")) Fail("misplaced XML declaration");
        SkipUntil("?>", "processing instruction");
      } else if (Starts("<!--")) {
        SkipUntil("-->", "comment");
      } else if (Starts("<!")) {
        Fail("document type declarations are not accepted");
      } else {
        return;
      }
      first = false;
    }
  }
  static bool NameChar(char c) {
    auto u = static_cast<unsigned char>(c);
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.' || c == ':' || u >= 0x80;
  }
  std::string_view Name() {
    size_t start = pos_;
    if (pos_ >= s_.size() || !NameChar(s_[pos_]) || s_[pos_] == '-' || s_[pos_] == '.' ||
        (s_[pos_] >= '0' && s_[pos_] <= '9')) {
      Fail("expected a name");
    }
    while (pos_ < s_.size() && NameChar(s_[pos_])) ++pos_;
    return s_.substr(start, pos_ - start);
  }
  static std::string Local(std::string_view qname) {
    size_t colon = qname.rfind(':');
    return std::string(colon == std::string_view::npos ? qname : qname.substr(colon + 1));
  }
  // At '&': appends the referenced character.
  void Reference(std::string& out) {
    size_t semi = s_.find(';', pos_);
    if (semi == std::string_view::npos || semi - pos_ > 12) Fail("unterminated entity reference");
    std::string_view ref = s_.substr(pos_ + 1, semi - pos_ - 1);
    if (ref == "amp") out += '&';
    else if (ref == "lt") out += '<';
    else if (ref == "gt") out += '>';
    else if (ref == "quot") out += '"';
    else if (ref == "apos") out += '\'';
    else if (ref.size() >= 2 && ref[0] == '#') {
      bool hex = ref[1] == 'x';
      std::string_view digits = ref.substr(hex ? 2 : 1);
      if (digits.empty()) Fail("empty character reference");
      uint32_t cp = 0;
      for (char c : digits) {
        int v;
        if (c >= '0' && c <= '9') v = c - '0';
        else if (hex && c >= 'a' && c <= 'f') v = c - 'a' + 10;
        else if (hex && c >= 'A' && c <= 'F') v = c - 'A' + 10;
        else Fail("bad character reference");
        cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(v);
        if (cp > 0x10FFFF) Fail("character reference out of range");
      }
      if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) Fail("character reference to an invalid character");
      AppendUtf8(out, cp);
    } else {
      Fail("unknown entity '&" + std::string(ref) + ";'");
    }
    pos_ = semi + 1;
  }
  void Attributes() {
    for (;;) {
      bool had_space = pos_ < s_.size() && Space(s_[pos_]);
      SkipSpace();
      if (Peek('>') || Starts("/>")) return;
      if (!had_space) Fail("expected a space before an attribute");
      Name();
      SkipSpace();
      Expect("=");
      SkipSpace();
      if (!Peek('"') && !Peek('\'')) Fail("expected a quoted attribute value");
      char q = s_[pos_++];
      std::string ignored;
      while (pos_ < s_.size() && s_[pos_] != q) {
        if (s_[pos_] == '<') Fail("'<' in an attribute value");
        if (s_[pos_] == '&') Reference(ignored);
        else ++pos_;
      }
      if (pos_ >= s_.size()) Fail("unterminated attribute value");
      ++pos_;
    }
  }
  XmlElement Element(size_t depth) {
    if (depth >= kMaxXmlDepth) Fail("elements nested deeper than " + std::to_string(kMaxXmlDepth));
    Expect("<");
    std::string_view qname = Name();
    XmlElement e;
    e.name = Local(qname);
    Attributes();
    if (Starts("/>")) {
      pos_ += 2;
      return e;
    }
    Expect(">");
    for (;;) {
      if (pos_ >= s_.size()) Fail("unterminated element <" + std::string(qname) + ">");
      char c = s_[pos_];
      if (c == '<') {
        if (Starts("</")) {
          pos_ += 2;
          std::string_view end = Name();
          if (end != qname) Fail("</" + std::string(end) + "> closes <" + std::string(qname) + ">");
          SkipSpace();
          Expect(">");
          return e;
        }
        if (Starts("<!--")) {
          SkipUntil("-->", "comment");
        } else if (Starts("<![CDATA[")) {
          pos_ += 9;
          size_t end = s_.find("]]>", pos_);
          if (end == std::string_view::npos) Fail("unterminated CDATA section");
          e.text.append(s_.substr(pos_, end - pos_));
          pos_ = end + 3;
        } else if (Starts("<?")) {
          SkipUntil("?>", "processing instruction");
        } else if (Starts("<!")) {
          Fail("declarations are not accepted inside elements");
        } else {
          e.children.push_back(Element(depth + 1));
        }
      } else if (c == '&') {
        Reference(e.text);
      } else {
        e.text += c;
        ++pos_;
      }
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

const XmlElement* XmlElement::Child(std::string_view child_name) const {
  for (const auto& c : children) {
    if (c.name == child_name) return &c;
  }
  return nullptr;
}

std::string XmlElement::ChildText(std::string_view child_name) const {
  const XmlElement* c = Child(child_name);
  return c ? c->text : std::string();
}

std::vector<const XmlElement*> XmlElement::Children(std::string_view child_name) const {
  std::vector<const XmlElement*> out;
  for (const auto& c : children) {
    if (c.name == child_name) out.push_back(&c);
  }
  return out;
}

XmlElement ParseXml(std::string_view doc) {
  // A UTF-8 byte order mark is allowed before the declaration.
  if (doc.substr(0, 3) == "\xEF\xBB\xBF") doc.remove_prefix(3);
  return Reader(doc).Document();
}

std::string XmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace capstan::s3
