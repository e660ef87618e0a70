#include "manifest/header.h"

#include <string>
#include <vector>

namespace capstan::manifest {

namespace {

using sv = std::string_view;
constexpr size_t npos = sv::npos;

struct Scalar {
  std::string text;
  bool plain = true;
  bool IsNull() const { return plain && (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL"); }
};

bool KeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == '/' || c == '-';
}

// What may follow a value or a quoted key: nothing, spaces, or a comment after a space.
bool OnlyComment(sv rest) {
  size_t i = rest.find_first_not_of(' ');
  return i == npos || (rest[i] == '#' && i > 0);
}

// "key: rest" or "key:" with a plain key of ordinary characters at the start of line.
bool SplitPlainKey(sv line, sv* key, sv* rest) {
  size_t i = 0;
  if (line.empty() || line[0] == '-') return false;
  while (i < line.size() && KeyChar(line[i])) ++i;
  if (i == 0 || i == line.size() || line[i] != ':' || (i + 1 < line.size() && line[i + 1] != ' ')) return false;
  *key = line.substr(0, i);
  *rest = line.substr(i + 1);
  return true;
}

// A plain key, or a single-line quoted key without escapes ("helm.sh/hook": ...), as annotations are often written.
bool SplitKey(sv line, std::string* key, sv* rest) {
  if (line.empty()) return false;
  if (line[0] != '"' && line[0] != '\'') {
    sv k;
    if (!SplitPlainKey(line, &k, rest)) return false;
    *key = std::string(k);
    return true;
  }
  size_t close = line.find(line[0], 1);
  if (close == npos) return false;
  sv k = line.substr(1, close - 1);
  for (char c : k)
    if (!KeyChar(c)) return false;
  if (close + 1 == line.size() || line[close + 1] != ':') return false;
  if (close + 2 < line.size() && line[close + 2] != ' ') return false;
  *key = std::string(k);
  *rest = line.substr(close + 2);
  return true;
}

// The value after "key:" when it is a scalar on this line: empty (null), plain, or quoted without escapes. nullopt
// when unsure (an indicator, a tag, an anchor, a flow collection, a block scalar, a quote that continues...).
std::optional<Scalar> ParseValue(sv rest) {
  if (rest.find('\t') != npos) return std::nullopt;
  size_t i = rest.find_first_not_of(' ');
  if (i == npos || rest[i] == '#') return Scalar{};  // "key:" or "key: # comment": null
  sv v = rest.substr(i);
  if (v[0] == '"' || v[0] == '\'') {
    char q = v[0];
    Scalar s;
    s.plain = false;
    size_t k = v.find(q, 1);
    if (k == npos) return std::nullopt;  // continues on the next line
    sv part = v.substr(1, k - 1);
    // Escapes make the scan give up, so the parser decides: "\" in double quotes, and '' (a quote) in single
    // quotes (libfyaml 0.7.12 misreads some long runs of '': the scan must answer as the parser does, or not at all).
    if (q == '"' && part.find('\\') != npos) return std::nullopt;
    if (q == '\'' && k + 1 < v.size() && v[k + 1] == '\'') return std::nullopt;
    s.text.assign(part);
    size_t j = k + 1;
    if (!OnlyComment(v.substr(j))) return std::nullopt;
    return s;
  }
  if (sv("[]{}&*!|>%@`,?:-#").find(v[0]) != npos) return std::nullopt;
  sv t = v.substr(0, v.find(" #"));
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  if (t.find(": ") != npos || t.back() == ':') return std::nullopt;
  return Scalar{std::string(t), true};
}

// "{}" (an empty flow mapping) with an optional comment.
bool EmptyFlowMapping(sv rest) {
  size_t i = rest.find_first_not_of(' ');
  return i != npos && rest.compare(i, 2, "{}") == 0 && OnlyComment(rest.substr(i + 2));
}

// YAML also breaks lines at CR, NEL, LS and PS: a line seen as indented here could hold a column-0 key there.
bool HasOtherLineBreaks(sv text) {
  return text.find('\r') != npos || text.find("\xC2\x85") != npos || text.find("\xE2\x80\xA8") != npos ||
         text.find("\xE2\x80\xA9") != npos;
}

// What a line leaves open for the next one. Parsers accept the continuation lines of a quoted scalar or a flow
// collection at any indentation, so a continuation could look like a key the scan reads ("labels: 'a" then
// "  name: b'"). The walk visits the places where a node may start (line start, after "- ", "? ", ": ", and in
// flow after "[", "{" and ","), skips anchors and tags there, and checks that each quoted scalar closes and each
// flow collection balances on the line.
enum class LineEnd { kClosed, kFlowOpen, kDoubleQuoteOpen, kSingleQuoteOpen };

// The index after the quote that closes a scalar opened before `from` (escapes and '' skipped), or npos.
size_t QuoteEnd(sv line, char q, size_t from) {
  for (size_t k = from; k < line.size(); ++k) {
    if (q == '"' && line[k] == '\\') {
      ++k;
      continue;
    }
    if (line[k] == q) {
      if (q == '\'' && k + 1 < line.size() && line[k + 1] == '\'') {
        ++k;
        continue;
      }
      return k + 1;
    }
  }
  return npos;
}

LineEnd ScanLineEnd(sv line) {
  size_t i = 0, n = line.size();
  int depth = 0;
  bool start = true;  // a node may start here
  auto space = [&](size_t k) { return k >= n || line[k] == ' ' || line[k] == '\t'; };
  while (i < n) {
    char c = line[i];
    if (c == ' ' || c == '\t') {
      ++i;
      continue;
    }
    if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) break;  // a comment
    if (start && (c == '"' || c == '\'')) {
      size_t k = QuoteEnd(line, c, i + 1);
      if (k == npos) {
        if (depth > 0) return LineEnd::kFlowOpen;
        return c == '"' ? LineEnd::kDoubleQuoteOpen : LineEnd::kSingleQuoteOpen;
      }
      i = k;
      start = false;
      continue;
    }
    if (start && (c == '[' || c == '{')) {
      ++depth, ++i;
      continue;
    }
    if (depth > 0 && (c == ']' || c == '}')) {
      --depth, ++i;
      start = false;
      continue;
    }
    if (depth > 0 && c == ',') {
      ++i;
      start = true;
      continue;
    }
    if ((c == '-' || c == '?' || c == ':') && space(i + 1)) {  // an item, an explicit key, a value
      ++i;
      start = true;
      continue;
    }
    if (c == ':' && depth > 0 && i + 1 < n && (line[i + 1] == ',' || line[i + 1] == ']' || line[i + 1] == '}')) {
      ++i;
      continue;
    }
    if (start && (c == '&' || c == '!')) {  // an anchor or a tag: a node still starts after it
      while (i < n && !space(i)) ++i;
      continue;
    }
    if (start && (c == '|' || c == '>') && depth == 0) break;  // a block scalar's header
    // a plain scalar (or an alias): up to ": ", " #", or in flow up to , ] }
    start = false;
    ++i;
    while (i < n) {
      char d = line[i];
      if (d == ':' && (space(i + 1) || (depth > 0 && (line[i + 1] == ',' || line[i + 1] == ']' ||
                                                     line[i + 1] == '}'))))
        break;
      if ((d == ' ' || d == '\t') && i + 1 < n && line[i + 1] == '#') break;
      if (depth > 0 && (d == ',' || d == ']' || d == '}' || d == '[' || d == '{')) break;
      ++i;
    }
  }
  return depth > 0 ? LineEnd::kFlowOpen : LineEnd::kClosed;
}

class Scanner {
 public:
  std::optional<ObjectInfo> Run(sv text) {
    if (HasOtherLineBreaks(text)) return std::nullopt;
    size_t pos = 0;
    bool first = true;
    while (pos < text.size()) {
      size_t eol = text.find('\n', pos);
      sv line = text.substr(pos, (eol == npos ? text.size() : eol) - pos);
      pos = eol == npos ? text.size() : eol + 1;
      bool first_line = first;
      first = false;
      if (open_quote_) {  // inside a quoted scalar nobody reads: up to its closing quote
        size_t end = QuoteEnd(line, open_quote_, 0);
        if (end == npos) continue;
        open_quote_ = 0;
        if (!OnlyComment(line.substr(end)) && line.find_first_not_of(' ', end) != npos) return std::nullopt;
        continue;
      }
      if (line.empty()) continue;
      LineEnd open = ScanLineEnd(line);
      if (open == LineEnd::kFlowOpen) return std::nullopt;
      if (line[0] == ' ') {
        if (scope_ == Scope::kOther && pending_ < 0) {  // inside a top-level value nobody reads
          open_quote_ = OpenQuote(open);
          continue;
        }
        if (!Indented(line)) return std::nullopt;
      } else if (first_line && line.compare(0, 3, "---") == 0) {
        if (!OnlyComment(line.substr(3))) return std::nullopt;
      } else if (!TopLevel(line)) {
        return std::nullopt;
      }
      // The line was accepted, and any value it reads closed on it (ParseValue gives up otherwise): a quote it
      // leaves open belongs to a value nobody reads.
      open_quote_ = OpenQuote(open);
    }
    if (open_quote_) return std::nullopt;
    if (top_keys_.empty()) return std::nullopt;
    return Result();
  }

 private:
  enum class Scope { kTop, kOther, kMetadata };

  static char OpenQuote(LineEnd e) {
    return e == LineEnd::kDoubleQuoteOpen ? '"' : e == LineEnd::kSingleQuoteOpen ? '\'' : 0;
  }

  // The next content line after a value read here must not be deeper than its key (the value would continue).
  bool CheckPending(size_t indent, char c) {
    if (pending_ < 0) return true;
    long ind = static_cast<long>(indent);
    if (ind > pending_ || (ind == pending_ && c == '-')) return false;
    pending_ = -1;
    return true;
  }

  bool TopLevel(sv line) {
    char c = line[0];
    if (c == '#') return true;
    if (!CheckPending(0, c)) return false;
    in_annotations_ = false;
    if (c == '-') {  // an item of the last top-level key's sequence, written at column 0
      bool item = line.size() == 1 || line[1] == ' ';
      return item && !top_keys_.empty() && !top_read_;
    }
    sv key, rest;
    if (!SplitPlainKey(line, &key, &rest)) return false;
    for (sv k : top_keys_)
      if (k == key) return false;  // duplicate key: the parser reports it
    top_keys_.push_back(key);
    top_read_ = true;
    scope_ = Scope::kTop;
    if (key == "apiVersion" || key == "kind") {
      std::optional<Scalar> v = ParseValue(rest);
      if (!v) return false;
      (key == "kind" ? kind_ : api_) = std::move(v);
      pending_ = 0;
      return true;
    }
    if (key == "metadata") {
      if (EmptyFlowMapping(rest)) {
        pending_ = 0;
        return true;
      }
      if (!OnlyComment(rest)) return false;
      scope_ = Scope::kMetadata;
      child_indent_ = 0;
      child_ = {};
      return true;
    }
    top_read_ = false;
    scope_ = Scope::kOther;
    size_t i = rest.find_first_not_of(' ');
    return i == npos || sv("[{&*!").find(rest[i]) == npos;  // flow collections, anchors, aliases, tags: unsure
  }

  bool Indented(sv line) {
    size_t ind = line.find_first_not_of(' ');
    if (ind == npos) return true;  // blank
    char c = line[ind];
    if (c == '#') return true;  // comment
    if (c == '\t') return false;
    if (!CheckPending(ind, c)) return false;
    if (scope_ != Scope::kMetadata) return scope_ == Scope::kOther;  // kTop: a value that continues (caught above)
    sv body = line.substr(ind);
    if (child_indent_ == 0) child_indent_ = ind;
    if (ind < child_indent_) return false;
    if (ind == child_indent_) return MetadataChild(body);
    if (!in_annotations_) return true;  // inside a metadata value nobody reads
    if (entry_indent_ == 0) entry_indent_ = ind;
    if (ind < entry_indent_) return false;
    if (ind > entry_indent_) return true;  // continues an annotation nobody reads (pending_ guards ours)
    return Annotation(body, ind);
  }

  bool MetadataChild(sv body) {
    in_annotations_ = false;
    if (body[0] == '-') {  // a sequence item of the previous child, at its key's indentation
      bool item = body.size() == 1 || body[1] == ' ';
      return item && !child_.empty() && !child_read_;
    }
    sv key, rest;
    if (!SplitPlainKey(body, &key, &rest)) return false;
    child_ = key;
    child_read_ = key == "name" || key == "namespace" || key == "annotations";
    if (!child_read_) return true;
    if (key == "annotations") {
      if (annotations_seen_) return false;
      annotations_seen_ = true;
      if (EmptyFlowMapping(rest)) {
        pending_ = static_cast<long>(child_indent_);
        return true;
      }
      if (!OnlyComment(rest)) return false;
      in_annotations_ = true;
      entry_indent_ = 0;
      entry_read_ = true;  // no entry yet: an item here would make annotations a list
      return true;
    }
    std::optional<Scalar>& slot = key == "name" ? name_ : namespace_;
    if (slot) return false;
    slot = ParseValue(rest);
    if (!slot) return false;
    pending_ = static_cast<long>(child_indent_);
    return true;
  }

  bool Annotation(sv body, size_t indent) {
    if (body[0] == '-') return (body.size() == 1 || body[1] == ' ') && !entry_read_;
    std::string key;
    sv rest;
    if (!SplitKey(body, &key, &rest)) return false;
    entry_read_ = key == kHelmHookAnnotation || key == kHelmFilenameAnnotation;
    if (!entry_read_) return true;
    std::optional<Scalar>& slot = key == kHelmHookAnnotation ? hook_ : filename_;
    if (slot) return false;
    slot = ParseValue(rest);
    if (!slot) return false;
    pending_ = static_cast<long>(indent);
    return true;
  }

  ObjectInfo Result() const {
    ObjectInfo info;
    if (!api_ || !kind_ || api_->IsNull() || kind_->IsNull()) return info;
    info.is_object = true;
    info.api_version = api_->text;
    info.kind = kind_->text;
    if (name_) info.name = name_->text;
    if (namespace_ && !namespace_->IsNull()) info.namespace_ = namespace_->text;
    if (hook_) info.hook_events = HookEvents(hook_->text);
    if (filename_) info.helm_filename = filename_->text;
    return info;
  }

  Scope scope_ = Scope::kTop;
  char open_quote_ = 0;  // a quoted scalar nobody reads goes on past its line
  long pending_ = -1;
  std::vector<sv> top_keys_;
  bool top_read_ = false;     // the last top-level key is one read here
  size_t child_indent_ = 0;   // metadata's entries (0: not seen yet)
  sv child_;
  bool child_read_ = false;
  bool annotations_seen_ = false, in_annotations_ = false;
  size_t entry_indent_ = 0;   // annotations' entries (0: not seen yet)
  bool entry_read_ = false;
  std::optional<Scalar> api_, kind_, name_, namespace_, hook_, filename_;
};

}  // namespace

std::optional<ObjectInfo> ScanHeader(std::string_view text) { return Scanner().Run(text); }

}  // namespace capstan::manifest
