// Compiles a JSON Schema document into the internal Node graph (schema_internal.h): indexes schema resources
// (`$id`, `$anchor`, `$dynamicAnchor`, `$recursiveAnchor`), reads each resource's dialect (`$schema`,
// `$vocabulary`), resolves `$ref`s to nodes without recursion through reference chains, and drives the keyword
// parser (compile_keywords.cc) over every reachable schema object.
#include <stdexcept>

#include "jsonschema/compiler.h"
#include "jsonschema/uri.h"

namespace capstan::jsonschema {
namespace {

constexpr const char* kDefaultBase = "urn:capstan:schema";

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

namespace compiling {

const Value* Member(const Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

std::string Slash(std::string_view token) {
  std::string s;
  s.reserve(token.size() + 1);
  s.push_back('/');
  s.append(EscapePointerToken(token));
  return s;
}

namespace {

// "the latest draft" URI that some generators (e.g. Kubernetes schema exports) write.
bool IsLatestAlias(std::string uri) {
  while (!uri.empty() && uri.back() == '#') uri.pop_back();
  return uri == "http://json-schema.org/schema" || uri == "https://json-schema.org/schema";
}

}  // namespace

void Compiler::Run(const Value& root, const std::string& base_uri) {
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

Resource* Compiler::NewResource(const std::string& uri, const std::string& source, Draft draft, Vocab vocab,
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

void Compiler::DialectOf(const Value& v, Draft inherited, Vocab inherited_vocab, const std::string& source,
                         const std::string& pointer, Draft& draft, Vocab& vocab, int hops) {
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

const RegisteredDoc* Compiler::FindRegistered(const std::string& uri) {
  auto it = registry_.docs.find(uri);
  if (it != registry_.docs.end()) return &it->second;
  const auto& builtin = BuiltinDocuments();
  auto b = builtin.find(uri);
  if (b != builtin.end()) return &b->second;
  return nullptr;
}

Resource* Compiler::IndexDocument(const rapidjson::Document& doc, const std::string& uri, const std::string& source,
                                  Draft default_draft) {
  Draft draft;
  Vocab vocab;
  DialectOf(doc, default_draft, Vocab{}, source, "", draft, vocab);
  Resource* res = NewResource(uri, source, draft, vocab, &doc);
  indexed_uris_.insert(uri);
  Walk(doc, res, "", 0, true);
  return res;
}

void Compiler::Walk(const Value& v, Resource* res, const std::string& pointer, int depth, bool is_resource_root) {
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

Resource* Compiler::FindResource(const std::string& abs, Draft dflt) {
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

const Value* Compiler::Resolve(const std::string& uri, const Resource* from, const std::string& from_pointer,
                               Resource** out_res, std::string* out_pointer) {
  auto [abs, frag] = SplitFragment(uri);
  Resource* res = FindResource(abs, from ? from->draft : options_.default_draft);
  if (!res && options_.permissive_urn_refs && abs.rfind("urn:", 0) == 0 && from) {
    static const Value kTrue(true);
    impl_.warnings.push_back((from->source.empty() ? from->uri : from->source) + ": " +
                             (from_pointer.empty() ? std::string("(root)") : from_pointer) +
                             ": reference '" + uri + "' is not available locally; it accepts any value");
    if (!locs_.count(&kTrue)) locs_[&kTrue] = {const_cast<Resource*>(from), from_pointer};
    *out_res = locs_[&kTrue].res;
    *out_pointer = locs_[&kTrue].pointer;
    return &kTrue;
  }
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

Node* Compiler::GetNode(const Value& v) {
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

void Compiler::Drain() {
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

}  // namespace compiling

std::shared_ptr<const Schema::Impl> CompileSchema(const rapidjson::Value& root, const std::string& base_uri,
                                                  const Registry& registry, const Options& options) {
  auto impl = std::make_shared<Schema::Impl>();
  impl->options = options;
  compiling::Compiler c(registry, options, *impl);
  c.Run(root, base_uri);
  return impl;
}

}  // namespace capstan::jsonschema
