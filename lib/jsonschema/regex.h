// A small ECMA-262 regular expression matcher for JSON Schema `pattern` / `patternProperties`.
// Compiled to a Pike VM over Unicode code points: matching is linear in the input (no backtracking, no recursion),
// so a hostile pattern cannot hang or overflow the stack. Supported: literals, `.`, classes with ranges and
// \d \w \s (and negations), escapes (\n \t \xHH \uHHHH \u{...} \cX), groups (capturing, `(?:)`, `(?<name>)`),
// alternation, greedy and lazy quantifiers (* + ? {n} {n,} {n,m}), anchors ^ $ and \b \B, and \p{..} / \P{..}
// with Unicode General_Category values (L, Lu, Nd, Letter, ...). Not supported (the pattern is rejected with a clear
// reason): back-references, look-around, \p{Script=...} and other properties, flags.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace capstan::jsonschema {

class Regex {
 public:
  // Throws std::invalid_argument with the reason when the pattern is invalid or unsupported.
  explicit Regex(std::string_view pattern);
  // ECMA-262 `RegExp.prototype.test` semantics: true when the pattern matches anywhere in `text` (UTF-8).
  bool Search(std::string_view text) const;
  const std::string& pattern() const { return pattern_; }

  enum class Op : uint8_t { kChar, kAny, kClass, kSplit, kJmp, kMatch, kBegin, kEnd, kWordB, kNotWordB };
  struct Inst {
    Op op;
    uint32_t a = 0;  // char, class index, jump target
    uint32_t b = 0;  // second split target
  };
  struct Range {
    uint32_t lo, hi;
  };
  struct Class {
    std::vector<Range> ranges;
    bool negated = false;
    bool Contains(uint32_t c) const;
  };

 private:
  std::string pattern_;
  std::vector<Inst> prog_;
  std::vector<Class> classes_;
  friend class RegexCompiler;
};

}  // namespace capstan::jsonschema
