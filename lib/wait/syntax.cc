// The grammar of condition lists (docs/wait.md, "Grammar"):
//
//   list      = ws* [ condition ( sep condition )* ] ws*
//   sep       = ws* ( "," | LF ) ws*           -- a comma or a line break (blank lines are fine)
//   condition = scheme ":" body [ ispace* "(" ws* option ( ws* "," ws* option )* ws* ")" ]
//   scheme    = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )           (case-insensitive)
//   body      = *bare                                                  (percent-encode anything else)
//   option    = key [ ws* op ws* value | ws+ value ]                  -- "key value" means "key=value"
//   key       = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )             (case-insensitive)
//   op        = ">=" / "<=" / "!=" / "=" / ">" / "<"
//   value     = 1*bare / "'" *( qchar / "\" ANY ) "'" / DQUOTE *( qchar / "\" ANY ) DQUOTE
//   bare      = any byte except whitespace, NUL, "," "(" ")" "'" DQUOTE
//
// NUL bytes are rejected anywhere. Every error names the condition and the line/column.
#include "wait/syntax.h"

#include <cctype>

#include "util/strings.h"
#include "wait/condition.h"

namespace capstan::wait {
namespace detail {

bool IsInlineSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

static bool IsSpace(unsigned char c) { return IsInlineSpace(c) || c == '\n'; }

bool IsBareChar(unsigned char c) {
  return !(IsSpace(c) || c == 0 || c == ',' || c == '(' || c == ')' || c == '\'' || c == '"');
}

[[noreturn]] void Fail(std::string_view text, size_t offset, size_t index, const std::string& reason) {
  if (offset > text.size()) offset = text.size();
  size_t line = 1, line_start = 0;
  for (size_t i = 0; i < offset; ++i)
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  size_t column = offset - line_start + 1;
  bool multiline = text.find('\n') != std::string_view::npos;
  std::string where = multiline ? "line " + std::to_string(line) + ", column " + std::to_string(column)
                                : "column " + std::to_string(column);
  std::string prefix = index > 0 ? "condition " + std::to_string(index) + " at " + where : "at " + where;
  throw ConditionError(prefix + ": " + reason, reason, offset, line, column);
}

std::string PercentEncode(std::string_view in) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    if (!IsBareChar(c) || c == '%' || c < 0x20 || c == 0x7f) {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

namespace {

bool IsSchemeStart(unsigned char c) { return std::isalpha(c) != 0; }
bool IsSchemeChar(unsigned char c) { return std::isalnum(c) != 0 || c == '+' || c == '-' || c == '.'; }
bool IsKeyChar(unsigned char c) { return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.'; }

class Parser {
 public:
  explicit Parser(std::string_view text) : t_(text) {}

  std::vector<ConditionSpec> Run() {
    for (size_t i = 0; i < t_.size(); ++i)
      if (t_[i] == '\0') Fail(t_, i, 0, "NUL byte in the condition text");
    std::vector<ConditionSpec> out;
    SkipSpace();
    if (p_ >= t_.size()) return out;
    while (true) {
      out.push_back(ParseCondition(out.size() + 1));
      // After a condition: end, a comma, or a line break.
      SkipInline();
      if (p_ >= t_.size()) break;
      char c = t_[p_];
      if (c == ',') {
        size_t comma = p_;
        ++p_;
        SkipSpace();
        if (p_ >= t_.size())
          Fail(t_, comma, out.size(), "trailing ',': a condition must follow it (or remove the comma)");
        if (t_[p_] == ',') Fail(t_, p_, out.size() + 1, "empty condition between two commas");
        continue;
      }
      if (c == '\n') {
        SkipSpace();
        if (p_ >= t_.size()) break;
        if (t_[p_] == ',') Fail(t_, p_, out.size() + 1, "a line may not start with ','; put it after the condition");
        continue;
      }
      if (c == '(')
        Fail(t_, p_, out.size(), "options must be on the same line as their target");
      if (c == '\'' || c == '"')
        Fail(t_, p_, out.size(),
             "a quote cannot appear in a target; percent-encode it (%27 for ', %22 for \") or quote an option value");
      if (c == ')') Fail(t_, p_, out.size(), "')' without a matching '('");
      Fail(t_, p_, out.size(),
           "expected ',' or a line break between conditions, found " + Quote(t_.substr(p_, 1)) +
               " (a space inside a target must be written %20)");
    }
    return out;
  }

 private:
  void SkipSpace() {
    while (p_ < t_.size() && IsSpace(static_cast<unsigned char>(t_[p_]))) ++p_;
  }
  void SkipInline() {
    while (p_ < t_.size() && IsInlineSpace(static_cast<unsigned char>(t_[p_]))) ++p_;
  }
  bool At(char c) const { return p_ < t_.size() && t_[p_] == c; }

  ConditionSpec ParseCondition(size_t index) {
    ConditionSpec spec;
    spec.index = index;
    spec.offset = p_;
    if (!IsSchemeStart(static_cast<unsigned char>(t_[p_]))) {
      if (t_[p_] == ',') Fail(t_, p_, index, "empty condition before ','");
      if (t_[p_] == '(' && index > 1)
        Fail(t_, p_, index - 1, "options must be on the same line as their target");
      Fail(t_, p_, index,
           "expected a condition KIND:TARGET (e.g. tcp://db:5432), found " + Quote(t_.substr(p_, 1)));
    }
    size_t s = p_;
    while (p_ < t_.size() && IsSchemeChar(static_cast<unsigned char>(t_[p_]))) ++p_;
    if (!At(':')) {
      size_t e = p_;
      while (e < t_.size() && IsBareChar(static_cast<unsigned char>(t_[e]))) ++e;
      Fail(t_, s, index,
           "expected KIND:TARGET, found " + Quote(t_.substr(s, e - s)) +
               " without a kind (e.g. tcp://db:5432, https://host/path, dns:host, file:/path)");
    }
    spec.scheme = ToLower(t_.substr(s, p_ - s));
    ++p_;  // ':'
    spec.body_offset = p_;
    size_t b = p_;
    while (p_ < t_.size() && IsBareChar(static_cast<unsigned char>(t_[p_]))) ++p_;
    spec.body = std::string(t_.substr(b, p_ - b));
    // Options: "(" on the same line, after optional spaces.
    size_t save = p_;
    SkipInline();
    if (At('(')) {
      ParseOptions(spec);
    } else {
      p_ = save;
    }
    return spec;
  }

  void ParseOptions(ConditionSpec& spec) {
    size_t open = p_;
    ++p_;  // '('
    SkipSpace();
    if (At(')')) Fail(t_, open, spec.index, "empty option list '()': remove it or add options");
    while (true) {
      SkipSpace();
      if (p_ >= t_.size()) Fail(t_, open, spec.index, "'(' is never closed: add ')' after the options");
      spec.options.push_back(ParseOption(spec.index, open));
      SkipSpace();
      if (p_ >= t_.size()) Fail(t_, open, spec.index, "'(' is never closed: add ')' after the options");
      if (At(')')) {
        ++p_;
        return;
      }
      if (At(',')) {
        size_t comma = p_;
        ++p_;
        SkipSpace();
        if (At(')')) Fail(t_, comma, spec.index, "trailing ',' in the option list");
        continue;
      }
      Fail(t_, p_, spec.index,
           "expected ',' or ')' after an option, found " + Quote(t_.substr(p_, 1)) +
               " (quote a value that contains spaces: key='a b')");
    }
  }

  ConditionOption ParseOption(size_t index, size_t open) {
    ConditionOption opt;
    opt.offset = p_;
    if (!std::isalpha(static_cast<unsigned char>(t_[p_]))) {
      if (At(',')) Fail(t_, p_, index, "empty option before ','");
      Fail(t_, p_, index, "expected an option name (e.g. timeout=30s), found " + Quote(t_.substr(p_, 1)));
    }
    size_t s = p_;
    while (p_ < t_.size() && IsKeyChar(static_cast<unsigned char>(t_[p_]))) ++p_;
    opt.key = ToLower(t_.substr(s, p_ - s));
    size_t after_key = p_;
    SkipSpace();
    if (p_ >= t_.size()) Fail(t_, open, index, "'(' is never closed: add ')' after the options");
    static const char* kOps[] = {">=", "<=", "!=", "=", ">", "<"};
    for (const char* op : kOps) {
      std::string_view o(op);
      if (t_.substr(p_, o.size()) == o) {
        opt.op = std::string(o);
        size_t op_at = p_;
        p_ += o.size();
        SkipSpace();
        if (p_ >= t_.size() || At(',') || At(')'))
          Fail(t_, op_at, index, "expected a value after '" + opt.op + "' for option '" + opt.key + "'");
        opt.value_offset = p_;
        opt.value = ParseValue(index);
        return opt;
      }
    }
    if (At(',') || At(')')) {
      opt.value_offset = opt.offset;
      return opt;  // a flag
    }
    if (p_ == after_key && !At('\'') && !At('"'))
      Fail(t_, p_, index,
           "unexpected " + Quote(t_.substr(p_, 1)) + " in option name '" + opt.key + "'");
    opt.op.assign(1, '=');  // "key value"
    opt.value_offset = p_;
    opt.value = ParseValue(index);
    return opt;
  }

  std::string ParseValue(size_t index) {
    char q = t_[p_];
    if (q == '\'' || q == '"') {
      size_t open = p_;
      ++p_;
      std::string v;
      while (true) {
        if (p_ >= t_.size())
          Fail(t_, open, index, std::string("unterminated quoted value: add the closing ") + q);
        char c = t_[p_];
        if (c == '\\') {
          if (p_ + 1 >= t_.size())
            Fail(t_, open, index, std::string("unterminated quoted value: add the closing ") + q);
          v += t_[p_ + 1];
          p_ += 2;
          continue;
        }
        if (c == q) {
          ++p_;
          return v;
        }
        v += c;
        ++p_;
      }
    }
    size_t s = p_;
    while (p_ < t_.size() && IsBareChar(static_cast<unsigned char>(t_[p_]))) ++p_;
    if (s == p_) Fail(t_, p_, index, "expected a value, found " + Quote(t_.substr(p_, 1)));
    return std::string(t_.substr(s, p_ - s));
  }

  std::string_view t_;
  size_t p_ = 0;
};

}  // namespace
}  // namespace detail

std::vector<ConditionSpec> ParseSpecs(std::string_view text) { return detail::Parser(text).Run(); }

std::string FormatValue(std::string_view value) {
  bool bare = !value.empty();
  for (unsigned char c : value)
    if (!detail::IsBareChar(c)) bare = false;
  if (bare) {
    char f = value.front();
    if (f == '=' || f == '<' || f == '>' || f == '!') bare = false;
  }
  if (bare) return std::string(value);
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += '\'';
  return out;
}

std::string FormatDurationExact(Millis d) {
  long long ms = d.count();
  if (ms <= 0) return "0s";
  if (ms % 1000 != 0) return std::to_string(ms) + "ms";
  long long s = ms / 1000;
  std::string out;
  if (s >= 3600) {
    out += std::to_string(s / 3600) + "h";
    s %= 3600;
  }
  if (s >= 60) {
    out += std::to_string(s / 60) + "m";
    s %= 60;
  }
  if (s > 0) out += std::to_string(s) + "s";
  return out;
}

}  // namespace capstan::wait
