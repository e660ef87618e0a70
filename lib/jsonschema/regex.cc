// Pike-VM regular expressions for JSON Schema patterns (see regex.h).
#include "jsonschema/regex.h"

#include <algorithm>
#include <stdexcept>

#include "jsonschema/unicode.h"
#include "jsonschema/unicode_categories.h"

namespace capstan::jsonschema {
namespace {

constexpr size_t kMaxProgram = 20000;  // instructions; {n,m} expansion counts
constexpr int kMaxNesting = 250;

struct Ast {
  enum Kind { kEmpty, kChar, kAny, kClass, kConcat, kAlt, kRepeat, kBegin, kEnd, kWordB, kNotWordB } kind = kEmpty;
  uint32_t c = 0;
  int min = 0, max = 0;  // kRepeat; max < 0: unbounded
  std::vector<Ast> kids;
};

bool IsLineTerminator(uint32_t c) { return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029; }
bool IsWordChar(uint32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

const std::vector<Regex::Range>& DigitRanges() {
  static const std::vector<Regex::Range> r = {{'0', '9'}};
  return r;
}
const std::vector<Regex::Range>& WordRanges() {
  static const std::vector<Regex::Range> r = {{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}};
  return r;
}
const std::vector<Regex::Range>& SpaceRanges() {  // ECMA-262 WhiteSpace + LineTerminator
  static const std::vector<Regex::Range> r = {{0x09, 0x0D}, {0x20, 0x20},     {0xA0, 0xA0},     {0x1680, 0x1680},
                                              {0x2000, 0x200A}, {0x2028, 0x2029}, {0x202F, 0x202F}, {0x205F, 0x205F},
                                              {0x3000, 0x3000}, {0xFEFF, 0xFEFF}};
  return r;
}
std::vector<Regex::Range> Complement(const std::vector<Regex::Range>& in) {
  std::vector<Regex::Range> sorted = in, out;
  std::sort(sorted.begin(), sorted.end(), [](auto& a, auto& b) { return a.lo < b.lo; });
  uint32_t next = 0;
  for (const auto& r : sorted) {
    if (r.lo > next) out.push_back({next, r.lo - 1});
    if (r.hi + 1 > next) next = r.hi + 1;
  }
  if (next <= 0x10FFFF) out.push_back({next, 0x10FFFF});
  return out;
}

}  // namespace

bool Regex::Class::Contains(uint32_t c) const {
  bool in = false;
  for (const auto& r : ranges) {
    if (c >= r.lo && c <= r.hi) {
      in = true;
      break;
    }
  }
  return in != negated;
}

class RegexCompiler {
 public:
  RegexCompiler(Regex& re, std::string_view pattern) : re_(re) {
    size_t i = 0;
    while (i < pattern.size()) cps_.push_back(DecodeUtf8(pattern, i));
  }

  void Run() {
    Ast ast = ParseAlt(0);
    if (pos_ < cps_.size()) Fail(cps_[pos_] == ')' ? "unmatched ')'" : "unexpected character");
    Emit(ast, 0);
    Add({Regex::Op::kMatch});
  }

 private:
  [[noreturn]] void Fail(const std::string& why) {
    throw std::invalid_argument(why + " at offset " + std::to_string(pos_));
  }
  bool More() const { return pos_ < cps_.size(); }
  uint32_t Peek() const { return cps_[pos_]; }

  Ast ParseAlt(int depth) {
    if (depth > kMaxNesting) Fail("groups nested too deeply");
    Ast first = ParseConcat(depth);
    if (!More() || Peek() != '|') return first;
    Ast alt;
    alt.kind = Ast::kAlt;
    alt.kids.push_back(std::move(first));
    while (More() && Peek() == '|') {
      ++pos_;
      alt.kids.push_back(ParseConcat(depth));
    }
    return alt;
  }

  Ast ParseConcat(int depth) {
    Ast cat;
    cat.kind = Ast::kConcat;
    while (More() && Peek() != '|' && Peek() != ')') {
      Ast atom = ParseAtom(depth);
      ParseQuantifier(atom);
      cat.kids.push_back(std::move(atom));
    }
    return cat;
  }

  // Reads {n}, {n,}, {n,m} at pos_; false (and pos_ unchanged) if it is not a quantifier (then '{' is literal).
  bool ParseBraces(int& min, int& max) {
    size_t p = pos_ + 1;
    auto num = [&](int& out) {
      size_t start = p;
      long v = 0;
      while (p < cps_.size() && cps_[p] >= '0' && cps_[p] <= '9') {
        v = std::min<long>(v * 10 + static_cast<long>(cps_[p] - '0'), 1000000);
        ++p;
      }
      out = static_cast<int>(v);
      return p > start;
    };
    if (!num(min)) return false;
    max = min;
    if (p < cps_.size() && cps_[p] == ',') {
      ++p;
      if (!num(max)) max = -1;
    }
    if (p >= cps_.size() || cps_[p] != '}') return false;
    pos_ = p + 1;
    return true;
  }

  void ParseQuantifier(Ast& atom) {
    if (!More()) return;
    int min = 0, max = 0;
    uint32_t c = Peek();
    if (c == '*') {
      min = 0, max = -1, ++pos_;
    } else if (c == '+') {
      min = 1, max = -1, ++pos_;
    } else if (c == '?') {
      min = 0, max = 1, ++pos_;
    } else if (c == '{') {
      if (!ParseBraces(min, max)) return;
      if (max >= 0 && max < min) Fail("numbers out of order in {} quantifier");
    } else {
      return;
    }
    if (More() && Peek() == '?') ++pos_;  // lazy: same verdict for test()
    if (atom.kind == Ast::kBegin || atom.kind == Ast::kEnd || atom.kind == Ast::kWordB ||
        atom.kind == Ast::kNotWordB)
      Fail("nothing to repeat");
    if (More() && (Peek() == '*' || Peek() == '+' || Peek() == '?')) Fail("nothing to repeat");
    Ast rep;
    rep.kind = Ast::kRepeat;
    rep.min = min;
    rep.max = max;
    rep.kids.push_back(std::move(atom));
    atom = std::move(rep);
  }

  Ast Char(uint32_t c) {
    Ast a;
    a.kind = Ast::kChar;
    a.c = c;
    return a;
  }
  Ast ClassAst(std::vector<Regex::Range> ranges, bool negated) {
    Ast a;
    a.kind = Ast::kClass;
    a.c = static_cast<uint32_t>(re_.classes_.size());
    re_.classes_.push_back({std::move(ranges), negated});
    return a;
  }

  Ast ParseAtom(int depth) {
    uint32_t c = Peek();
    ++pos_;
    switch (c) {
      case '^': {
        Ast a;
        a.kind = Ast::kBegin;
        return a;
      }
      case '$': {
        Ast a;
        a.kind = Ast::kEnd;
        return a;
      }
      case '.': {
        Ast a;
        a.kind = Ast::kAny;
        return a;
      }
      case '(': {
        if (More() && Peek() == '?') {
          ++pos_;
          if (!More()) Fail("incomplete group");
          uint32_t k = Peek();
          if (k == ':') {
            ++pos_;
          } else if (k == '<' && pos_ + 1 < cps_.size() && cps_[pos_ + 1] != '=' && cps_[pos_ + 1] != '!') {
            ++pos_;
            while (More() && Peek() != '>') ++pos_;
            if (!More()) Fail("unterminated group name");
            ++pos_;
          } else {
            Fail("look-around assertions are not supported");
          }
        }
        Ast inner = ParseAlt(depth + 1);
        if (!More() || Peek() != ')') Fail("missing ')'");
        ++pos_;
        return inner;
      }
      case ')':
        Fail("unmatched ')'");
      case '[':
        return ParseClass();
      case '*':
      case '+':
      case '?':
        Fail("nothing to repeat");
      case '{': {
        int mn = 0, mx = 0;
        --pos_;
        if (ParseBraces(mn, mx)) Fail("nothing to repeat");
        ++pos_;
        return Char('{');
      }
      case '\\':
        return ParseEscape();
      default:
        return Char(c);
    }
  }

  uint32_t Hex(int digits) {
    uint32_t v = 0;
    for (int i = 0; i < digits; ++i) {
      if (!More()) Fail("incomplete escape");
      uint32_t d = Peek(), x;
      if (d >= '0' && d <= '9') x = d - '0';
      else if (d >= 'a' && d <= 'f') x = d - 'a' + 10;
      else if (d >= 'A' && d <= 'F') x = d - 'A' + 10;
      else Fail("invalid hex escape");
      v = v * 16 + x;
      ++pos_;
    }
    return v;
  }

  // Escapes shared by atoms and classes. Returns true with `c` for a single character; fills `ranges` for a class
  // escape (\d ...). `in_class`: \b is backspace.
  bool ParseEscapeInto(uint32_t& c, std::vector<Regex::Range>& ranges, bool in_class) {
    if (!More()) Fail("trailing backslash");
    uint32_t e = Peek();
    ++pos_;
    switch (e) {
      case 'd': ranges = DigitRanges(); return false;
      case 'D': ranges = Complement(DigitRanges()); return false;
      case 'w': ranges = WordRanges(); return false;
      case 'W': ranges = Complement(WordRanges()); return false;
      case 's': ranges = SpaceRanges(); return false;
      case 'S': ranges = Complement(SpaceRanges()); return false;
      case 'n': c = '\n'; return true;
      case 't': c = '\t'; return true;
      case 'r': c = '\r'; return true;
      case 'f': c = '\f'; return true;
      case 'v': c = '\v'; return true;
      case '0':
        if (More() && Peek() >= '0' && Peek() <= '9') Fail("octal escapes are not supported");
        c = 0;
        return true;
      case 'x': c = Hex(2); return true;
      case 'u':
        if (More() && Peek() == '{') {
          ++pos_;
          c = 0;
          int n = 0;
          while (More() && Peek() != '}') {
            c = c * 16 + Hex(1);
            if (++n > 6 || c > 0x10FFFF) Fail("invalid \\u{} escape");
          }
          if (!More() || n == 0) Fail("invalid \\u{} escape");
          ++pos_;
          return true;
        }
        c = Hex(4);
        if (c >= 0xD800 && c <= 0xDBFF && pos_ + 1 < cps_.size() && cps_[pos_] == '\\' && cps_[pos_ + 1] == 'u') {
          size_t save = pos_;
          pos_ += 2;
          uint32_t lo = Hex(4);
          if (lo >= 0xDC00 && lo <= 0xDFFF) {
            c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
          } else {
            pos_ = save;
          }
        }
        return true;
      case 'c':
        if (More() && ((Peek() >= 'a' && Peek() <= 'z') || (Peek() >= 'A' && Peek() <= 'Z'))) {
          c = Peek() % 32;
          ++pos_;
          return true;
        }
        c = '\\';
        --pos_;
        return true;
      case 'b':
        if (in_class) {
          c = 8;
          return true;
        }
        break;
      case 'p':
      case 'P': {
        if (!More() || Peek() != '{') Fail("\\p needs a {Category}");
        ++pos_;
        std::string name;
        while (More() && Peek() != '}' && name.size() < 64) {
          name += static_cast<char>(Peek() & 0x7F);
          ++pos_;
        }
        if (!More() || Peek() != '}') Fail("unterminated \\p{...}");
        ++pos_;
        for (const char* prefix : {"General_Category=", "gc="})
          if (name.rfind(prefix, 0) == 0) name = name.substr(std::string_view(prefix).size());
        for (const UnicodeCategory& cat : UnicodeCategories()) {
          if (name == cat.name) {
            std::vector<Regex::Range> r;
            for (size_t k = 0; k < cat.count; ++k) r.push_back({cat.ranges[k].lo, cat.ranges[k].hi});
            ranges = e == 'p' ? r : Complement(r);
            return false;
          }
        }
        Fail("unsupported Unicode property \\p{" + name + "} (General_Category values like L, Lu, Nd, Letter are supported)");
      }
      default:
        break;
    }
    if (e >= '1' && e <= '9') Fail("back-references are not supported");
    c = e;  // identity escape
    return true;
  }

  Ast ParseEscape() {
    if (More() && (Peek() == 'b' || Peek() == 'B')) {
      Ast a;
      a.kind = Peek() == 'b' ? Ast::kWordB : Ast::kNotWordB;
      ++pos_;
      return a;
    }
    uint32_t c = 0;
    std::vector<Regex::Range> ranges;
    if (ParseEscapeInto(c, ranges, false)) return Char(c);
    return ClassAst(std::move(ranges), false);
  }

  Ast ParseClass() {
    bool negated = false;
    if (More() && Peek() == '^') {
      negated = true;
      ++pos_;
    }
    std::vector<Regex::Range> ranges;
    // Reads one class atom: a single char (returns true) or a class escape appended to ranges.
    auto atom = [&](uint32_t& c) {
      if (!More()) Fail("missing ']'");
      uint32_t x = Peek();
      ++pos_;
      if (x != '\\') {
        c = x;
        return true;
      }
      std::vector<Regex::Range> esc;
      if (ParseEscapeInto(c, esc, true)) return true;
      ranges.insert(ranges.end(), esc.begin(), esc.end());
      return false;
    };
    while (true) {
      if (!More()) Fail("missing ']'");
      if (Peek() == ']') {
        ++pos_;
        break;
      }
      uint32_t lo = 0;
      bool single = atom(lo);
      if (single && More() && Peek() == '-' && pos_ + 1 < cps_.size() && cps_[pos_ + 1] != ']') {
        ++pos_;
        uint32_t hi = 0;
        bool single_hi = atom(hi);
        if (!single_hi) {  // [a-\d]: Annex B treats '-' literally
          ranges.push_back({lo, lo});
          ranges.push_back({'-', '-'});
          continue;
        }
        if (hi < lo) Fail("range out of order in character class");
        ranges.push_back({lo, hi});
      } else if (single) {
        ranges.push_back({lo, lo});
      }
    }
    return ClassAst(std::move(ranges), negated);
  }

  size_t Add(Regex::Inst inst) {
    if (re_.prog_.size() >= kMaxProgram) throw std::invalid_argument("pattern too large (repetition counts)");
    re_.prog_.push_back(inst);
    return re_.prog_.size() - 1;
  }
  uint32_t Here() const { return static_cast<uint32_t>(re_.prog_.size()); }

  void Emit(const Ast& a, int depth) {
    if (depth > 2 * kMaxNesting + 10) throw std::invalid_argument("pattern nested too deeply");
    switch (a.kind) {
      case Ast::kEmpty:
        return;
      case Ast::kChar:
        Add({Regex::Op::kChar, a.c});
        return;
      case Ast::kAny:
        Add({Regex::Op::kAny});
        return;
      case Ast::kClass:
        Add({Regex::Op::kClass, a.c});
        return;
      case Ast::kBegin:
        Add({Regex::Op::kBegin});
        return;
      case Ast::kEnd:
        Add({Regex::Op::kEnd});
        return;
      case Ast::kWordB:
        Add({Regex::Op::kWordB});
        return;
      case Ast::kNotWordB:
        Add({Regex::Op::kNotWordB});
        return;
      case Ast::kConcat:
        for (const auto& k : a.kids) Emit(k, depth + 1);
        return;
      case Ast::kAlt: {
        std::vector<size_t> jumps;
        for (size_t i = 0; i < a.kids.size(); ++i) {
          if (i + 1 < a.kids.size()) {
            size_t split = Add({Regex::Op::kSplit});
            re_.prog_[split].a = Here();
            Emit(a.kids[i], depth + 1);
            jumps.push_back(Add({Regex::Op::kJmp}));
            re_.prog_[split].b = Here();
          } else {
            Emit(a.kids[i], depth + 1);
          }
        }
        for (size_t j : jumps) re_.prog_[j].a = Here();
        return;
      }
      case Ast::kRepeat: {
        const Ast& body = a.kids[0];
        for (int i = 0; i < a.min; ++i) Emit(body, depth + 1);
        if (a.max < 0) {
          size_t split = Add({Regex::Op::kSplit});
          re_.prog_[split].a = Here();
          Emit(body, depth + 1);
          Add({Regex::Op::kJmp, static_cast<uint32_t>(split)});
          re_.prog_[split].b = Here();
        } else {
          std::vector<size_t> splits;
          for (int i = a.min; i < a.max; ++i) {
            size_t split = Add({Regex::Op::kSplit});
            re_.prog_[split].a = Here();
            splits.push_back(split);
            Emit(body, depth + 1);
          }
          for (size_t s : splits) re_.prog_[s].b = Here();
        }
        return;
      }
    }
  }

  Regex& re_;
  std::vector<uint32_t> cps_;
  size_t pos_ = 0;
};

Regex::Regex(std::string_view pattern) : pattern_(pattern) {
  RegexCompiler compiler(*this, pattern);
  compiler.Run();
}

bool Regex::Search(std::string_view text) const {
  std::vector<uint32_t> cps;
  cps.reserve(text.size());
  for (size_t i = 0; i < text.size();) cps.push_back(DecodeUtf8(text, i));
  const size_t n = prog_.size();
  std::vector<uint32_t> clist, nlist, stack;
  std::vector<size_t> mark(n, static_cast<size_t>(-1));
  clist.reserve(n);
  nlist.reserve(n);
  // Adds the thread at pc (following jumps, splits and zero-width assertions) for position `pos`.
  // Returns true when Match is reachable.
  auto add = [&](std::vector<uint32_t>& list, uint32_t start, size_t pos, size_t stamp) {
    stack.clear();
    stack.push_back(start);
    while (!stack.empty()) {
      uint32_t pc = stack.back();
      stack.pop_back();
      if (mark[pc] == stamp) continue;
      mark[pc] = stamp;
      const Inst& in = prog_[pc];
      switch (in.op) {
        case Op::kJmp:
          stack.push_back(in.a);
          break;
        case Op::kSplit:
          stack.push_back(in.b);
          stack.push_back(in.a);
          break;
        case Op::kBegin:
          if (pos == 0) stack.push_back(pc + 1);
          break;
        case Op::kEnd:
          if (pos == cps.size()) stack.push_back(pc + 1);
          break;
        case Op::kWordB:
        case Op::kNotWordB: {
          bool before = pos > 0 && IsWordChar(cps[pos - 1]);
          bool after = pos < cps.size() && IsWordChar(cps[pos]);
          if ((before != after) == (in.op == Op::kWordB)) stack.push_back(pc + 1);
          break;
        }
        case Op::kMatch:
          return true;
        default:
          list.push_back(pc);
      }
    }
    return false;
  };
  for (size_t pos = 0;; ++pos) {
    // Unanchored search: a new thread starts at every position.
    if (add(clist, 0, pos, pos)) return true;
    if (pos == cps.size() || clist.empty()) {
      if (pos == cps.size()) return false;
      continue;
    }
    uint32_t c = cps[pos];
    nlist.clear();
    for (uint32_t pc : clist) {
      const Inst& in = prog_[pc];
      bool ok = false;
      switch (in.op) {
        case Op::kChar: ok = in.a == c; break;
        case Op::kAny: ok = !IsLineTerminator(c); break;
        case Op::kClass: ok = classes_[in.a].Contains(c); break;
        default: break;
      }
      if (ok && add(nlist, pc + 1, pos + 1, pos + 1)) return true;
    }
    std::swap(clist, nlist);
  }
}

}  // namespace capstan::jsonschema
