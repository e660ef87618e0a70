#include "values/engine.h"

#include <algorithm>
#include <set>
#include <utility>

#include "util/error.h"
#include "util/file_io.h"
#include "util/strings.h"
#include "values/gvalue.h"
#include "values/strvals.h"
#include "values/yaml_load.h"

namespace capstan::values {

using internal::GMap;
using internal::GMapPtr;
using internal::GValue;

namespace {

constexpr const char* kGlobal = "global";

// Helm's chart.Chart as the dependency pre-pass sees it, with Go's pointers kept as pointers: the pre-pass copies
// and mutates charts, their Metadata and its []*Dependency, and what two copies share decides the result (see
// AliasCopy).
struct GMeta {                                    // chart.Metadata
  std::string name;                               // the alias, once an aliased copy was made
  std::string version;
  std::vector<std::shared_ptr<Dependency>> deps;  // Metadata.Dependencies (pointers, as in Go)
};

struct GChart {
  std::shared_ptr<GMeta> meta;
  std::string display;
  GValue values;                  // a map
  std::vector<std::shared_ptr<GChart>> subs;
  const std::string& name() const { return meta->name; }
};

std::shared_ptr<GChart> ToGChart(const Chart& c) {
  auto g = std::make_shared<GChart>();
  g->meta = std::make_shared<GMeta>();
  g->meta->name = c.name;
  g->meta->version = c.version;
  g->display = c.display;
  g->values = internal::ToG(c.values);
  if (!g->values.is_map()) g->values = GValue::NewMap(c.values.origin());
  for (const auto& d : c.dependencies) g->meta->deps.push_back(std::make_shared<Dependency>(d));
  for (const auto& s : c.subcharts) g->subs.push_back(ToGChart(*s));
  return g;
}

std::shared_ptr<Chart> FromGChart(const GChart& g) {
  auto c = std::make_shared<Chart>();
  c->name = g.name();
  c->version = g.meta->version;
  c->display = g.display;
  c->values = internal::FromG(g.values);
  for (const auto& d : g.meta->deps) c->dependencies.push_back(*d);
  c->has_dependencies = !g.meta->deps.empty();
  for (const auto& s : g.subs) c->subcharts.push_back(FromGChart(*s));
  return c;
}

std::string ConcatPrefix(const std::string& a, const std::string& b) { return a.empty() ? b : a + "." + b; }

class Coalescer {
 public:
  Coalescer(int helm, std::vector<Warning>* warnings) : helm_(helm), warnings_(warnings) {}

  // CoalesceValues(chart, vals): a deep copy of vals coalesced with the chart's defaults.
  GValue CoalesceValues(const GChart& c, const GValue& vals) { return Run(c, vals, false); }
  // The same without the copy, for values nothing else refers to (saves a copy of the user's values).
  GValue CoalesceOwnedValues(const GChart& c, GValue vals) {
    if (!vals.is_map()) vals = GValue::NewMap(vals.origin);
    Coalesce(c, vals.map, "", false);
    return vals;
  }
  // MergeValues(chart, vals): the same, keeping nulls.
  GValue MergeValues(const GChart& c, const GValue& vals) { return Run(c, vals, true); }

  // coalesceTablesFullKey
  void CoalesceTables(const GMapPtr& dst, const GMapPtr& src, const std::string& prefix, bool merge) {
    if (!src || !dst) return;
    for (auto& [key, val] : *src) {
      std::string fullkey = ConcatPrefix(prefix, key);
      auto it = dst->find(key);
      bool ok = it != dst->end();
      if (ok && !merge && it->second.is_null() && (helm_ < 4 || !val.is_null())) {
        dst->erase(it);
      } else if (!ok) {
        (*dst)[key] = val;
      } else if (val.is_map()) {
        if (it->second.is_map()) {
          CoalesceTables(it->second.map, val.map, fullkey, merge);
        } else {
          Warn("warning: cannot overwrite table with non table for " + fullkey + " (" + internal::GoV(val) + ")",
               it->second.origin);
        }
      } else if (it->second.is_map() && !val.is_null()) {
        Warn("warning: destination for " + fullkey + " is a table. Ignoring non-table value (" + internal::GoV(val) +
                 ")",
             it->second.origin);
      }
    }
  }

 private:
  GValue Run(const GChart& c, const GValue& vals, bool merge) {
    GValue copy = vals.is_map() ? internal::DeepCopy(vals) : GValue::NewMap(vals.origin);
    Coalesce(c, copy.map, "", merge);
    return copy;
  }

  void Warn(std::string message, const Origin& origin) {
    if (warnings_) warnings_->push_back(Warning{std::move(message), origin});
  }

  void Coalesce(const GChart& c, const GMapPtr& dest, const std::string& prefix, bool merge) {
    CoalesceValuesInto(c, dest, prefix, merge);
    CoalesceDeps(c, dest, prefix, merge);
  }

  void CoalesceDeps(const GChart& c, const GMapPtr& dest, const std::string& prefix, bool merge) {
    for (const auto& sub : c.subs) {
      auto it = dest->find(sub->name());
      if (it == dest->end()) {
        (*dest)[sub->name()] = GValue::NewMap();
      } else if (!it->second.is_map()) {
        throw Error("type mismatch on " + sub->name() + ": " + internal::GoT(it->second));
      }
      GMapPtr dv = (*dest)[sub->name()].map;
      std::string sub_prefix = ConcatPrefix(prefix, c.name());
      CoalesceGlobals(dv, dest, sub_prefix);
      Coalesce(*sub, dv, sub_prefix, merge);
    }
  }

  void CoalesceGlobals(const GMapPtr& dest, const GMapPtr& src, const std::string& prefix) {
    GMapPtr dg, sg;
    auto dit = dest->find(kGlobal);
    if (dit == dest->end()) {
      dg = std::make_shared<GMap>();
    } else if (dit->second.is_map()) {
      dg = dit->second.map;
    } else {
      Warn("warning: skipping globals because destination global is not a table.", dit->second.origin);
      return;
    }
    auto sit = src->find(kGlobal);
    if (sit == src->end()) {
      sg = std::make_shared<GMap>();
    } else if (sit->second.is_map()) {
      sg = sit->second.map;
    } else {
      Warn("warning: skipping globals because source global is not a table.", sit->second.origin);
      return;
    }
    for (auto& [key, val] : *sg) {
      if (val.is_map()) {
        GValue vv = val;
        vv.map = internal::ShallowCopy(val.map);
        auto d = dg->find(key);
        if (d == dg->end()) {
          (*dg)[key] = vv;
        } else if (!d->second.is_map()) {
          Warn("Conflict: cannot merge map onto non-map for \"" + key + "\". Skipping.", d->second.origin);
        } else {
          CoalesceTables(vv.map, d->second.map, ConcatPrefix(prefix, key), true);
          (*dg)[key] = vv;
        }
      } else if (auto d = dg->find(key); d != dg->end() && d->second.is_map()) {
        Warn("key " + key + " is table. Skipping", d->second.origin);
      } else {
        (*dg)[key] = val;
      }
    }
    GValue g;
    g.kind = Kind::kMap;
    g.map = dg;
    if (dit != dest->end()) g.origin = dit->second.origin;
    (*dest)[kGlobal] = g;
  }

  static bool IsSubchart(const GChart& c, const std::string& key) {
    for (const auto& s : c.subs)
      if (s->name() == key) return true;
    return false;
  }

  void CoalesceValuesInto(const GChart& c, const GMapPtr& v, const std::string& prefix, bool merge) {
    std::string sub_prefix = ConcatPrefix(prefix, c.name());
    GValue vc = internal::DeepCopy(c.values);
    if (!vc.is_map()) return;
    for (auto& [key, val] : *vc.map) {
      auto it = v->find(key);
      if (it != v->end()) {
        GValue& value = it->second;
        if (value.is_null() && !merge) {
          v->erase(it);
        } else if (value.is_map()) {
          if (!val.is_map()) {
            if (!val.is_null()) Warn("warning: skipped value for " + sub_prefix + "." + key + ": Not a table.", value.origin);
          } else {
            bool m = merge || IsSubchart(c, key);
            CoalesceTables(value.map, val.map, ConcatPrefix(sub_prefix, key), m);
          }
        }
      } else {
        (*v)[key] = val;
      }
    }
  }

  int helm_;
  std::vector<Warning>* warnings_;
};

// ---- Values.Table / PathValue (pkg/chartutil/values.go) ----------------------------------------------------

std::vector<std::string> SplitDots(const std::string& s) { return Split(s, '.'); }

// Table(name): nullptr when any step is missing or not a map.
const GValue* Table(const GValue& root, const std::string& name) {
  const GValue* cur = &root;
  for (const auto& part : SplitDots(name)) {
    if (!cur->is_map()) return nullptr;
    auto it = cur->map->find(part);
    if (it == cur->map->end() || !it->second.is_map()) return nullptr;
    cur = &it->second;
  }
  return cur;
}

const GValue* PathValue(const GValue& root, const std::string& path) {
  if (path.empty()) return nullptr;
  auto parts = SplitDots(path);
  const GValue* table = &root;
  if (parts.size() > 1) {
    std::vector<std::string> head(parts.begin(), parts.end() - 1);
    table = Table(root, Join(head, "."));
    if (!table) return nullptr;
  }
  if (!table->is_map()) return nullptr;
  auto it = table->map->find(parts.back());
  if (it == table->map->end() || it->second.is_map()) return nullptr;
  return &it->second;
}

class DependencyPass {
 public:
  DependencyPass(int helm, std::vector<Warning>* warnings) : helm_(helm), warnings_(warnings), co_(helm, warnings) {}

  // One import-values entry that took effect: the chart it imported into and what it contributed there.
  struct Import {
    const GChart* into;
    GValue values;  // at the importing chart's level (parent path applied), with the child's origins
    std::string via;
  };
  const std::vector<Import>& imports() const { return imports_; }

  // processDependencyEnabled
  void Enabled(GChart& c, const GValue& v, const std::string& path) {
    auto& deps = c.meta->deps;  // c.Metadata.Dependencies: possibly shared with other copies of this chart
    if (deps.empty()) return;
    std::vector<std::shared_ptr<GChart>> chart_deps;
    for (const auto& existing : c.subs) {
      bool declared = false;
      for (const auto& req : deps)
        if (existing->name() == req->name) declared = true;
      if (!declared) chart_deps.push_back(existing);
    }
    for (const auto& req : deps) {
      if (auto copy = AliasCopy(c.subs, *req)) chart_deps.push_back(copy);
      if (!req->alias.empty()) req->name = req->alias;
    }
    c.subs = chart_deps;
    for (const auto& req : deps) req->enabled = true;
    GValue cvals = co_.CoalesceValues(c, v);
    Tags(deps, cvals);
    Conditions(deps, cvals, path);
    std::set<std::string> rm;
    for (const auto& r : deps)
      if (!r->enabled) rm.insert(r->name);
    std::vector<std::shared_ptr<GChart>> cd;
    for (const auto& n : c.subs)
      if (!rm.count(n->name())) cd.push_back(n);
    std::vector<std::shared_ptr<Dependency>> cd_meta;
    for (const auto& n : deps)
      if (!rm.count(n->name)) cd_meta.push_back(n);
    for (const auto& t : cd) Enabled(*t, cvals, path + t->name() + ".");
    c.meta->deps = cd_meta;
    c.subs = cd;
  }

  // processDependencyImportValues (merge = true, as ProcessDependenciesWithMerge does): children first, on the
  // chart objects themselves (a chart reachable twice is processed twice, as in Go).
  void ImportValues(GChart& c) {
    for (const auto& d : c.subs) ImportValues(*d);
    ImportOne(c);
  }

 private:
  void Warn(std::string message, const Origin& origin = {}) {
    if (warnings_) warnings_->push_back(Warning{std::move(message), origin});
  }

  // getAliasDependency: a copy of the subchart named dep.name, renamed to the alias. What the copy shares with the
  // subchart (and so with every other copy of it) differs between the majors, and shows:
  //  - Helm 3.17 (pkg/chartutil/dependencies.go) copies the Chart and its Metadata struct only (`out := *c;
  //    md := *c.Metadata`): every copy keeps the same *Dependency objects of the subchart's own Chart.yaml
  //    dependencies and the same subchart objects. The first copy's pass rewrites them: processImportValues sets
  //    r.ImportValues to its normalised []interface{}{map[string]string{child, parent}}, whose entries match neither
  //    `case map[string]interface{}` nor `case string` when the next copy's pass reads them, so a subchart used
  //    twice (two aliases) imports its own children's values for the first alias only (and the second pass leaves
  //    ImportValues nil); an alias on its dependency is already applied (req.Name = req.Alias) when the second copy
  //    looks for the subchart by name, so that one keeps it under its chart name.
  //  - Helm 4.1 (pkg/chart/v2/util/dependencies.go) copies the Metadata with new Dependency objects (copyMetadata)
  //    and each subchart object shallowly (`cpy := *dependency`, sharing its Metadata): every declared dependency is
  //    copied again one level down, so only an undeclared subchart (in charts/ but not in Chart.yaml) still shares
  //    its Dependency objects between the copies.
  std::shared_ptr<GChart> AliasCopy(const std::vector<std::shared_ptr<GChart>>& charts, const Dependency& dep) const {
    for (const auto& c : charts) {
      if (!c || c->name() != dep.name) continue;
      auto out = std::make_shared<GChart>(*c);
      out->meta = std::make_shared<GMeta>(*c->meta);  // Helm 3: md := *c.Metadata (same []*Dependency)
      if (helm_ >= 4) {
        for (auto& d : out->meta->deps) d = std::make_shared<Dependency>(*d);  // copyMetadata
        for (auto& s : out->subs) s = std::make_shared<GChart>(*s);            // cpy := *dependency
      }
      if (!dep.alias.empty()) out->meta->name = dep.alias;
      return out;
    }
    return nullptr;
  }

  void Tags(std::vector<std::shared_ptr<Dependency>>& reqs, const GValue& cvals) {
    const GValue* vt = Table(cvals, "tags");
    if (!vt) return;
    for (auto& rp : reqs) {
      Dependency& r = *rp;
      bool has_true = false, has_false = false;
      for (const auto& k : r.tags) {
        auto it = vt->map->find(k);
        if (it == vt->map->end()) continue;
        if (it->second.kind == Kind::kBool) {
          (it->second.b ? has_true : has_false) = true;
        } else {
          Warn("Warning: Tag '" + k + "' for chart " + r.name + " returned non-bool value", it->second.origin);
        }
      }
      if (!has_true && has_false) r.enabled = false;
      else if (has_true || (!has_true && !has_false)) r.enabled = true;
    }
  }

  void Conditions(std::vector<std::shared_ptr<Dependency>>& reqs, const GValue& cvals, const std::string& cpath) {
    for (auto& rp : reqs) {
      Dependency& r = *rp;
      for (const auto& c : Split(std::string(Trim(r.condition)), ',')) {
        if (c.empty()) continue;
        const GValue* vv = PathValue(cvals, cpath + c);
        if (!vv) continue;
        if (vv->kind == Kind::kBool) {
          r.enabled = vv->b;
          break;
        }
        Warn("Warning: Condition path '" + c + "' for chart " + r.name + " returned non-bool value", vv->origin);
      }
    }
  }

  static GValue PathToMap(const std::string& path, const GValue& data) {
    if (path == ".") return data;
    auto parts = SplitDots(path);
    GValue cur = data;
    for (size_t i = parts.size(); i-- > 0;) {
      GValue m = GValue::NewMap(data.origin);
      (*m.map)[parts[i]] = cur;
      cur = m;
    }
    return cur;
  }

  // processImportValues
  void ImportOne(GChart& c) {
    if (c.meta->deps.empty()) return;
    GValue cvals = co_.MergeValues(c, GValue::NewMap());
    GValue b = GValue::NewMap();
    for (const auto& rp : c.meta->deps) {
      Dependency& r = *rp;
      if (r.import_values_normalized) {
        // Already rewritten by another copy's pass (Helm 3, see AliasCopy): no entry matches Helm's type switch.
        r.import_values = Value();
        continue;
      }
      if (!r.import_values.is_list()) continue;
      Value outiv = Value::MakeList(r.import_values.origin());
      for (const auto& riv : r.import_values.list()) {
        if (riv.is_map()) {
          const Value* child = riv.Find("child");
          const Value* parent = riv.Find("parent");
          if (!child || !parent || child->kind() != Kind::kString || parent->kind() != Kind::kString) {
            throw Error("import-values of dependency " + r.name + " (" + riv.origin().Location() +
                        "): each map entry needs string `child` and `parent` keys");
          }
          Value norm = Value::MakeMap(riv.origin());
          norm.map()["child"] = *child;
          norm.map()["parent"] = *parent;
          outiv.list().push_back(norm);
          const GValue* vv = Table(cvals, r.name + "." + child->as_string());
          if (!vv) {
            Warn("Warning: ImportValues missing table from chart " + r.name + ": no table named \"" +
                     child->as_string() + "\"",
                 riv.origin());
            continue;
          }
          GValue piece = PathToMap(parent->as_string(), *vv);
          Record(c, piece, r.name + "." + child->as_string() + " -> " + parent->as_string());
          co_.CoalesceTables(b.map, piece.map, "", true);
        } else if (riv.kind() == Kind::kString) {
          std::string child = "exports." + riv.as_string();
          Value norm = Value::MakeMap(riv.origin());
          norm.map()["child"] = Value::String(child, riv.origin());
          norm.map()["parent"] = Value::String(".", riv.origin());
          outiv.list().push_back(norm);
          const GValue* vm = Table(cvals, r.name + "." + child);
          if (!vm) {
            Warn("Warning: ImportValues missing table: no table named \"" + child + "\"", riv.origin());
            continue;
          }
          Record(c, *vm, r.name + "." + child);
          co_.CoalesceTables(b.map, vm->map, "", true);
        }
      }
      r.import_values = outiv.list().empty() ? Value() : outiv;  // Go: a nil outiv when nothing was appended
      r.import_values_normalized = true;
    }
    GValue copy = internal::DeepCopy(cvals);
    co_.CoalesceTables(copy.map, b.map, "", true);
    copy.origin = c.values.origin;
    c.values = copy;
  }

  void Record(const GChart& into, const GValue& values, const std::string& what) {
    imports_.push_back(Import{&into, internal::DeepCopy(values), "import-values " + what});
  }

  int helm_;
  std::vector<Import> imports_;
  std::vector<Warning>* warnings_;
  Coalescer co_;
};

// MergeMaps(a, b) into a, without copying a (a is the growing user values): the same result, b wins. The second
// form moves b's nodes instead of copying them.
void MergeMapsInto(Value& a, const Value& b) {
  if (!a.is_map()) a = Value::MakeMap(b.origin());
  for (const auto& [k, v] : b.map()) {
    Value* existing = a.Find(k);
    if (v.is_map() && existing && existing->is_map()) {
      MergeMapsInto(*existing, v);
      existing->set_origin(v.origin());
    } else {
      a.map()[k] = v;
    }
  }
}

void MergeMapsInto(Value& a, Value&& b) {
  if (!a.is_map()) a = Value::MakeMap(b.origin());
  for (auto& [k, v] : b.map()) {
    Value* existing = a.Find(k);
    if (v.is_map() && existing && existing->is_map()) {
      Origin origin = v.origin();
      MergeMapsInto(*existing, std::move(v));
      existing->set_origin(std::move(origin));
    } else {
      a.map()[k] = std::move(v);
    }
  }
}

std::shared_ptr<Layer> MakeLayer(LayerKind kind, int index, const std::string& flag, const std::string& file = "") {
  auto l = std::make_shared<Layer>();
  l->kind = kind;
  l->index = index;
  l->flag = flag;
  l->file = file;
  return l;
}

// The imports into each chart of the final tree, with its place in .Values (a chart object reachable twice is
// listed at both places).
void RecordImports(const GChart& c, const Path& at, const std::vector<DependencyPass::Import>& imports,
                   std::vector<ImportedValues>& out) {
  for (const auto& i : imports)
    if (i.into == &c) out.push_back(ImportedValues{at, internal::FromG(i.values), i.via});
  for (const auto& s : c.subs) {
    Path sub = at;
    sub.push_back(s->name());
    RecordImports(*s, sub, imports, out);
  }
}

}  // namespace

Value MergeUserValues(const UserInput& input, const Options& options, std::vector<ParsedLayer>* layers) {
  InputFiles own_inputs;
  InputFiles& inputs = options.inputs ? *options.inputs : own_inputs;
  Value base = Value::MakeMap();
  int index = 0;
  for (const auto& f : input.value_files) {
    auto layer = MakeLayer(LayerKind::kValuesFile, ++index, f, f);
    Value parsed = ParseValuesYaml(inputs.Read(f), layer, options.helm_major);
    if (layers) {
      MergeMapsInto(base, parsed);
      layers->push_back({layer, std::move(parsed)});
    } else {
      MergeMapsInto(base, std::move(parsed));
    }
  }
  struct Kind_ {
    LayerKind kind;
    const std::vector<std::string>* flags;
    SetMode mode;
    const char* name;
  };
  const Kind_ kinds[] = {
      {LayerKind::kSetJson, &input.set_json, SetMode::kJson, "--set-json"},
      {LayerKind::kSet, &input.set, SetMode::kTyped, "--set"},
      {LayerKind::kSetString, &input.set_string, SetMode::kString, "--set-string"},
      {LayerKind::kSetFile, &input.set_file, SetMode::kFile, "--set-file"},
      {LayerKind::kSetLiteral, &input.set_literal, SetMode::kLiteral, "--set-literal"},
  };
  for (const auto& k : kinds) {
    int i = 0;
    for (const auto& flag : *k.flags) {
      auto layer = MakeLayer(k.kind, ++i, flag);
      Origin origin{layer, 0, 0};
      FileReader reader = [layer, &inputs](const std::string& path) {
        layer->file = path;
        return inputs.Read(path);
      };
      Value own = Value::MakeMap(origin);
      if (k.kind == LayerKind::kSetJson) {
        std::string_view trimmed = Trim(flag);
        if (options.helm_major >= 4 && !trimmed.empty() && trimmed[0] == '{') {
          // Helm 4: a whole JSON object, merged like a values file.
          Value parsed;
          try {
            parsed = ParseJson(trimmed, origin);
          } catch (const Error&) {
            throw Error("failed parsing --set-json data JSON: " + flag);
          }
          if (!parsed.is_map()) throw Error("failed parsing --set-json data JSON: " + flag);
          MergeMapsInto(base, parsed);
          if (layers) layers->push_back({layer, std::move(parsed)});
          continue;
        }
        try {
          ParseSetInto(flag, k.mode, base, origin, reader);
          if (layers) ParseSetInto(flag, k.mode, own, origin, reader);
        } catch (const Error&) {
          throw Error("failed parsing --set-json data " + flag);
        }
      } else {
        try {
          ParseSetInto(flag, k.mode, base, origin, reader);
          if (layers) ParseSetInto(flag, k.mode, own, origin, reader);
        } catch (const UsageError& e) {
          throw UsageError("failed parsing " + std::string(k.name) + " data: " + e.what());
        } catch (const Error& e) {
          throw Error("failed parsing " + std::string(k.name) + " data: " + e.what());
        }
      }
      if (layers) layers->push_back({layer, std::move(own)});
    }
  }
  return base;
}

MergeResult ComputeValues(const Chart& chart, const UserInput& input, const Options& options) {
  std::vector<ParsedLayer> layers;
  Value user = MergeUserValues(input, options, &layers);
  MergeResult r = ComputeValuesFrom(chart, std::move(user), options);
  r.layers = std::move(layers);
  return r;
}

MergeResult ComputeValuesFrom(const Chart& chart, Value user, const Options& options) {
  MergeResult r;
  r.user = std::move(user);
  auto g = ToGChart(chart);
  GValue u = internal::ToG(r.user);
  if (!u.is_map()) u = GValue::NewMap();
  if (!g->meta->deps.empty()) {
    DependencyPass pass(options.helm_major, &r.warnings);
    try {
      pass.Enabled(*g, u, "");
    } catch (const Error& e) {
      if (options.helm_major >= 4) throw Error(std::string("chart dependencies processing failed: ") + e.what());
      throw;
    }
    pass.ImportValues(*g);
    RecordImports(*g, {}, pass.imports(), r.imports);
  }
  Coalescer co(options.helm_major, &r.warnings);
  // u was built here and the dependency pass only read it (coalescing copies of it): coalesce it in place.
  GValue result = co.CoalesceOwnedValues(*g, std::move(u));
  r.values = internal::FromG(result);
  r.chart = FromGChart(*g);
  return r;
}

}  // namespace capstan::values
