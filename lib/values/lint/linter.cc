#include "values/lint/linter.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "jsonschema/validator.h"
#include "util/error.h"
#include "util/strings.h"
#include "util/suggest.h"
#include "values/chart.h"
#include "values/lint/renames.h"
#include "values/lint/source_map.h"
#include "values/lint/type_surprise.h"
#include "values/go_format.h"
#include "values/output.h"
#include "values/yaml_hints.h"
#include "values/yaml_load.h"
#include "yaml/yaml11.h"

namespace capstan::values::lint {

using findings::Finding;
using findings::Severity;

namespace {

// The key a map key in a values file becomes (sigs.k8s.io/yaml over go-yaml v2), as yaml_load.cc computes it.
std::string NormalizeKey(std::string_view text, bool plain) {
  if (!plain) return std::string(text);
  yaml::ResolvedScalar r = yaml::ResolvePlain(text);
  switch (r.type) {
    case yaml::ScalarType::kBool: return r.boolean ? "true" : "false";
    case yaml::ScalarType::kInt: return r.is_unsigned ? std::to_string(r.uinteger) : std::to_string(r.integer);
    case yaml::ScalarType::kFloat: return FormatFloatKey(r.number);
    default: return std::string(text);
  }
}

int LineOfOffset(const std::string& text, size_t offset) {
  offset = std::min(offset, text.size());
  return static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n')) + 1;
}

// One chart's schema, compiled, with the text positions of its keywords.
struct ChartSchema {
  std::string file;
  std::string text;
  std::unique_ptr<jsonschema::Schema> schema;
  // Positions of the schema's keywords, built on first use (a missing required key, an invalid schema).
  const SourceMap& lines() const {
    if (!lines_) lines_ = std::make_unique<SourceMap>(SourceMap::Build(text));
    return *lines_;
  }
  mutable std::unique_ptr<SourceMap> lines_;
  Path prefix;  // where the chart's values sit in the top chart's values
};

// One chart in the tree, with where its values sit.
struct ChartAt {
  const Chart* chart;
  Path prefix;
};

void CollectCharts(const Chart& c, const Path& prefix, std::vector<ChartAt>* out) {
  out->push_back({&c, prefix});
  for (const auto& s : c.subcharts) {
    Path p = prefix;
    p.push_back(s->name);
    CollectCharts(*s, p, out);
  }
}

bool HasPrefix(const Path& path, const Path& prefix) {
  return path.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), path.begin());
}

std::string Dotted(const Path& p) { return p.empty() ? "(root)" : FormatPath(p); }

class Linter {
 public:
  Linter(const Chart& chart, const UserInput& input, const LintOptions& options, InputFiles& inputs)
      : chart_(chart), input_(input), options_(options), inputs_(inputs) {}

  LintResult Run();

 private:
  void Add(Finding f) {
    f.context = options_.context;
    result_.findings.push_back(std::move(f));
  }
  void Locate(Finding& f, const Origin& o, const Path& path);
  bool ParseOverlays();
  void LoadSchemas();
  void ValidateSchemas();
  void CheckKeys();
  void WalkLayer(const ParsedLayer& pl, const Value& v, const Path& path, const SourceMap* src);
  void CheckTypeSurprises();
  void CheckDuplicates();
  void FoldHints();

  std::vector<const ChartSchema*> SchemasFor(const Path& path) const {
    std::vector<const ChartSchema*> out;
    for (const auto& s : schemas_)
      if (s.schema && HasPrefix(path, s.prefix)) out.push_back(&s);
    return out;
  }
  const ChartAt* ChartRootAt(const Path& path) const {
    for (const auto& c : all_charts_)
      if (c.prefix == path) return &c;
    return nullptr;
  }
  const ChartAt* OwnerOf(const Path& path) const {  // the deepest chart whose values contain path
    const ChartAt* best = nullptr;
    for (const auto& c : all_charts_)
      if (HasPrefix(path, c.prefix) && path.size() > c.prefix.size() &&
          (!best || c.prefix.size() > best->prefix.size()))
        best = &c;
    return best;
  }

  const Chart& chart_;                   // as loaded (disabled subcharts included)
  const UserInput& input_;
  LintOptions options_;
  InputFiles& inputs_;                   // -f files and --schema, read once for the engine and the source maps
  LintResult result_;
  std::vector<ChartAt> all_charts_;      // of chart_
  MergeResult merged_;
  Value defaults_;                       // the coalesced values with no user input
  std::map<std::string, SourceMap> sources_;  // -f file -> positions
  std::vector<ChartSchema> schemas_;
  std::map<const Chart*, ChartRenames> renames_;
};

void Linter::Locate(Finding& f, const Origin& o, const Path& path) {
  f.path = PointerJoin(path);
  if (!o.known()) return;
  const Layer& l = *o.layer;
  if (l.kind == LayerKind::kChartDefault || l.kind == LayerKind::kValuesFile) {
    f.file = l.file;
    f.line = o.line;
    f.column = o.column;
    // Overlays: the source map knows the exact key position even when the engine synthesised the node.
    auto it = sources_.find(l.file);
    if (it != sources_.end() && f.line == 0) {
      if (const SourceNode* n = it->second.FindNearest(f.path)) {
        f.line = n->has_key ? n->key_line : n->line;
        f.column = n->has_key ? n->key_column : n->column;
      }
    }
  } else {
    f.message += " (set by " + l.Describe() + ")";
  }
}

bool Linter::ParseOverlays() {
  bool ok = true;
  for (const auto& entry : input_.value_files) {
    for (const auto& file : Split(entry, ',', true)) {
      if (file == "-" || sources_.count(file)) continue;
      const std::string& text = inputs_.Read(file);  // UsageError (exit 2) when unreadable, as helm does
      result_.inputs.push_back(file);
      // Whether Helm reads the file is Helm's reader's answer (the same go-yaml, the same document rules).
      auto layer = std::make_shared<Layer>();
      layer->kind = LayerKind::kValuesFile;
      layer->file = file;
      try {
        ParseValuesYaml(text, layer, options_.helm_major);
      } catch (const ValuesParseError& e) {
        Finding f = UnreadableValuesFinding(e, options_.helm_major);
        f.file = file;
        Add(std::move(f));
        ok = false;
      }
      sources_.emplace(file, SourceMap::BuildValues(text, NormalizeKey));
    }
  }
  return ok;
}

void Linter::LoadSchemas() {
  std::vector<ChartAt> enabled;
  CollectCharts(*merged_.chart, {}, &enabled);
  for (const auto& at : enabled) {
    ChartSchema cs;
    cs.prefix = at.prefix;
    // The engine's post-pre-pass chart tree carries no files: find the loaded chart by its display path.
    const Chart* loaded = nullptr;
    for (const auto& orig : all_charts_)
      if (!loaded && orig.chart->display == at.chart->display) loaded = orig.chart;
    if (at.prefix.empty() && !options_.schema_file.empty()) {
      cs.file = options_.schema_file;
      cs.text = inputs_.Read(cs.file);
    } else if (loaded && !loaded->schema_file.empty()) {
      cs.file = loaded->schema_file;
      cs.text = loaded->schema_text;
    } else {
      continue;
    }
    result_.inputs.push_back(cs.file);
    rapidjson::Document doc;
    doc.Parse(cs.text.c_str(), cs.text.size());
    auto schema_finding = [&](int line, int col, const std::string& msg) {
      Finding f;
      f.rule = "schema";
      f.file = cs.file;
      f.line = line;
      f.column = col;
      f.path = PointerJoin(cs.prefix);
      f.message = msg;
      Add(std::move(f));
    };
    if (doc.HasParseError()) {
      schema_finding(LineOfOffset(cs.text, doc.GetErrorOffset()), 0,
                     std::string("the schema is not valid JSON: ") + rapidjson::GetParseError_En(doc.GetParseError()));
      continue;
    }
    jsonschema::Options o;
    if (options_.helm_major == 3) {
      // Helm 3.17 (gojsonschema): draft-04/06/07 only; 2019-09/2020-12 keywords are ignored even when declared,
      // and the schema is not checked against a meta-schema.
      o.default_draft = jsonschema::Draft::k07;
      o.check_meta_schema = false;
      if (doc.IsObject() && doc.HasMember("$schema") && doc["$schema"].IsString()) {
        std::string declared = doc["$schema"].GetString();
        if (declared.find("2019-09") != std::string::npos || declared.find("2020-12") != std::string::npos)
          doc["$schema"].SetString(jsonschema::DraftMetaSchemaUri(jsonschema::Draft::k07), doc.GetAllocator());
      }
    }
    try {
      cs.schema = std::make_unique<jsonschema::Schema>(
          jsonschema::Schema::Compile(doc, "file:///values.schema.json", jsonschema::Registry(), o));
    } catch (const jsonschema::SchemaError& e) {
      const SourceNode* n = cs.lines().FindNearest(e.pointer());
      schema_finding(n ? (n->has_key ? n->key_line : n->line) : 0, n ? (n->has_key ? n->key_column : n->column) : 0,
                     "the schema itself is invalid at '" + (e.pointer().empty() ? "#" : e.pointer()) +
                         "': " + e.reason());
      continue;
    }
    schemas_.push_back(std::move(cs));
  }
}

void Linter::ValidateSchemas() {
  for (const auto& cs : schemas_) {
    const Value* instance = cs.prefix.empty() ? &merged_.values : merged_.values.FindPath(cs.prefix);
    if (!instance || instance->is_null()) continue;  // Helm 4 skips a subchart whose values are nil
    rapidjson::Document doc;
    std::string json = ToJson(*instance);
    doc.Parse(json.c_str(), json.size());
    if (doc.HasParseError()) continue;
    for (const auto& e : cs.schema->Validate(doc)) {
      std::vector<std::string> rel = PointerSplit(e.instance_location);
      Path at = cs.prefix;
      at.insert(at.end(), rel.begin(), rel.end());
      Finding f;
      f.rule = "schema";
      f.message = Dotted(at) + ": " + e.message;
      if (e.keyword == "required") {
        // A missing key has no value to point at: point at the `required` keyword in the schema.
        f.file = cs.file;
        f.path = PointerJoin(at);
        std::string ptr;
        size_t hash = e.schema_uri.find('#');
        if (hash != std::string::npos) ptr = e.schema_uri.substr(hash + 1);
        const SourceNode* n = cs.lines().Find(ptr);
        if (!n) n = cs.lines().FindNearest(e.keyword_location);
        if (n) {
          f.line = n->has_key ? n->key_line : n->line;
          f.column = n->has_key ? n->key_column : n->column;
        }
      } else {
        const Value* v = merged_.values.FindPath(at);
        Path where = at;
        while (!v && !where.empty()) {
          where.pop_back();
          v = merged_.values.FindPath(where);
        }
        Locate(f, v ? v->origin() : Origin{}, at);
        if (e.keyword == "type" && !f.file.empty() && sources_.count(f.file)) {
          if (const SourceNode* n = sources_.at(f.file).Find(f.path); n && n->kind == SourceNode::Kind::kScalar) {
            std::string hint = YamlReadingHint(*n);
            if (!hint.empty()) f.message += " (" + hint + ")";
          }
        }
      }
      Add(std::move(f));
    }
  }
}

void Linter::WalkLayer(const ParsedLayer& pl, const Value& v, const Path& path, const SourceMap* src) {
  if (!v.is_map()) return;
  const ChartAt* root = ChartRootAt(path);
  const Value* dmap = path.empty() ? &defaults_ : defaults_.FindPath(path);
  // Free-form by default: an empty map default (podAnnotations: {}).
  if (!path.empty() && dmap && dmap->is_map() && dmap->map().empty()) return;
  for (const auto& [key, child] : v.map()) {
    Path p = path;
    p.push_back(key);
    std::string raw = key;
    if (src) {
      if (const SourceNode* n = src->Find(PointerJoin(p)); n && n->has_key) raw = n->key_text;
    }
    if (root) {
      if (key == "global") continue;  // globals are shared with every subchart: free-form
      bool sub = false;
      for (const auto& s : root->chart->subcharts) sub = sub || s->name == key;
      for (const auto& d : root->chart->dependencies) sub = sub || (!d.alias.empty() ? d.alias : d.name) == key;
      if (sub) {
        WalkLayer(pl, child, p, src);
        continue;
      }
    }
    const ChartAt* owner = OwnerOf(p);
    Path rel = owner ? Path(p.begin() + static_cast<long>(owner->prefix.size()), p.end()) : p;
    // Renamed keys (the owning chart's values.renames.yaml).
    if (owner) {
      const ChartRenames& rn = renames_[owner->chart];
      if (auto r = rn.FindRename(rel)) {
        Path to = owner->prefix;
        to.insert(to.end(), r->to.begin(), r->to.end());
        Finding f;
        f.rule = "renamed-key";
        bool still = defaults_.FindPath(p) != nullptr;
        f.severity = still ? Severity::kWarning : Severity::kError;
        f.message = "'" + FormatPath(p) + "' was renamed to '" + FormatPath(to) + "'" +
                    (r->since.empty() ? "" : " in chart version " + r->since) +
                    (still ? "" : "; the old key is ignored") + ": run 'capstan values migrate'";
        f.suggestion = FormatPath(to);
        Locate(f, child.origin(), p);
        Add(std::move(f));
        continue;
      }
      if (const Deprecation* d = rn.FindDeprecation(rel)) {
        Finding f;
        f.rule = "deprecated-key";
        f.severity = Severity::kWarning;
        f.message = "'" + FormatPath(p) + "' is deprecated" + (d->since.empty() ? "" : " since chart version " +
                                                                                         d->since) +
                    (d->message.empty() ? "" : ": " + d->message);
        Locate(f, child.origin(), p);
        Add(std::move(f));
      }
    }
    // What the schemas say.
    bool defined = false, free_form = false, undeclared = false;
    std::vector<std::string> candidates;
    for (const ChartSchema* cs : SchemasFor(p)) {
      Path srel(p.begin() + static_cast<long>(cs->prefix.size()), p.end());
      jsonschema::PathInfo info = cs->schema->Describe(srel);
      using S = jsonschema::PathInfo::Status;
      defined = defined || info.status == S::kDefined || info.status == S::kPattern;
      free_form = free_form || info.status == S::kAdditional;
      undeclared = undeclared || info.status == S::kForbidden || info.status == S::kUndeclared;
      candidates.insert(candidates.end(), info.known_properties.begin(), info.known_properties.end());
      if (info.deprecated) {
        Finding f;
        f.rule = "deprecated-key";
        f.severity = Severity::kWarning;
        f.message = "'" + FormatPath(p) + "' is deprecated by the schema" +
                    (info.description.empty() ? "" : ": " + info.description);
        Locate(f, child.origin(), p);
        Add(std::move(f));
      }
    }
    const Value* d = defaults_.FindPath(p);
    if (d || defined) {
      if (child.is_map() && (!d || d->is_map() || d->is_null())) WalkLayer(pl, child, p, src);
      continue;
    }
    if (free_form) continue;
    // Below a parent without a map default (null, or no default at all), only a schema can say a key is unknown.
    bool parent_has_keys = dmap && dmap->is_map();
    if (!parent_has_keys && !undeclared) continue;
    // Unknown.
    if (dmap && dmap->is_map())
      for (const auto& [k, unused] : dmap->map()) candidates.push_back(k);
    if (root) {
      candidates.push_back("global");
      for (const auto& s : root->chart->subcharts) candidates.push_back(s->name);
    }
    Finding f;
    f.rule = "unknown-key";
    f.suggestion = SuggestClosest(key, candidates);
    std::string shown = FormatPath(p);
    f.message = "unknown key '" + shown + "'";
    if (raw != key) f.message += " (YAML 1.1 reads the key " + raw + " as '" + key + "')";
    f.message += ": the chart neither has a default nor a schema entry for it";
    if (!f.suggestion.empty()) f.message += "; did you mean '" + f.suggestion + "'?";
    Locate(f, child.origin(), p);
    Add(std::move(f));
  }
}

void Linter::CheckKeys() {
  for (const auto& pl : merged_.layers) {
    if (pl.layer->kind == LayerKind::kChartDefault || pl.layer->kind == LayerKind::kImport) continue;
    const SourceMap* src = nullptr;
    if (pl.layer->kind == LayerKind::kValuesFile) {
      auto it = sources_.find(pl.layer->file);
      if (it != sources_.end()) src = &it->second;
    }
    WalkLayer(pl, pl.values, {}, src);
  }
}

void Linter::CheckTypeSurprises() {
  for (const auto& [file, src] : sources_) {
    for (const auto& n : src.nodes()) {
      std::vector<std::string> tokens = PointerSplit(n.pointer);
      Path p(tokens.begin(), tokens.end());
      const Value* d = defaults_.FindPath(p);
      for (auto& s : FindTypeSurprises(n, d)) {
        Finding f;
        f.rule = "type-surprise";
        f.severity = Severity::kWarning;
        f.file = file;
        f.line = s.on_key ? n.key_line : n.line;
        f.column = s.on_key ? n.key_column : n.column;
        f.path = n.pointer;
        f.message = FormatPath(p) + ": " + s.message;
        f.suggestion = s.suggestion;
        Add(std::move(f));
      }
    }
  }
}

void Linter::CheckDuplicates() {
  for (const auto& [file, src] : sources_) {
    for (const auto& d : src.duplicates()) {
      std::vector<std::string> tokens = PointerSplit(d.pointer);
      Finding f;
      f.rule = "duplicate-key";
      f.severity = Severity::kWarning;
      f.file = file;
      f.line = d.first_line;
      f.column = d.first_column;
      f.path = d.pointer;
      f.message = FormatPath(Path(tokens.begin(), tokens.end())) + ": the key is written again at line " +
                  std::to_string(d.line) + " of the same map; Helm uses that later value and ignores this one: "
                  "remove one of them";
      Add(std::move(f));
    }
  }
}

// One problem is one finding: a schema error already says what is wrong with a value (with the YAML 1.1 hint, or
// "not allowed"), so a type-surprise or unknown-key finding on the same value is folded into it (keeping the
// did-you-mean); an unknown key explains its own YAML 1.1 reading; a renamed key explains the schema's refusal.
void Linter::FoldHints() {
  auto& v = result_.findings;
  auto key = [](const Finding& f) { return f.file + "\n" + f.path; };
  std::map<std::string, std::set<std::string>> rules_at;
  std::map<std::string, Finding*> schema_at;
  for (auto& f : v) {
    if (f.file.empty()) continue;
    rules_at[key(f)].insert(f.rule);
    if (f.rule == "schema") schema_at.emplace(key(f), &f);
  }
  std::vector<bool> drop(v.size(), false);
  for (size_t i = 0; i < v.size(); ++i) {
    Finding& f = v[i];
    if (f.file.empty()) continue;
    const auto& here = rules_at[key(f)];
    if (f.rule == "type-surprise") {
      drop[i] = here.count("schema") || here.count("unknown-key");
    } else if (f.rule == "unknown-key" && here.count("schema")) {
      drop[i] = true;
      Finding* s = schema_at[key(f)];
      if (!f.suggestion.empty() && s->suggestion.empty()) {
        s->suggestion = f.suggestion;
        s->message += "; did you mean '" + f.suggestion + "'?";
      }
    } else if (f.rule == "schema" && here.count("renamed-key")) {
      drop[i] = true;
    }
  }
  std::vector<Finding> kept;
  for (size_t i = 0; i < v.size(); ++i)
    if (!drop[i]) kept.push_back(std::move(v[i]));
  v = std::move(kept);
}

LintResult Linter::Run() {
  Options vo;
  vo.helm_major = options_.helm_major;
  vo.inputs = &inputs_;
  CollectCharts(chart_, {}, &all_charts_);
  for (const auto& at : all_charts_) {
    if (!at.chart->values_file.empty()) result_.inputs.push_back(at.chart->values_file);
    if (!at.chart->renames_file.empty()) {
      result_.inputs.push_back(at.chart->renames_file);
      renames_[at.chart] = ParseRenames(at.chart->renames_text, at.chart->renames_file);
    }
  }
  bool parsed = ParseOverlays();
  if (parsed) {
    try {
      merged_ = ComputeValues(chart_, input_, vo);
      defaults_ = ComputeValuesFrom(chart_, Value::MakeMap(), vo).values;
    } catch (const UsageError&) {
      throw;
    } catch (const Error& e) {
      Finding f;
      f.rule = "merge";
      f.message = e.what();
      Add(std::move(f));
      parsed = false;
    }
  }
  if (parsed) {
    LoadSchemas();
    ValidateSchemas();
    CheckKeys();
    CheckTypeSurprises();
    CheckDuplicates();
    FoldHints();
  }
  findings::SortAndFold(result_.findings);
  std::sort(result_.inputs.begin(), result_.inputs.end());
  result_.inputs.erase(std::unique(result_.inputs.begin(), result_.inputs.end()), result_.inputs.end());
  return std::move(result_);
}

}  // namespace

LintResult LintChart(const Chart& chart, const UserInput& input, const LintOptions& options, InputFiles& inputs) {
  Linter l(chart, input, options, inputs);
  return l.Run();
}

Finding UnreadableValuesFinding(const ValuesParseError& e, int helm_major) {
  Finding f;
  f.rule = "yaml";
  f.file = e.file();
  f.line = e.line();
  std::string hint = ExplainYamlError(e.what());
  f.message = "Helm " + std::to_string(helm_major) + " cannot read this file" + (hint.empty() ? "" : ": " + hint) +
              " (helm: " + e.what() + ")";
  return f;
}

LintResult Lint(const std::string& chart_path, const UserInput& input, const LintOptions& options) {
  return LintMatrix(chart_path, input, {}, options);
}

}  // namespace capstan::values::lint
