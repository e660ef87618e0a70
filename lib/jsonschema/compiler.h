// The JSON Schema compiler's internals (see schema_internal.h; not a public API): the Compiler indexes schema
// resources (`$id`, `$anchor`, `$dynamicAnchor`, `$recursiveAnchor`) and resolves `$ref`s (compiler.cc), and parses
// every keyword of a schema object into its Node once (compile_keywords.cc), so that validation never re-reads the
// schema JSON.
#pragma once
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <rapidjson/document.h>

#include "jsonschema/schema_internal.h"

namespace capstan::jsonschema::compiling {

using rapidjson::Value;

inline constexpr int kMaxSchemaDepth = 400;

inline std::string_view Sv(const Value& v) { return {v.GetString(), v.GetStringLength()}; }
inline bool IsSchemaValue(const Value& v) { return v.IsObject() || v.IsBool(); }
const Value* Member(const Value& obj, const char* name);
// "/" + escaped token (built without operator+, which trips a GCC 12 -Wrestrict false positive).
std::string Slash(std::string_view token);

class Compiler {
 public:
  Compiler(const Registry& registry, const Options& options, Schema::Impl& impl)
      : registry_(registry.impl()), options_(options), impl_(impl) {}

  void Run(const Value& root, const std::string& base_uri);

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
                        const Value* root);

  // Reads `$schema` of a resource root: the draft and the vocabularies in use.
  void DialectOf(const Value& v, Draft inherited, Vocab inherited_vocab, const std::string& source,
                 const std::string& pointer, Draft& draft, Vocab& vocab, int hops = 0);

  const RegisteredDoc* FindRegistered(const std::string& uri);

  Resource* IndexDocument(const rapidjson::Document& doc, const std::string& uri, const std::string& source,
                          Draft default_draft);

  void Walk(const Value& v, Resource* res, const std::string& pointer, int depth, bool is_resource_root);

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
  Resource* FindResource(const std::string& abs, Draft dflt);

  // Resolves an absolute URI (with fragment) to a schema value.
  const Value* Resolve(const std::string& uri, const Resource* from, const std::string& from_pointer,
                       Resource** out_res, std::string* out_pointer);

  // ---- nodes ----------------------------------------------------------------------------------------------------
  Node* GetNode(const Value& v);

  void Drain();

  uint64_t NonNegative(const Node& n, const char* kw, const Value& v);
  static bool IsIntegralDouble(double d) { return std::isfinite(d) && std::floor(d) == d; }

  Edge Child(const Node& n, const Value& v, const std::string& rel);

  void CompileInto(Node& n, const Value& v);

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

}  // namespace capstan::jsonschema::compiling
