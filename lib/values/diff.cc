#include "values/diff.h"

#include <algorithm>

#include "util/strings.h"

namespace capstan::values {
namespace {

void Leaves(const Value& v, Path& prefix, std::vector<std::pair<Path, const Value*>>& out) {
  if (v.is_map() && !v.map().empty()) {
    for (const auto& [k, c] : v.map()) {
      prefix.push_back(k);
      Leaves(c, prefix, out);
      prefix.pop_back();
    }
    return;
  }
  if (!prefix.empty()) out.emplace_back(prefix, &v);
}

// The chart knows `path`: it has a default there, or a free-form (empty) map or a non-map above it.
bool Known(const Value& defaults, const Path& path) {
  const Value* cur = &defaults;
  for (const auto& key : path) {
    if (!cur->is_map()) return true;       // a scalar/list default replaced by a map: a type change, not a removal
    if (cur->map().empty()) return true;   // free-form map such as podAnnotations: {}
    cur = cur->Find(key);
    if (!cur) return false;
  }
  return true;
}

std::string Suggest(const Value& old_defaults, const Value& new_defaults, const Path& path, const Value* old_value) {
  std::vector<std::pair<Path, const Value*>> leaves;
  Path prefix;
  Leaves(new_defaults, prefix, leaves);
  std::string best;
  size_t best_score = static_cast<size_t>(-1);
  for (const auto& [p, v] : leaves) {
    if (Known(old_defaults, p)) continue;  // only paths that are new in the new chart
    size_t score = EditDistance(FormatPath(p), FormatPath(path));
    if (p.back() == path.back()) score = score / 2;
    if (old_value && v->Equals(*old_value)) score = score / 2;
    if (score < best_score) {
      best_score = score;
      best = FormatPath(p);
    }
  }
  if (best.empty()) return best;
  size_t limit = std::max<size_t>(3, FormatPath(path).size() / 2);
  return best_score <= limit ? best : std::string();
}

}  // namespace

std::string_view DiffKindName(DiffFinding::Kind kind) {
  switch (kind) {
    case DiffFinding::Kind::kRemoved: return "removed";
    case DiffFinding::Kind::kPinnedOldDefault: return "pinned-old-default";
    case DiffFinding::Kind::kRedundant: return "redundant";
  }
  return "?";
}

std::vector<DiffFinding> DiffUpgrade(const Chart& old_chart, const Chart& new_chart, const UserInput& input,
                                     const Options& options) {
  Value user = MergeUserValues(input, options);
  Value old_defaults = ComputeValuesFrom(old_chart, Value::MakeMap(), options).values;
  Value new_defaults = ComputeValuesFrom(new_chart, Value::MakeMap(), options).values;
  std::vector<std::pair<Path, const Value*>> leaves;
  Path prefix;
  Leaves(user, prefix, leaves);
  std::vector<DiffFinding> out;
  for (const auto& [path, value] : leaves) {
    DiffFinding f;
    f.path = path;
    f.origin = value->origin();
    f.customer = *value;
    const Value* od = old_defaults.FindPath(path);
    const Value* nd = new_defaults.FindPath(path);
    if (od) {
      f.old_default = *od;
      f.has_old_default = true;
    }
    if (nd) {
      f.new_default = *nd;
      f.has_new_default = true;
    }
    if (Known(old_defaults, path) && !Known(new_defaults, path)) {
      f.kind = DiffFinding::Kind::kRemoved;
      f.suggestion = Suggest(old_defaults, new_defaults, path, od);
      out.push_back(std::move(f));
    } else if (od && nd && value->Equals(*od) && !od->Equals(*nd)) {
      f.kind = DiffFinding::Kind::kPinnedOldDefault;
      out.push_back(std::move(f));
    } else if (nd && value->Equals(*nd)) {
      f.kind = DiffFinding::Kind::kRedundant;
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace capstan::values
