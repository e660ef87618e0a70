#include "yaml/empty_block_patch.h"

namespace capstan::yaml {

namespace {
size_t Indent(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && line[i] == ' ') ++i;
  return i;
}
}  // namespace

// libfyaml 0.7.12 mis-parses an EMPTY block scalar inside an indented block collection: "  a: |-\n  b: 1\n"
// makes "b: 1" the content of a, and the decoded text reads past its buffer. We parse a copy in which each such
// header (|, >, |-, >+, |2-, ...) is replaced by a scalar of the same length ("" or ~), so every offset stays the
// same, and restore the scalar's style and empty value afterwards.
std::string PatchEmptyBlockScalars(std::string_view text, std::vector<EmptyBlockPatch>* patches) {
  std::string patched;
  std::vector<std::string_view> lines;
  std::vector<size_t> starts;
  for (size_t pos = 0; pos <= text.size();) {
    size_t eol = text.find('\n', pos);
    size_t end = eol == std::string_view::npos ? text.size() : eol;
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    starts.push_back(pos);
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  size_t skip_above = std::string::npos;  // inside a non-empty block scalar: lines indented more than this
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    size_t ind = Indent(line);
    bool blank = ind == line.size();
    if (skip_above != std::string::npos) {
      if (blank || ind > skip_above) continue;
      skip_above = std::string::npos;
    }
    // strip a trailing comment (" #...") and spaces
    std::string_view body = line;
    size_t hash = body.find(" #");
    if (hash != std::string_view::npos) body = body.substr(0, hash);
    while (!body.empty() && body.back() == ' ') body.remove_suffix(1);
    // the header: a block indicator with up to two modifiers, after ": " or "- "
    size_t k = body.size();
    size_t mods = 0;
    while (k > 0 && mods < 2 && (body[k - 1] == '-' || body[k - 1] == '+' || (body[k - 1] >= '1' && body[k - 1] <= '9')))
      --k, ++mods;
    if (k == 0 || (body[k - 1] != '|' && body[k - 1] != '>')) continue;
    size_t ind_pos = k - 1;
    if (ind_pos < 1 || body[ind_pos - 1] != ' ') continue;
    std::string_view before = body.substr(0, ind_pos - 1);
    size_t owner;  // the column of the key (or of the dash) that owns the scalar
    if (before.size() >= 1 && before.back() == ':') {
      owner = ind;  // skip compact sequence dashes: "- - key: |" is owned by key's column
      while (owner + 1 < before.size() && before[owner] == '-' && before[owner + 1] == ' ') {
        owner += 2;
        while (owner < before.size() && before[owner] == ' ') ++owner;
      }
    } else if (!before.empty() && before.back() == '-' && Indent(before) == before.size() - 1) {
      owner = before.size() - 1;
    } else {
      continue;
    }
    // the next non-blank line decides: content only when indented more than the owner
    size_t j = i + 1;
    while (j < lines.size() && Indent(lines[j]) == lines[j].size()) ++j;
    if (j < lines.size() && Indent(lines[j]) > owner) {
      skip_above = owner;
      continue;
    }
    if (owner == 0) continue;  // top level is parsed correctly
    if (patched.empty()) patched.assign(text);
    size_t off = starts[i] + ind_pos;
    size_t len = 1 + mods;
    std::string repl = len == 1 ? "~" : "\"\"" + std::string(len - 2, ' ');
    patched.replace(off, len, repl);
    patches->push_back({static_cast<uint32_t>(off), body[ind_pos] == '|' ? Style::kLiteral : Style::kFolded});
  }
  return patched;
}


}  // namespace capstan::yaml
