// Explain: which layers (chart defaults, globals, -f files, --set flags) set or delete a path of .Values.
#include "values/engine.h"

namespace capstan::values {
namespace {

// What one source tree says about `path`: nothing, a value at the path, a null there, or a non-map (null or
// scalar) at a shorter prefix that replaces or deletes everything below.
bool Probe(const Value& tree, const Path& path, Contribution* out) {
  const Value* cur = &tree;
  for (size_t i = 0; i < path.size(); ++i) {
    if (!cur->is_map()) return false;
    const Value* next = cur->Find(path[i]);
    if (!next) return false;
    if (i + 1 < path.size() && !next->is_map()) {
      out->origin = next->origin();
      out->value = *next;
      out->action = next->is_null() ? Contribution::Action::kDelete : Contribution::Action::kShadowed;
      out->via = "at " + FormatPath(Path(path.begin(), path.begin() + static_cast<long>(i) + 1));
      return true;
    }
    cur = next;
  }
  out->origin = cur->origin();
  out->value = *cur;
  out->action = cur->is_null() ? Contribution::Action::kDelete : Contribution::Action::kSet;
  return true;
}

const Chart* FindSubchart(const Chart& c, const std::string& name) {
  for (const auto& d : c.dependencies) {
    if (d.alias == name) {
      for (const auto& s : c.subcharts)
        if (s->name == d.name) return s.get();
    }
  }
  for (const auto& s : c.subcharts)
    if (s->name == name) return s.get();
  return nullptr;
}

// What import-values brought into the chart at `at` for `path` (relative to that chart). Imports coalesce with
// the first one kept, and the chart's own defaults (its values.yaml and its subcharts') win over them: they come
// first, last import first.
void Imports(const MergeResult& result, const Path& at, const Path& path, std::vector<Contribution>& out) {
  for (auto it = result.imports.rbegin(); it != result.imports.rend(); ++it) {
    if (it->into != at) continue;
    Contribution c;
    if (Probe(it->values, path, &c)) {
      c.via = it->via;
      out.push_back(c);
    }
  }
}

// Chart defaults for `path` of chart `c` (whose values are at `at` in the top chart's), deepest (lowest precedence)
// first.
void ChartDefaults(const MergeResult& result, const Chart& c, const Path& at, const Path& path,
                   std::vector<Contribution>& out, const std::string& via) {
  if (path.empty()) return;
  Imports(result, at, path, out);
  if (path.size() >= 2 && path[0] != "global") {
    if (const Chart* sub = FindSubchart(c, path[0])) {
      Path rest(path.begin() + 1, path.end());
      Path sub_at = at;
      sub_at.push_back(path[0]);
      ChartDefaults(result, *sub, sub_at, rest, out, via.empty() ? "subchart " + sub->display : via);
      if (rest.size() >= 2 && rest[0] == "global") {
        // Globals flow down from this chart: its own global defaults win over the subchart's.
        Contribution g;
        if (Probe(c.values, rest, &g)) {
          g.via = "global from " + c.display;
          out.push_back(g);
        }
      }
    }
  }
  Contribution own;
  if (Probe(c.values, path, &own)) {
    if (own.via.empty()) own.via = via;
    out.push_back(own);
  }
}

}  // namespace

std::vector<Contribution> Explain(const MergeResult& result, const Chart& original_chart, const Path& path) {
  std::vector<Contribution> out;
  ChartDefaults(result, original_chart, {}, path, out, "");
  // For <sub>[.<sub>...].global.X the user's top-level global.X flows down too.
  size_t gpos = 0;
  while (gpos < path.size() && path[gpos] != "global") ++gpos;
  for (const auto& layer : result.layers) {
    if (gpos > 0 && gpos < path.size()) {
      Path global_path(path.begin() + static_cast<long>(gpos), path.end());
      Contribution g;
      if (Probe(layer.values, global_path, &g)) {
        g.via = "global";
        out.push_back(g);
      }
    }
    Contribution c;
    if (Probe(layer.values, path, &c)) out.push_back(c);
  }
  return out;
}

}  // namespace capstan::values
