#include "yaml/snippet.h"

#include <algorithm>
#include <cstddef>
#include <cstdio>

#include "util/error.h"
#include "yaml/tree.h"
#include "yaml/yaml11.h"

namespace capstan::yaml {

std::string Snippet::Quoted(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  return out;
}

std::string Snippet::Key(const std::string& key) {
  if (key.empty()) return "\"\"";
  static const char* reserved[] = {"y", "Y", "n", "N", "yes", "Yes", "YES", "no", "No", "NO", "true", "True",
                                   "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
                                   "null", "Null", "NULL", "~", "<<"};
  for (const char* r : reserved)
    if (key == r) return Quoted(key);
  bool safe = (key[0] >= 'a' && key[0] <= 'z') || (key[0] >= 'A' && key[0] <= 'Z');
  for (char c : key)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
          c == '-' || c == '/'))
      safe = false;
  return safe ? key : Quoted(key);
}

Snippet Snippet::String(std::string s) {
  Snippet n;
  n.text_ = Quoted(s);
  return n;
}

Snippet Snippet::Plain(std::string s) {
  Snippet n;
  n.text_ = std::move(s);
  return n;
}

std::string Snippet::CopyKey(const Node& key, uint32_t first_line) {
  Node k = key.Resolved();
  if (!k.IsScalar() || k.IsNull())
    throw Error("cannot copy the mapping at line " + InputLine(key, first_line) +
                ": a key is " + (k.IsScalar() ? "null" : "a list or a map") +
                ", which a copy (written with string keys) cannot keep; write this object out without anchors, "
                "aliases and merge keys");
  return std::string(k.scalar());
}

Snippet Snippet::FromNode(const Node& node) {
  Node n = node.Resolved();
  if (n.IsMapping()) {
    Snippet m = Map();
    for (const auto& [k, v] : n.MergedEntries()) m.Append(CopyKey(k), FromNode(v));
    return m;
  }
  if (n.IsSequence()) {
    Snippet l = List();
    for (const auto& item : n.Items()) l.Push(FromNode(item));
    return l;
  }
  ResolvedScalar r = Resolve(n);
  if (r.type == ScalarType::kString) return String(std::string(n.scalar()));
  if (r.type == ScalarType::kNull) return Plain("null");
  return Plain(std::string(n.scalar()));
}

Snippet Snippet::Map() {
  Snippet n;
  n.kind_ = kMap;
  return n;
}

Snippet Snippet::List() {
  Snippet n;
  n.kind_ = kList;
  return n;
}

Snippet& Snippet::Set(std::string key, Snippet value) {
  for (auto& e : entries_)
    if (e.first == key) {
      e.second = std::move(value);
      return *this;
    }
  entries_.emplace_back(std::move(key), std::move(value));
  return *this;
}

Snippet* Snippet::Child(const std::string& key) {
  for (auto& e : entries_)
    if (e.first == key) return &e.second;
  return nullptr;
}

void Snippet::Insert(size_t index, Snippet item) {
  items_.insert(items_.begin() + static_cast<std::ptrdiff_t>(std::min(index, items_.size())), std::move(item));
}

Snippet& Snippet::Append(std::string key, Snippet value) {
  entries_.emplace_back(std::move(key), std::move(value));
  return *this;
}

Snippet& Snippet::Push(Snippet item) {
  items_.push_back(std::move(item));
  return *this;
}

void Snippet::Merge(const Snippet& other) {
  if (kind_ == kMap && other.kind_ == kMap) {
    for (const auto& [k, v] : other.entries_) {
      bool found = false;
      for (auto& e : entries_)
        if (e.first == k) {
          e.second.Merge(v);
          found = true;
        }
      if (!found) entries_.emplace_back(k, v);
    }
  } else if (kind_ == kList && other.kind_ == kList) {
    items_.insert(items_.end(), other.items_.begin(), other.items_.end());
  } else if (kind_ != other.kind_ && !(is_map() && empty()) && !(is_list() && empty())) {
    // e.g. one edit wants a mapping where another wants a list: neither may silently win
    throw Error("conflicting edits of the same YAML value (a " + std::string(is_map() ? "mapping" : is_list() ? "list" : "scalar") +
                " and a " + (other.is_map() ? "mapping" : other.is_list() ? "list" : "scalar") + ")");
  } else {
    *this = other;
  }
}

std::string Snippet::RenderEntry(const std::string& key, size_t indent, const std::string& eol) const {
  std::string out(indent, ' ');
  out += Key(key);
  out += ':';
  if (kind_ == kScalar) {
    out += ' ';
    out += text_;
    out += eol;
  } else if (empty()) {
    out += kind_ == kMap ? " {}" : " []";
    out += eol;
  } else {
    out += eol;
    out += RenderBlock(kind_ == kMap ? indent + 2 : indent + 2, eol);
  }
  return out;
}

std::string Snippet::RenderItem(size_t indent, const std::string& eol) const {
  std::string out(indent, ' ');
  out += "- ";
  if (kind_ == kScalar) {
    out += text_;
    out += eol;
  } else if (empty()) {
    out += kind_ == kMap ? "{}" : "[]";
    out += eol;
  } else {
    std::string body = RenderBlock(indent + 2, eol);
    out += body.substr(indent + 2);  // the first line continues after "- "
  }
  return out;
}

std::string Snippet::RenderBlock(size_t indent, const std::string& eol) const {
  std::string out;
  if (kind_ == kMap) {
    for (const auto& [k, v] : entries_) out += v.RenderEntry(k, indent, eol);
  } else if (kind_ == kList) {
    for (const auto& item : items_) out += item.RenderItem(indent, eol);
  } else {
    out = text_;
  }
  return out;
}

std::string Snippet::RenderFlow() const {
  if (kind_ == kScalar) return text_;
  std::string out = kind_ == kMap ? "{" : "[";
  bool first = true;
  if (kind_ == kMap) {
    for (const auto& [k, v] : entries_) {
      if (!first) out += ", ";
      first = false;
      out += Quoted(k) + ": " + v.RenderFlow();
    }
    out += "}";
  } else {
    for (const auto& item : items_) {
      if (!first) out += ", ";
      first = false;
      out += item.RenderFlow();
    }
    out += "]";
  }
  return out;
}

}  // namespace capstan::yaml
