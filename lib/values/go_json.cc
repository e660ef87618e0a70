#include "values/go_json.h"

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <utility>

#include "values/go_utf8.h"
#include "util/strings.h"

namespace capstan::values {
namespace {

class GoJsonReader {
 public:
  GoJsonReader(std::string_view in, size_t& pos, const Origin& origin) : in_(in), pos_(pos), origin_(origin) {}

  Value JsonValue() {
    SkipJsonSpace();
    return JsonAny(0);
  }

  void SkipJsonSpace() {
    while (pos_ < in_.size() && (in_[pos_] == ' ' || in_[pos_] == '\t' || in_[pos_] == '\n' || in_[pos_] == '\r'))
      ++pos_;
  }

  [[noreturn]] void JsonFail(const std::string& context) {
    if (pos_ >= in_.size()) throw GoJsonError{"unexpected EOF"};
    char c = in_[pos_];
    std::string shown = c == '\'' ? "'\\''" : std::string("'") + c + "'";
    if (static_cast<unsigned char>(c) < 0x20) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "'\\x%02x'", static_cast<unsigned char>(c));
      shown = buf;
    }
    throw GoJsonError{"invalid character " + shown + " " + context};
  }

  Value JsonAny(int depth) {
    if (depth > 10000) throw GoJsonError{"exceeded max depth"};
    if (pos_ >= in_.size()) throw GoJsonError{"unexpected EOF"};
    char c = in_[pos_];
    if (c == '{') {
      ++pos_;
      Value map = Value::MakeMap(origin_);
      SkipJsonSpace();
      if (pos_ < in_.size() && in_[pos_] == '}') {
        ++pos_;
        return map;
      }
      while (true) {
        SkipJsonSpace();
        if (pos_ >= in_.size() || in_[pos_] != '"') JsonFail("looking for beginning of object key string");
        std::string key = JsonString();
        SkipJsonSpace();
        if (pos_ >= in_.size() || in_[pos_] != ':') JsonFail("after object key");
        ++pos_;
        SkipJsonSpace();
        map.map()[key] = JsonAny(depth + 1);
        SkipJsonSpace();
        if (pos_ < in_.size() && in_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (pos_ < in_.size() && in_[pos_] == '}') {
          ++pos_;
          return map;
        }
        JsonFail("after object key:value pair");
      }
    }
    if (c == '[') {
      ++pos_;
      Value list = Value::MakeList(origin_);
      SkipJsonSpace();
      if (pos_ < in_.size() && in_[pos_] == ']') {
        ++pos_;
        return list;
      }
      while (true) {
        SkipJsonSpace();
        list.list().push_back(JsonAny(depth + 1));
        SkipJsonSpace();
        if (pos_ < in_.size() && in_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (pos_ < in_.size() && in_[pos_] == ']') {
          ++pos_;
          return list;
        }
        JsonFail("after array element");
      }
    }
    if (c == '"') return Value::String(JsonString(), origin_);
    for (const auto& [word, kind] : {std::pair<std::string_view, int>{"true", 1}, {"false", 2}, {"null", 3}}) {
      if (in_.substr(pos_, word.size()) == word) {
        pos_ += word.size();
        return kind == 1 ? Value::Bool(true, origin_) : kind == 2 ? Value::Bool(false, origin_) : Value::Null(origin_);
      }
      if (c == word[0]) {
        for (size_t k = 1; k < word.size(); ++k) {
          ++pos_;
          if (pos_ >= in_.size()) throw GoJsonError{"unexpected EOF"};
          if (in_[pos_] != word[k]) JsonFail("in literal " + std::string(word) + " (expecting '" + word[k] + "')");
        }
      }
    }
    if (c == '-' || (c >= '0' && c <= '9')) return JsonNumber();
    JsonFail("looking for beginning of value");
  }

  Value JsonNumber() {
    size_t start = pos_;
    if (in_[pos_] == '-') ++pos_;
    auto digits = [&]() {
      size_t b = pos_;
      while (pos_ < in_.size() && in_[pos_] >= '0' && in_[pos_] <= '9') ++pos_;
      return pos_ - b;
    };
    if (pos_ < in_.size() && in_[pos_] == '0') {
      ++pos_;
    } else if (digits() == 0) {
      JsonFail("in numeric literal");
    }
    if (pos_ < in_.size() && in_[pos_] == '.') {
      ++pos_;
      if (digits() == 0) JsonFail("after decimal point in numeric literal");
    }
    if (pos_ < in_.size() && (in_[pos_] == 'e' || in_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < in_.size() && (in_[pos_] == '+' || in_[pos_] == '-')) ++pos_;
      if (digits() == 0) JsonFail("in exponent of numeric literal");
    }
    std::string_view text = in_.substr(start, pos_ - start);
    double d = 0;
    auto res = std::from_chars(text.data(), text.data() + text.size(), d);
    if (res.ec == std::errc::result_out_of_range) {
      bool tiny = text.find("e-") != std::string_view::npos || text.find("E-") != std::string_view::npos;
      if (!tiny) throw GoJsonError{"json: cannot unmarshal number " + std::string(text) + " into Go value of type float64"};
      d = 0;
    }
    return Value::Float(d, origin_);
  }


  int Hex4() {
    if (pos_ + 4 > in_.size()) throw GoJsonError{"unexpected EOF"};
    int v = 0;
    for (int k = 0; k < 4; ++k) {
      char h = in_[pos_];
      int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
      if (d < 0) JsonFail("in \\u hexadecimal character escape");
      v = v * 16 + d;
      ++pos_;
    }
    return v;
  }

  std::string JsonString() {
    ++pos_;  // opening quote
    std::string out;
    while (true) {
      if (pos_ >= in_.size()) throw GoJsonError{"unexpected EOF"};
      char c = in_[pos_];
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20) JsonFail("in string literal");
      if (c != '\\') {
        AppendGoRune(in_, &pos_, out);  // invalid UTF-8 becomes U+FFFD, byte by byte, as Go's unquote does
        continue;
      }
      ++pos_;
      if (pos_ >= in_.size()) throw GoJsonError{"unexpected EOF"};
      char e = in_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t cp = static_cast<uint32_t>(Hex4());
          if (cp >= 0xD800 && cp < 0xDC00 && in_.substr(pos_, 2) == "\\u") {
            size_t save = pos_;
            pos_ += 2;
            uint32_t lo = static_cast<uint32_t>(Hex4());
            if (lo >= 0xDC00 && lo < 0xE000) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else {
              pos_ = save;
              cp = 0xFFFD;
            }
          } else if (cp >= 0xD800 && cp < 0xE000) {
            cp = 0xFFFD;
          }
          AppendUtf8(out, cp);
          break;
        }
        default:
          --pos_;
          JsonFail("in string escape code");
      }
    }
  }

  std::string_view in_;
  size_t& pos_;
  Origin origin_;
};

}  // namespace

Value ReadGoJsonValue(std::string_view in, size_t* pos, const Origin& origin) {
  GoJsonReader r(in, *pos, origin);
  return r.JsonValue();
}

}  // namespace capstan::values
