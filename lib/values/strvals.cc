#include "values/strvals.h"

#include <cctype>
#include <charconv>
#include <climits>
#include <cstdio>

#include "util/error.h"
#include "util/strings.h"
#include "values/go_format.h"
#include "values/go_json.h"
#include "values/go_utf8.h"

namespace capstan::values {
namespace {

constexpr int kMaxIndex = 65536;
constexpr int kMaxNestedNameLevel = 30;

struct SetError {
  std::string message;
};

std::string GoTypeOf(const Value* v) {
  if (!v || v->is_null()) return "nil";
  switch (v->kind()) {
    case Kind::kBool: return "bool";
    case Kind::kInt: return "int64";
    case Kind::kFloat: return "float64";
    case Kind::kString: return "string";
    case Kind::kList: return "[]interface {}";
    case Kind::kMap: return "map[string]interface {}";
    default: return "nil";
  }
}

[[noreturn]] void ConversionPanic(const Value* v, bool want_map) {
  throw SetError{"unable to parse key: interface conversion: interface {} is " + GoTypeOf(v) + ", not " +
                 (want_map ? "map[string]interface {}" : "[]interface {}")};
}

// Go strconv.Atoi with its error messages.
int Atoi(const std::string& s) {
  std::string_view body = s;
  bool neg = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body.empty()) throw SetError{"strconv.Atoi: parsing " + GoQuote(s) + ": invalid syntax"};
  long long v = 0;
  bool overflow = false;
  for (char c : body) {
    if (c < '0' || c > '9') throw SetError{"strconv.Atoi: parsing " + GoQuote(s) + ": invalid syntax"};
    if (v > (LLONG_MAX - (c - '0')) / 10) overflow = true;
    else v = v * 10 + (c - '0');
  }
  if (overflow) throw SetError{"strconv.Atoi: parsing " + GoQuote(s) + ": value out of range"};
  v = neg ? -v : v;
  if (v > INT_MAX || v < INT_MIN) {
    // Go's int is 64-bit; such indexes then fail the MaxIndex / negative checks.
    return v > 0 ? INT_MAX : INT_MIN;
  }
  return static_cast<int>(v);
}

class Parser {
 public:
  Parser(std::string_view text, SetMode mode, const Origin& origin, const FileReader& reader)
      : in_(text), mode_(mode), origin_(origin), reader_(reader) {}

  void Parse(Value& data) {
    while (true) {
      bool eof = mode_ == SetMode::kLiteral ? LiteralKey(data, 0) : Key(data, 0);
      if (eof) return;
    }
  }

  Value ParseWholeJson() {
    Value v = JsonValue();
    while (pos_ < in_.size() && std::isspace(static_cast<unsigned char>(in_[pos_]))) ++pos_;
    if (pos_ != in_.size()) throw SetError{"invalid character after top-level value"};
    return v;
  }

 private:
  // Reads until one of `stop` (consumed, returned in *last). Returns false at end of input. Helm reads rune by rune
  // (bytes.Buffer.ReadRune), so each byte of invalid UTF-8 becomes U+FFFD; the stop characters are ASCII.
  bool RunesUntil(std::string_view stop, std::string* out, char* last, bool escapes = true) {
    out->clear();
    while (pos_ < in_.size()) {
      char c = in_[pos_++];
      if (stop.find(c) != std::string_view::npos) {
        *last = c;
        return true;
      }
      if (escapes && c == '\\') {
        if (pos_ >= in_.size()) return false;
        AppendGoRune(in_, &pos_, *out);
        continue;
      }
      --pos_;
      AppendGoRune(in_, &pos_, *out);
    }
    return false;
  }

  Value Reader(const std::string& rs) {
    switch (mode_) {
      case SetMode::kTyped: return TypedVal(rs, origin_);
      case SetMode::kFile: {
        if (!reader_) throw SetError{"--set-file is not available here"};
        try {
          return Value::String(reader_(rs), origin_);
        } catch (const UsageError&) {
          throw;  // an unreadable, irregular or oversized file named by the user: exit 2, as for -f
        } catch (const Error& e) {
          throw SetError{e.what()};
        }
      }
      default: return Value::String(rs, origin_);
    }
  }

  static void Set(Value& data, const std::string& key, Value v) {
    if (key.empty()) return;
    data.map()[key] = std::move(v);
  }

  void SetIndex(Value& list, int index, Value v) {
    if (index < 0) throw SetError{"negative " + std::to_string(index) + " index not allowed"};
    if (index > kMaxIndex) {
      throw SetError{"index of " + std::to_string(index) + " is greater than maximum supported index of " +
                     std::to_string(kMaxIndex)};
    }
    auto& items = list.list();
    if (items.size() <= static_cast<size_t>(index)) items.resize(static_cast<size_t>(index) + 1, Value::Null(origin_));
    items[static_cast<size_t>(index)] = std::move(v);
  }

  int KeyIndex() {
    std::string v;
    char last = 0;
    if (!RunesUntil("]", &v, &last, mode_ != SetMode::kLiteral)) throw SetError{"error parsing index: EOF"};
    try {
      return Atoi(v);
    } catch (const SetError& e) {
      throw SetError{"error parsing index: " + e.message};
    }
  }

  // Returns true when it ended with end of input (io.EOF), false when the key was set (nil error).
  bool EmptyVal() {
    while (pos_ < in_.size()) {
      char c = in_[pos_];
      if (c == ',') {
        ++pos_;
        return true;
      }
      if (!std::isspace(static_cast<unsigned char>(c))) return false;
      ++pos_;
    }
    return true;
  }

  // One JSON value at pos_, as Go's json.Decoder reads it (go_json.h); pos_ moves past it.
  Value JsonValue() {
    try {
      return ReadGoJsonValue(in_, &pos_, origin_);
    } catch (const GoJsonError& e) {
      throw SetError{e.message};
    }
  }

  enum class ListResult { kList, kEof, kNotList };

  ListResult ValList(Value* list) {
    if (pos_ >= in_.size()) return ListResult::kEof;
    if (in_[pos_] != '{') return ListResult::kNotList;
    ++pos_;
    *list = Value::MakeList(origin_);
    std::string rs;
    char last = 0;
    while (true) {
      if (!RunesUntil(",}", &rs, &last)) throw SetError{"list must terminate with '}'"};
      if (last == '}') {
        if (pos_ < in_.size() && in_[pos_] == ',') ++pos_;
        list->list().push_back(Reader(rs));
        return ListResult::kList;
      }
      list->list().push_back(Reader(rs));
    }
  }

  // t.key(): returns true for io.EOF, false for nil; throws for other errors.
  bool Key(Value& data, int level) {
    std::string k;
    char last = 0;
    if (!RunesUntil("=[,.", &k, &last)) {
      if (k.empty()) return true;
      throw SetError{"key " + GoQuote(k) + " has no value"};
    }
    switch (last) {
      case '[': {
        int i = KeyIndex();
        Value list = Value::MakeList(origin_);
        if (Value* existing = data.Find(k)) {
          if (!existing->is_list()) ConversionPanic(existing, false);
          list = *existing;
        }
        bool eof = ListItem(list, i, level);
        Set(data, k, std::move(list));
        return eof;
      }
      case '=': {
        if (mode_ == SetMode::kJson) {
          if (EmptyVal()) {
            Set(data, k, Value::Null(origin_));
            return false;
          }
          Set(data, k, JsonValue());
          EmptyVal();
          return false;
        }
        Value list;
        switch (ValList(&list)) {
          case ListResult::kList: Set(data, k, std::move(list)); return false;
          case ListResult::kEof: Set(data, k, Value::String("", origin_)); return true;
          case ListResult::kNotList: {
            std::string rs;
            char l2 = 0;
            RunesUntil(",", &rs, &l2);
            Set(data, k, Reader(rs));
            return false;
          }
        }
        return false;
      }
      case ',':
        Set(data, k, Value::String("", origin_));
        throw SetError{"key " + GoQuote(k) + " has no value (cannot end with ,)"};
      case '.': {
        if (++level > kMaxNestedNameLevel) {
          throw SetError{"value name nested level is greater than maximum supported nested level of " +
                         std::to_string(kMaxNestedNameLevel)};
        }
        if (Value* existing = data.Find(k)) {
          if (!existing->is_map()) ConversionPanic(existing, true);
          bool eof = Key(*existing, level);
          if (!eof && existing->map().empty()) throw SetError{"key map " + GoQuote(k) + " has no value"};
          return eof;
        }
        Value inner = Value::MakeMap(origin_);
        bool eof = Key(inner, level);
        if (!eof && inner.map().empty()) throw SetError{"key map " + GoQuote(k) + " has no value"};
        if (!inner.map().empty()) Set(data, k, std::move(inner));
        return eof;
      }
    }
    return false;
  }

  // t.listItem(): returns true for io.EOF.
  bool ListItem(Value& list, int i, int level) {
    if (i < 0) throw SetError{"negative " + std::to_string(i) + " index not allowed"};
    std::string k;
    char last = 0;
    bool found = RunesUntil("[.=", &k, &last, mode_ != SetMode::kLiteral);
    if (!k.empty()) throw SetError{"unexpected data at end of array index: " + GoQuote(k)};
    if (!found) return true;
    auto& items = list.list();
    switch (last) {
      case '=': {
        if (mode_ == SetMode::kLiteral) {
          std::string rest = GoValidUtf8(in_.substr(pos_));  // read as runes too
          pos_ = in_.size();
          SetIndex(list, i, Value::String(rest, origin_));
          return false;
        }
        if (mode_ == SetMode::kJson) {
          if (EmptyVal()) {
            SetIndex(list, i, Value::Null(origin_));
            return false;
          }
          Value v = JsonValue();
          SetIndex(list, i, std::move(v));
          EmptyVal();
          return false;
        }
        Value vl;
        switch (ValList(&vl)) {
          case ListResult::kList: SetIndex(list, i, std::move(vl)); return false;
          case ListResult::kEof: SetIndex(list, i, Value::String("", origin_)); return false;
          case ListResult::kNotList: {
            std::string rs;
            char l2 = 0;
            RunesUntil(",", &rs, &l2);
            SetIndex(list, i, Reader(rs));
            return false;
          }
        }
        return false;
      }
      case '[': {
        int next = KeyIndex();
        Value crt = Value::MakeList(origin_);
        if (items.size() > static_cast<size_t>(i) && !items[static_cast<size_t>(i)].is_null()) {
          if (!items[static_cast<size_t>(i)].is_list()) ConversionPanic(&items[static_cast<size_t>(i)], false);
          crt = items[static_cast<size_t>(i)];
        }
        bool eof = ListItem(crt, next, level);
        if (eof) return true;
        SetIndex(list, i, std::move(crt));
        return false;
      }
      case '.': {
        Value inner = Value::MakeMap(origin_);
        if (items.size() > static_cast<size_t>(i)) {
          if (items[static_cast<size_t>(i)].is_map()) inner = items[static_cast<size_t>(i)];
          else items[static_cast<size_t>(i)] = Value::MakeMap(origin_);
        }
        bool eof = mode_ == SetMode::kLiteral ? LiteralKey(inner, level) : Key(inner, level);
        if (eof) return true;
        SetIndex(list, i, std::move(inner));
        return false;
      }
    }
    throw SetError{std::string("parse error: unexpected token ") + std::to_string(static_cast<int>(last))};
  }

  // literalParser.key()
  bool LiteralKey(Value& data, int level) {
    std::string k;
    char last = 0;
    if (!RunesUntil("=[.", &k, &last, false)) {
      if (k.empty()) return true;
      throw SetError{"key " + GoQuote(k) + " has no value"};
    }
    switch (last) {
      case '=': {
        std::string rest = GoValidUtf8(in_.substr(pos_));  // read as runes too
        pos_ = in_.size();
        Set(data, k, Value::String(rest, origin_));
        return false;
      }
      case '.': {
        if (++level > kMaxNestedNameLevel) {
          throw SetError{"value name nested level is greater than maximum supported nested level of " +
                         std::to_string(kMaxNestedNameLevel)};
        }
        if (Value* existing = data.Find(k)) {
          if (!existing->is_map()) ConversionPanic(existing, true);
          bool eof = LiteralKey(*existing, level);
          if (!eof && existing->map().empty()) throw SetError{"key map " + GoQuote(k) + " has no value"};
          return eof;
        }
        Value inner = Value::MakeMap(origin_);
        bool eof = LiteralKey(inner, level);
        if (!eof && inner.map().empty()) throw SetError{"key map " + GoQuote(k) + " has no value"};
        if (!inner.map().empty()) Set(data, k, std::move(inner));
        return eof;
      }
      case '[': {
        int i = KeyIndex();
        Value list = Value::MakeList(origin_);
        if (Value* existing = data.Find(k)) {
          if (!existing->is_list()) ConversionPanic(existing, false);
          list = *existing;
        }
        bool eof = ListItem(list, i, level);
        Set(data, k, std::move(list));
        return eof;
      }
    }
    return false;
  }

  std::string_view in_;
  size_t pos_ = 0;
  SetMode mode_;
  Origin origin_;
  const FileReader& reader_;
};

}  // namespace

Value TypedVal(const std::string& s, const Origin& origin) {
  std::string lower = ToLower(s);
  if (lower == "true") return Value::Bool(true, origin);
  if (lower == "false") return Value::Bool(false, origin);
  if (lower == "null") return Value::Null(origin);
  if (s == "0") return Value::Int(0, origin);
  if (!s.empty() && s[0] != '0') {
    // strconv.ParseInt(s, 10, 64): optional sign, decimal digits, in range.
    std::string_view body = s;
    bool neg = false;
    if (body[0] == '+' || body[0] == '-') {
      neg = body[0] == '-';
      body.remove_prefix(1);
    }
    bool digits = !body.empty();
    for (char c : body)
      if (c < '0' || c > '9') digits = false;
    if (digits) {
      unsigned long long u = 0;
      auto res = std::from_chars(body.data(), body.data() + body.size(), u);
      if (res.ec == std::errc() && res.ptr == body.data() + body.size()) {
        if (!neg && u <= static_cast<unsigned long long>(LLONG_MAX)) return Value::Int(static_cast<int64_t>(u), origin);
        if (neg && u <= static_cast<unsigned long long>(LLONG_MAX) + 1ULL) {
          return Value::Int(u == static_cast<unsigned long long>(LLONG_MAX) + 1ULL ? LLONG_MIN
                                                                                   : -static_cast<int64_t>(u),
                            origin);
        }
      }
    }
  }
  return Value::String(s, origin);
}

Value ParseJson(std::string_view text, const Origin& origin) {
  FileReader none;
  Parser p(text, SetMode::kJson, origin, none);
  try {
    return p.ParseWholeJson();
  } catch (const SetError& e) {
    throw Error(e.message);
  }
}

void ParseSetInto(std::string_view text, SetMode mode, Value& dest, const Origin& origin, const FileReader& reader) {
  if (!dest.is_map()) dest = Value::MakeMap(origin);
  Parser p(text, mode, origin, reader);
  try {
    p.Parse(dest);
  } catch (const SetError& e) {
    throw Error(e.message);
  }
}

}  // namespace capstan::values
