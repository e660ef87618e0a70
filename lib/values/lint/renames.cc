#include "values/lint/renames.h"

#include "values/lint/source_map.h"
#include "util/error.h"
#include "util/file_io.h"

namespace capstan::values::lint {

std::optional<Rename> ChartRenames::FindRename(const Path& path) const {
  std::optional<Rename> found;
  Path cur = path;
  // Follow chains, bounded by the number of renames (a cycle cannot loop forever).
  for (size_t hops = 0; hops <= renames.size(); ++hops) {
    const Rename* next = nullptr;
    for (const auto& r : renames)
      if (r.from == cur) next = &r;
    if (!next) break;
    if (!found) found = *next;
    found->to = next->to;
    found->since = next->since;
    cur = next->to;
    if (cur == path) break;
  }
  return found;
}

const Deprecation* ChartRenames::FindDeprecation(const Path& path) const {
  for (const auto& d : deprecated)
    if (d.key == path) return &d;
  return nullptr;
}

ChartRenames ParseRenames(const std::string& text, const std::string& file) {
  ChartRenames out;
  out.file = file;
  SourceMap m = SourceMap::Build(text);
  if (!m.ok()) {
    throw Error(file + ":" + std::to_string(m.error().line) + ": " + m.error().message +
                ": fix the YAML of the chart's renames file");
  }
  auto scalar = [&](const std::string& ptr) -> std::string {
    const SourceNode* n = m.Find(ptr);
    return n && n->kind == SourceNode::Kind::kScalar ? n->text : std::string();
  };
  auto bad = [&](const std::string& ptr, const std::string& why) -> Error {
    const SourceNode* n = m.FindNearest(ptr);
    int line = n ? (n->has_key ? n->key_line : n->line) : 0;
    return Error(file + ":" + std::to_string(line) + ": " + why +
                 " (entries are {from, to, since} under renames: and {key, since, message} under deprecated:)");
  };
  for (size_t i = 0;; ++i) {
    std::string base = "/renames/" + std::to_string(i);
    const SourceNode* item = m.Find(base);
    if (!item) break;
    Rename r;
    std::string from = scalar(base + "/from"), to = scalar(base + "/to");
    if (from.empty() || to.empty()) throw bad(base, "a rename needs both 'from' and 'to'");
    r.from = ParsePath(from);
    r.to = ParsePath(to);
    if (r.from == r.to) throw bad(base, "rename from '" + from + "' to itself");
    r.since = scalar(base + "/since");
    r.line = item->line;
    out.renames.push_back(std::move(r));
  }
  for (size_t i = 0;; ++i) {
    std::string base = "/deprecated/" + std::to_string(i);
    const SourceNode* item = m.Find(base);
    if (!item) break;
    Deprecation d;
    std::string key = scalar(base + "/key");
    if (key.empty()) throw bad(base, "a deprecation needs a 'key'");
    d.key = ParsePath(key);
    d.since = scalar(base + "/since");
    d.message = scalar(base + "/message");
    d.line = item->line;
    out.deprecated.push_back(std::move(d));
  }
  return out;
}

ChartRenames LoadRenames(const std::string& chart_dir) {
  std::string path = chart_dir + "/" + kRenamesFile;
  if (!FileExists(path)) return {};
  return ParseRenames(ReadFile(path), path);
}

}  // namespace capstan::values::lint
