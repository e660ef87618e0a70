// Compiles a JSON Schema document into the internal Node graph (schema_internal.h): indexes schema resources
// (`$id`, `$anchor`, `$dynamicAnchor`, `$recursiveAnchor`), resolves `$ref`s to nodes without recursion through
// reference chains, and parses every keyword once so that validation never re-reads the schema JSON.
#include <cmath>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "jsonschema/schema_internal.h"
#include "jsonschema/uri.h"

namespace capstan::jsonschema {
namespace {

constexpr int kMaxSchemaDepth = 400;
constexpr const char* kDefaultBase = "urn:capstan:schema";

using rapidjson::Value;

std::string_view Sv(const Value& v) { return {v.GetString(), v.GetStringLength()}; }

const Value* Member(const Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

struct KnownDraft {
  const char* uri;
  Draft draft;
};
const KnownDraft kKnownDrafts[] = {
    {"http://json-schema.org/draft-04/schema", Draft::k04},
    {"http://json-schema.org/draft-06/schema", Draft::k06},
    {"http://json-schema.org/draft-07/schema", Draft::k07},
    {"https://json-schema.org/draft/2019-09/schema", Draft::k2019_09},
    {"https://json-schema.org/draft/2020-12/schema", Draft::k2020_12},
};

}  // namespace

std::optional<Draft> KnownDraftOf(std::string uri) {
  while (!uri.empty() && uri.back() == '#') uri.pop_back();
  for (const auto& k : kKnownDrafts) {
    std::string_view u = k.uri;
    if (uri == u) return k.draft;
    // tolerate http/https mix-ups, which are common in charts
    std::string_view rest = u.substr(u.find("://"));
    if (uri.size() > rest.size() && uri.compare(uri.size() - rest.size(), rest.size(), rest) == 0 &&
        (uri.rfind("http://", 0) == 0 || uri.rfind("https://", 0) == 0))
      return k.draft;
  }
  return std::nullopt;
}

namespace {

// "/" + escaped token (built without operator+, which trips a GCC 12 -Wrestrict false positive).
std::string Slash(std::string_view token) {
  std::string s;
  s.reserve(token.size() + 1);
  s.push_back('/');
  s.append(EscapePointerToken(token));
  return s;
}

// "the latest draft" URI that some generators (e.g. Kubernetes schema exports) write.
bool IsLatestAlias(std::string uri) {
  while (!uri.empty() && uri.back() == '#') uri.pop_back();
  return uri == "http://json-schema.org/schema" || uri == "https://json-schema.org/schema";
}

bool IsSchemaValue(const Value& v) { return v.IsObject() || v.IsBool(); }

class Compiler {
 public:
  Compiler(const Registry& registry, const Options& options, Schema::Impl& impl)
      : registry_(registry.impl()), options_(options), impl_(impl) {}

  void Run(const Value& root, const std::string& base_uri) {
    auto doc = std::make_shared<rapidjson::Document>();
    doc->CopyFrom(root, doc->GetAllocator());
    impl_.docs.push_back(doc);
    std::string base = base_uri.empty() ? kDefaultBase : SplitFragment(base_uri).first;
    root_source_ = base_uri.empty() ? "schema" : base_uri;
    Resource* res = IndexDocument(*doc, base, root_source_, options_.default_draft);
    impl_.draft = res->draft;
    impl_.root = GetNode(*doc);
    Drain();
  }

 private:
  struct Loc {
    Resource* res;
    std::string pointer;
  };
  struct PendingRef {
    Node* node;
    Kw kind;
    std::string uri;  // absolute
    std::string pointer_for_errors;
  };

  [[noreturn]] void Fail(const Resource* res, const std::string& pointer, const std::string& why) {
    throw SchemaError(res ? res->source : root_source_, pointer, why);
  }

  // ---- indexing -----------------------------------------------------------------------------------------------
  Resource* NewResource(const std::string& uri, const std::string& source, Draft draft, Vocab vocab,
                        const Value* root) {
    impl_.resources.push_back(Resource{});
    Resource* r = &impl_.resources.back();
    r->uri = uri;
    r->source = source;
    r->draft = draft;
    r->vocab = vocab;
    r->root = root;
    if (!by_uri_.count(uri)) by_uri_[uri] = r;
    return r;
  }

  // Reads `$schema` of a resource root: the draft and the vocabularies in use.
  void DialectOf(const Value& v, Draft inherited, Vocab inherited_vocab, const std::string& source,
                 const std::string& pointer, Draft& draft, Vocab& vocab, int hops = 0) {
    draft = inherited;
    vocab = inherited_vocab;
    const Value* s = v.IsObject() ? Member(v, "$schema") : nullptr;
    if (!s) return;
    if (!s->IsString()) throw SchemaError(source, pointer + "/$schema", "$schema must be a string (a meta-schema URI)");
    std::string uri(Sv(*s));
    if (IsLatestAlias(uri)) return;  // "http://json-schema.org/schema#": the caller's default draft
    if (auto d = KnownDraftOf(uri)) {
      draft = *d;
      vocab = Vocab{};
      return;
    }
    // A custom meta-schema registered locally: its own $schema gives the draft, its $vocabulary the vocabularies.
    auto [abs, frag] = SplitFragment(uri);
    const RegisteredDoc* meta = FindRegistered(abs);
    if (!meta || hops > 8)
      throw SchemaError(source, pointer + "/$schema",
                        "unknown meta-schema '" + uri +
                            "': use one of draft-04, -06, -07, 2019-09, 2020-12, or register it locally");
    Draft meta_draft;
    Vocab meta_vocab;
    DialectOf(*meta->doc, inherited, inherited_vocab, meta->source, "", meta_draft, meta_vocab, hops + 1);
    draft = meta_draft;
    vocab = Vocab{};
    const Value* vocabs = meta->doc->IsObject() ? Member(*meta->doc, "$vocabulary") : nullptr;
    if (vocabs && vocabs->IsObject()) {
      vocab.applicator = vocab.validation = vocab.unevaluated = false;
      for (auto m = vocabs->MemberBegin(); m != vocabs->MemberEnd(); ++m) {
        std::string_view name = Sv(m->name);
        auto ends = [&](std::string_view suffix) {
          return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
        };
        if (ends("/vocab/applicator")) {
          vocab.applicator = true;
          if (draft == Draft::k2019_09) vocab.unevaluated = true;
        }
        if (ends("/vocab/validation")) vocab.validation = true;
        if (ends("/vocab/unevaluated")) vocab.unevaluated = true;
        if (ends("/vocab/format-assertion")) vocab.format_assertion = true;
      }
    }
  }

  const RegisteredDoc* FindRegistered(const std::string& uri) {
    auto it = registry_.docs.find(uri);
    if (it != registry_.docs.end()) return &it->second;
    const auto& builtin = BuiltinDocuments();
    auto b = builtin.find(uri);
    if (b != builtin.end()) return &b->second;
    return nullptr;
  }

  Resource* IndexDocument(const rapidjson::Document& doc, const std::string& uri, const std::string& source,
                          Draft default_draft) {
    Draft draft;
    Vocab vocab;
    DialectOf(doc, default_draft, Vocab{}, source, "", draft, vocab);
    Resource* res = NewResource(uri, source, draft, vocab, &doc);
    indexed_uris_.insert(uri);
    Walk(doc, res, "", 0, true);
    return res;
  }

  void Walk(const Value& v, Resource* res, const std::string& pointer, int depth, bool is_resource_root) {
    if (depth > kMaxSchemaDepth)
      Fail(res, pointer, "schema nested deeper than " + std::to_string(kMaxSchemaDepth) + " levels");
    if (locs_.count(&v)) return;
    if (!v.IsObject()) {
      locs_[&v] = {res, pointer};
      return;
    }
    Draft d = res->draft;
    std::string ptr = pointer;
    bool old = d == Draft::k04 || d == Draft::k06 || d == Draft::k07;
    const Value* id = Member(v, d == Draft::k04 ? "id" : "$id");
    if (old && Member(v, "$ref")) id = nullptr;  // $ref siblings are ignored up to draft-07
    if (id && id->IsString()) {
      std::string resolved = ResolveUri(res->uri, Sv(*id));
      auto [abs, frag] = SplitFragment(resolved);
      bool fragment_only = !Sv(*id).empty() && Sv(*id)[0] == '#';
      if (!fragment_only && !is_resource_root) {
        Draft nd;
        Vocab nv;
        DialectOf(v, d, res->vocab, res->source, pointer, nd, nv);
        res = NewResource(abs, res->source, nd, nv, &v);
        d = nd;
        ptr = "";
      } else if (!fragment_only && is_resource_root && abs != res->uri) {
        // The root's $id replaces the retrieval URI as base; the retrieval URI stays an alias.
        by_uri_[abs] = res;
        res->uri = abs;
      }
      if (!frag.empty() && old) res->anchors[frag] = &v;
    }
    locs_[&v] = {res, ptr};
    if (d == Draft::k2019_09 || d == Draft::k2020_12) {
      if (const Value* a = Member(v, "$anchor"); a && a->IsString()) res->anchors[std::string(Sv(*a))] = &v;
      if (d == Draft::k2020_12) {
        if (const Value* a = Member(v, "$dynamicAnchor"); a && a->IsString()) {
          res->anchors[std::string(Sv(*a))] = &v;
          res->dynamic_anchors[std::string(Sv(*a))] = &v;
        }
      }
      if (d == Draft::k2019_09 && ptr.empty()) {
        if (const Value* a = Member(v, "$recursiveAnchor"); a && a->IsBool() && a->GetBool())
          res->recursive_anchor = true;
      }
    }
    ForEachSubschema(v, d, [&](const Value& child, const std::string& rel) {
      Walk(child, res, ptr + rel, depth + 1, false);
    });
  }

  template <typename F>
  void ForEachSubschema(const Value& v, Draft d, F&& f) {
    bool modern = d == Draft::k2019_09 || d == Draft::k2020_12;
    for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
      std::string_view k = Sv(m->name);
      const Value& c = m->value;
      std::string base = Slash(k);
      bool map = k == "properties" || k == "patternProperties" || k == "definitions" ||
                 (modern && (k == "$defs" || k == "dependentSchemas")) || (!modern && k == "dependencies");
      bool array = k == "allOf" || k == "anyOf" || k == "oneOf" || (d == Draft::k2020_12 && k == "prefixItems") ||
                   (d != Draft::k2020_12 && k == "items" && c.IsArray());
      bool single = k == "not" || k == "additionalProperties" || (k == "items" && !c.IsArray()) ||
                    (d != Draft::k04 && (k == "propertyNames" || k == "contains")) ||
                    (d != Draft::k04 && d != Draft::k06 && (k == "if" || k == "then" || k == "else")) ||
                    (modern && (k == "unevaluatedItems" || k == "unevaluatedProperties" || k == "contentSchema")) ||
                    (d != Draft::k2020_12 && k == "additionalItems");
      if (map && c.IsObject()) {
        for (auto e = c.MemberBegin(); e != c.MemberEnd(); ++e)
          if (IsSchemaValue(e->value)) f(e->value, base + Slash(Sv(e->name)));
      } else if (array && c.IsArray()) {
        for (rapidjson::SizeType i = 0; i < c.Size(); ++i)
          if (IsSchemaValue(c[i])) f(c[i], base + "/" + std::to_string(i));
      } else if (single && IsSchemaValue(c)) {
        f(c, base);
      }
    }
  }

  // ---- resolution ---------------------------------------------------------------------------------------------
  Resource* FindResource(const std::string& abs, Draft dflt) {
    auto it = by_uri_.find(abs);
    if (it != by_uri_.end()) return it->second;
    if (const RegisteredDoc* reg = FindRegistered(abs); reg && !indexed_uris_.count(abs)) {
      impl_.docs.push_back(reg->doc);
      IndexDocument(*reg->doc, abs, reg->source, dflt);
      it = by_uri_.find(abs);
      if (it != by_uri_.end()) return it->second;
    }
    if (!indexed_all_) {  // the URI may be an embedded $id inside another registered document
      indexed_all_ = true;
      for (const auto& [uri, reg] : registry_.docs) {
        if (indexed_uris_.count(uri)) continue;
        impl_.docs.push_back(reg.doc);
        IndexDocument(*reg.doc, uri, reg.source, dflt);
      }
      it = by_uri_.find(abs);
      if (it != by_uri_.end()) return it->second;
    }
    return nullptr;
  }

  // Resolves an absolute URI (with fragment) to a schema value.
  const Value* Resolve(const std::string& uri, const Resource* from, const std::string& from_pointer,
                       Resource** out_res, std::string* out_pointer) {
    auto [abs, frag] = SplitFragment(uri);
    Resource* res = FindResource(abs, from ? from->draft : options_.default_draft);
    if (!res)
      Fail(from, from_pointer,
           "cannot resolve reference '" + uri +
               "': no local schema has that URI (references are never fetched; pass the file on the command line)");
    const Value* target = res->root;
    std::string pointer;
    if (frag.empty()) {
      // whole resource
    } else if (frag[0] == '/') {
      std::vector<std::string> tokens;
      pointer = PercentDecode(frag);
      if (!ParseJsonPointer(pointer, tokens))
        Fail(from, from_pointer, "invalid JSON pointer '" + frag + "' in reference '" + uri + "'");
      for (const auto& t : tokens) {
        if (target->IsObject()) {
          auto it = target->FindMember(Value(rapidjson::StringRef(t.data(), t.size())));
          if (it == target->MemberEnd()) target = nullptr;
          else target = &it->value;
        } else if (target->IsArray()) {
          char* end = nullptr;
          unsigned long long i = std::strtoull(t.c_str(), &end, 10);
          if (t.empty() || *end || (t.size() > 1 && t[0] == '0') || i >= target->Size()) target = nullptr;
          else target = &(*target)[static_cast<rapidjson::SizeType>(i)];
        } else {
          target = nullptr;
        }
        if (!target) Fail(from, from_pointer, "reference '" + uri + "' points at nothing (no '" + t + "')");
      }
    } else {
      std::string name = PercentDecode(frag);
      auto it = res->anchors.find(name);
      if (it == res->anchors.end())
        Fail(from, from_pointer, "reference '" + uri + "': no anchor '" + name + "' in " + res->uri);
      target = it->second;
    }
    if (!IsSchemaValue(*target)) Fail(from, from_pointer, "reference '" + uri + "' does not point at a schema");
    auto loc = locs_.find(target);
    if (loc == locs_.end()) {  // inside an unknown keyword: a schema in the referring resource's dialect
      Walk(*target, res, pointer, 0, false);
      loc = locs_.find(target);
    }
    *out_res = loc->second.res;
    *out_pointer = loc->second.pointer;
    return target;
  }

  // ---- nodes ----------------------------------------------------------------------------------------------------
  Node* GetNode(const Value& v) {
    auto it = node_of_.find(&v);
    if (it != node_of_.end()) return it->second;
    auto loc = locs_.find(&v);
    if (loc == locs_.end()) throw std::logic_error("jsonschema: schema value was not indexed");
    impl_.nodes.push_back(Node{});
    Node* n = &impl_.nodes.back();
    node_of_[&v] = n;
    n->res = loc->second.res;
    n->pointer = loc->second.pointer;
    n->value = &v;
    if (used_resources_.insert(n->res).second) queue_resources_.push_back(loc->second.res);
    CompileInto(*n, v);
    return n;
  }

  void Drain() {
    while (!pending_.empty() || !queue_resources_.empty()) {
      while (!queue_resources_.empty()) {
        Resource* r = queue_resources_.back();
        queue_resources_.pop_back();
        // Nodes that dynamic references may jump to at run time.
        for (auto& [name, val] : r->dynamic_anchors) r->dynamic_anchor_nodes[name] = GetNode(*val);
        if (r->recursive_anchor) r->root_node = GetNode(*r->root);
      }
      if (pending_.empty()) break;
      PendingRef p = std::move(pending_.back());
      pending_.pop_back();
      Resource* tres = nullptr;
      std::string tptr;
      const Value* target = Resolve(p.uri, p.node->res, p.pointer_for_errors, &tres, &tptr);
      Node* t = GetNode(*target);
      if (p.kind == Kw::kRef) {
        p.node->ref.node = t;
      } else if (p.kind == Kw::kRecursiveRef) {
        p.node->recursive_ref.node = t;
      } else {
        p.node->dynamic_ref.node = t;
        auto [abs, frag] = SplitFragment(p.uri);
        if (!frag.empty() && frag[0] != '/') {
          auto da = t->res->dynamic_anchors.find(PercentDecode(frag));
          if (da != t->res->dynamic_anchors.end() && da->second == target) {
            p.node->dynamic_ref_is_dynamic = true;
            p.node->dynamic_anchor_name = da->first;
          }
        }
      }
    }
  }

  uint64_t NonNegative(const Node& n, const char* kw, const Value& v) {
    if (v.IsUint64()) return v.GetUint64();
    if (v.IsNumber() && v.GetDouble() >= 0 && IsIntegralDouble(v.GetDouble()))
      return v.GetDouble() > 1.8e19 ? UINT64_MAX : static_cast<uint64_t>(v.GetDouble());
    Fail(n.res, n.pointer + "/" + kw, std::string(kw) + " must be a non-negative integer");
  }
  static bool IsIntegralDouble(double d) { return std::isfinite(d) && std::floor(d) == d; }

  Edge Child(const Node& n, const Value& v, const std::string& rel) {
    (void)n;
    Edge e;
    e.path = rel;
    e.node = GetNode(v);
    return e;
  }

  void CompileInto(Node& n, const Value& v) {
    const std::string& ptr = n.pointer;
    if (v.IsBool()) {
      n.is_bool = true;
      n.bool_value = v.GetBool();
      return;
    }
    if (!v.IsObject()) Fail(n.res, ptr, "a schema must be an object or a boolean");
    const Draft d = n.res->draft;
    const bool modern = d == Draft::k2019_09 || d == Draft::k2020_12;
    const bool old = !modern;
    const Vocab& voc = n.res->vocab;
    auto push = [&](Kw k) {
      for (Kw o : n.order)
        if (o == k) return;
      n.order.push_back(k);
    };
    auto schema_at = [&](const Value& c, const std::string& rel) -> Edge {
      if (!IsSchemaValue(c)) Fail(n.res, ptr + rel, "must be a schema (an object or a boolean)");
      if (!locs_.count(&c)) Walk(c, locs_.at(&v).res, ptr + rel, 0, false);
      return Child(n, c, rel);
    };
    auto schema_array = [&](const Value& c, const std::string& kw) {
      if (!c.IsArray() || c.Empty()) Fail(n.res, ptr + "/" + kw, kw + " must be a non-empty array of schemas");
      std::vector<Edge> out;
      for (rapidjson::SizeType i = 0; i < c.Size(); ++i)
        out.push_back(schema_at(c[i], "/" + kw + "/" + std::to_string(i)));
      return out;
    };
    auto string_array = [&](const Value& c, const std::string& where) {
      if (!c.IsArray()) Fail(n.res, ptr + where, "must be an array of strings");
      std::vector<std::string> out;
      for (const auto& s : c.GetArray()) {
        if (!s.IsString()) Fail(n.res, ptr + where, "must be an array of strings");
        out.emplace_back(Sv(s));
      }
      return out;
    };
    auto number = [&](const Value& c, const char* kw) {
      if (!c.IsNumber()) Fail(n.res, ptr + "/" + kw, std::string(kw) + " must be a number");
      return &c;
    };
    auto regex = [&](std::string_view pattern, const std::string& where) {
      try {
        return std::make_shared<Regex>(pattern);
      } catch (const std::invalid_argument& e) {
        Fail(n.res, ptr + where, "invalid or unsupported regular expression '" + std::string(pattern) + "': " + e.what());
      }
    };
    auto add_ref = [&](Kw kind, const Value& c, const char* kw) {
      if (!c.IsString()) Fail(n.res, ptr + "/" + kw, std::string(kw) + " must be a string");
      std::string uri = ResolveUri(n.res->uri, Sv(c));
      pending_.push_back({&n, kind, uri, ptr + "/" + kw});
      push(kind);
    };

    bool items_array = false;
    if (old) {
      if (const Value* r = Member(v, "$ref")) {  // up to draft-07, $ref replaces the whole schema
        n.ref.path = "/$ref";
        add_ref(Kw::kRef, *r, "$ref");
        return;
      }
    }
    for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
      const std::string k(Sv(m->name));
      const Value& c = m->value;
      const std::string rel = Slash(k);
      // ---- core ----
      if (k == "$ref") {
        n.ref.path = rel;
        add_ref(Kw::kRef, c, "$ref");
      } else if (k == "$dynamicRef" && d == Draft::k2020_12) {
        n.dynamic_ref.path = rel;
        add_ref(Kw::kDynamicRef, c, "$dynamicRef");
      } else if (k == "$recursiveRef" && d == Draft::k2019_09) {
        n.recursive_ref.path = rel;
        add_ref(Kw::kRecursiveRef, c, "$recursiveRef");
      } else if (k == "description" && c.IsString()) {
        n.description = &c;
      } else if (k == "title" && c.IsString()) {
        n.title = &c;
      } else if (k == "default") {
        n.default_value = &c;
      } else if (k == "deprecated" && c.IsBool()) {
        n.deprecated = c.GetBool();
      } else if (voc.validation && k == "type") {
        auto bit = [&](const Value& t) -> uint8_t {
          if (!t.IsString()) Fail(n.res, ptr + rel, "type must be a string or an array of strings");
          std::string_view s = Sv(t);
          if (s == "null") return kTNull;
          if (s == "boolean") return kTBool;
          if (s == "object") return kTObject;
          if (s == "array") return kTArray;
          if (s == "number") return kTNumber;
          if (s == "string") return kTString;
          if (s == "integer") return kTInteger;
          Fail(n.res, ptr + rel,
               "unknown type '" + std::string(s) + "' (use null, boolean, object, array, number, string, integer)");
        };
        if (c.IsArray()) {
          for (const auto& t : c.GetArray()) n.types |= bit(t);
        } else {
          n.types = bit(c);
        }
        push(Kw::kType);
      } else if (voc.validation && k == "enum") {
        if (!c.IsArray()) Fail(n.res, ptr + rel, "enum must be an array");
        n.enum_values = &c;
        push(Kw::kEnum);
      } else if (voc.validation && k == "const" && d != Draft::k04) {
        n.const_value = &c;
        push(Kw::kConst);
      } else if (voc.validation && k == "multipleOf") {
        n.multiple_of = number(c, "multipleOf");
        if (c.GetDouble() <= 0) Fail(n.res, ptr + rel, "multipleOf must be greater than 0");
        push(Kw::kMultipleOf);
      } else if (voc.validation && k == "maximum") {
        n.maximum = number(c, "maximum");
        push(Kw::kMaximum);
      } else if (voc.validation && k == "minimum") {
        n.minimum = number(c, "minimum");
        push(Kw::kMinimum);
      } else if (voc.validation && k == "exclusiveMaximum") {
        if (d == Draft::k04) {
          if (!c.IsBool()) Fail(n.res, ptr + rel, "exclusiveMaximum must be a boolean in draft-04");
          n.maximum_exclusive = c.GetBool();
        } else {
          n.exclusive_maximum = number(c, "exclusiveMaximum");
          push(Kw::kExclusiveMaximum);
        }
      } else if (voc.validation && k == "exclusiveMinimum") {
        if (d == Draft::k04) {
          if (!c.IsBool()) Fail(n.res, ptr + rel, "exclusiveMinimum must be a boolean in draft-04");
          n.minimum_exclusive = c.GetBool();
        } else {
          n.exclusive_minimum = number(c, "exclusiveMinimum");
          push(Kw::kExclusiveMinimum);
        }
      } else if (voc.validation && k == "maxLength") {
        n.max_length = NonNegative(n, "maxLength", c);
        push(Kw::kMaxLength);
      } else if (voc.validation && k == "minLength") {
        n.min_length = NonNegative(n, "minLength", c);
        push(Kw::kMinLength);
      } else if (voc.validation && k == "pattern") {
        if (!c.IsString()) Fail(n.res, ptr + rel, "pattern must be a string");
        n.pattern = regex(Sv(c), rel);
        push(Kw::kPattern);
      } else if (k == "format" && c.IsString()) {
        n.format = std::string(Sv(c));
        n.format_assert = options_.format_assertion || voc.format_assertion;
        if (n.format_assert) push(Kw::kFormat);
      } else if (voc.validation && k == "maxItems") {
        n.max_items = NonNegative(n, "maxItems", c);
        push(Kw::kMaxItems);
      } else if (voc.validation && k == "minItems") {
        n.min_items = NonNegative(n, "minItems", c);
        push(Kw::kMinItems);
      } else if (voc.validation && k == "uniqueItems") {
        if (!c.IsBool()) Fail(n.res, ptr + rel, "uniqueItems must be a boolean");
        n.unique_items = c.GetBool();
        if (n.unique_items) push(Kw::kUniqueItems);
      } else if (voc.validation && k == "maxProperties") {
        n.max_properties = NonNegative(n, "maxProperties", c);
        push(Kw::kMaxProperties);
      } else if (voc.validation && k == "minProperties") {
        n.min_properties = NonNegative(n, "minProperties", c);
        push(Kw::kMinProperties);
      } else if (voc.validation && k == "required") {
        if (d == Draft::k04 || c.IsArray()) {
          n.required = string_array(c, rel);
          push(Kw::kRequired);
        }
      } else if (voc.validation && k == "dependentRequired" && modern) {
        if (!c.IsObject()) Fail(n.res, ptr + rel, "dependentRequired must be an object");
        for (auto e = c.MemberBegin(); e != c.MemberEnd(); ++e)
          n.dependent_required.emplace_back(std::string(Sv(e->name)),
                                            string_array(e->value, rel + Slash(Sv(e->name))));
        push(Kw::kDependentRequired);
      } else if (voc.validation && k == "minContains" && modern) {
        n.min_contains = NonNegative(n, "minContains", c);
      } else if (voc.validation && k == "maxContains" && modern) {
        n.max_contains = NonNegative(n, "maxContains", c);
      } else if (voc.applicator && k == "dependencies" && old) {
        if (!c.IsObject()) Fail(n.res, ptr + rel, "dependencies must be an object");
        for (auto e = c.MemberBegin(); e != c.MemberEnd(); ++e) {
          std::string sub = rel + Slash(Sv(e->name));
          if (e->value.IsArray()) {
            n.dependent_required.emplace_back(std::string(Sv(e->name)), string_array(e->value, sub));
            push(Kw::kDependentRequired);
          } else {
            n.dependent_schemas.emplace_back(std::string(Sv(e->name)), schema_at(e->value, sub));
            push(Kw::kDependentSchemas);
          }
        }
      } else if (voc.applicator && k == "dependentSchemas" && modern) {
        if (!c.IsObject()) Fail(n.res, ptr + rel, "dependentSchemas must be an object");
        for (auto e = c.MemberBegin(); e != c.MemberEnd(); ++e)
          n.dependent_schemas.emplace_back(std::string(Sv(e->name)),
                                           schema_at(e->value, rel + Slash(Sv(e->name))));
        push(Kw::kDependentSchemas);
      } else if (voc.applicator && k == "prefixItems" && d == Draft::k2020_12) {
        n.prefix_items = schema_array(c, "prefixItems");
        push(Kw::kItems);
      } else if (voc.applicator && k == "items") {
        if (c.IsArray() && d != Draft::k2020_12) {
          n.prefix_items.clear();
          for (rapidjson::SizeType i = 0; i < c.Size(); ++i)
            n.prefix_items.push_back(schema_at(c[i], "/items/" + std::to_string(i)));
          items_array = true;
        } else {
          n.items = schema_at(c, rel);
        }
        push(Kw::kItems);
      } else if (voc.applicator && k == "additionalItems" && d != Draft::k2020_12) {
        n.additional_items = schema_at(c, rel);
        push(Kw::kItems);
      } else if (voc.applicator && k == "contains" && d != Draft::k04) {
        n.contains = schema_at(c, rel);
        push(Kw::kContains);
      } else if (voc.applicator && k == "properties") {
        if (!c.IsObject()) Fail(n.res, ptr + rel, "properties must be an object");
        for (auto e = c.MemberBegin(); e != c.MemberEnd(); ++e) {
          std::string name(Sv(e->name));
          n.property_index[name] = n.properties.size();
          n.properties.emplace_back(name, schema_at(e->value, rel + Slash(name)));
        }
        push(Kw::kProperties);
      } else if (voc.applicator && k == "patternProperties") {
        if (!c.IsObject()) Fail(n.res, ptr + rel, "patternProperties must be an object");
        for (auto e = c.MemberBegin(); e != c.MemberEnd(); ++e) {
          std::string sub = rel + Slash(Sv(e->name));
          n.pattern_properties.push_back({regex(Sv(e->name), sub), schema_at(e->value, sub)});
        }
        push(Kw::kProperties);
      } else if (voc.applicator && k == "additionalProperties") {
        n.additional_properties = schema_at(c, rel);
        push(Kw::kProperties);
      } else if (voc.applicator && k == "propertyNames" && d != Draft::k04) {
        n.property_names = schema_at(c, rel);
        push(Kw::kPropertyNames);
      } else if (voc.applicator && k == "allOf") {
        n.all_of = schema_array(c, "allOf");
        push(Kw::kAllOf);
      } else if (voc.applicator && k == "anyOf") {
        n.any_of = schema_array(c, "anyOf");
        push(Kw::kAnyOf);
      } else if (voc.applicator && k == "oneOf") {
        n.one_of = schema_array(c, "oneOf");
        push(Kw::kOneOf);
      } else if (voc.applicator && k == "not") {
        n.not_ = schema_at(c, rel);
        push(Kw::kNot);
      } else if (voc.applicator && k == "if" && d != Draft::k04 && d != Draft::k06) {
        n.if_ = schema_at(c, rel);
        push(Kw::kIf);
      } else if (voc.applicator && k == "then" && d != Draft::k04 && d != Draft::k06) {
        n.then_ = schema_at(c, rel);
      } else if (voc.applicator && k == "else" && d != Draft::k04 && d != Draft::k06) {
        n.else_ = schema_at(c, rel);
      } else if (voc.unevaluated && modern && k == "unevaluatedItems") {
        n.unevaluated_items = schema_at(c, rel);
      } else if (voc.unevaluated && modern && k == "unevaluatedProperties") {
        n.unevaluated_properties = schema_at(c, rel);
      } else if (k == "contentSchema" && modern && IsSchemaValue(c)) {
        schema_at(c, rel);  // compiled so that references into it resolve; annotation only
      } else if ((k == "definitions" || (modern && k == "$defs")) && c.IsObject()) {
        for (auto e = c.MemberBegin(); e != c.MemberEnd(); ++e)
          if (!IsSchemaValue(e->value))
            Fail(n.res, ptr + rel + Slash(Sv(e->name)), "must be a schema (an object or a boolean)");
      }
    }
    if (!items_array) n.additional_items.reset();  // additionalItems only applies after array-form items
    if (n.unevaluated_items) n.order.push_back(Kw::kUnevaluatedItems);
    if (n.unevaluated_properties) n.order.push_back(Kw::kUnevaluatedProperties);
    n.needs_annotations = n.unevaluated_items || n.unevaluated_properties;
  }

  const Registry::Impl& registry_;
  const Options& options_;
  Schema::Impl& impl_;
  std::string root_source_;
  std::unordered_map<const Value*, Loc> locs_;
  std::unordered_map<const Value*, Node*> node_of_;
  std::map<std::string, Resource*> by_uri_;
  std::set<std::string> indexed_uris_;
  bool indexed_all_ = false;
  std::vector<PendingRef> pending_;
  std::set<const Resource*> used_resources_;
  std::vector<Resource*> queue_resources_;
};

}  // namespace

std::shared_ptr<const Schema::Impl> CompileSchema(const rapidjson::Value& root, const std::string& base_uri,
                                                  const Registry& registry, const Options& options) {
  auto impl = std::make_shared<Schema::Impl>();
  impl->options = options;
  Compiler c(registry, options, *impl);
  c.Run(root, base_uri);
  return impl;
}

}  // namespace capstan::jsonschema
