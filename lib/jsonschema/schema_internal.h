// Internal form of a compiled JSON Schema (shared by compiler, validator and Describe). Not a public API.
#pragma once
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <rapidjson/document.h>

#include "jsonschema/regex.h"
#include "jsonschema/validator.h"

namespace capstan::jsonschema {

using DocPtr = std::shared_ptr<const rapidjson::Document>;

struct RegisteredDoc {
  DocPtr doc;
  std::string source;  // for errors: file path or URI
};

struct Registry::Impl {
  std::map<std::string, RegisteredDoc> docs;  // absolute URI without fragment -> document
};

// Vocabularies that can be switched off by a custom meta-schema's `$vocabulary`.
struct Vocab {
  bool applicator = true, validation = true, unevaluated = true, format_assertion = false;
};

// A schema resource: the root of a document or a subschema with its own `$id`.
struct Resource {
  std::string uri;  // absolute, no fragment
  std::string source;
  Draft draft = Draft::k2020_12;
  Vocab vocab;
  const rapidjson::Value* root = nullptr;
  std::map<std::string, const rapidjson::Value*> anchors;          // $anchor, $dynamicAnchor, old "#name" ids
  std::map<std::string, const rapidjson::Value*> dynamic_anchors;  // $dynamicAnchor
  bool recursive_anchor = false;                                   // root has "$recursiveAnchor": true
  // compiled targets of dynamic references (filled when the resource is used)
  std::map<std::string, const struct Node*> dynamic_anchor_nodes;
  const struct Node* root_node = nullptr;  // when recursive_anchor
};

enum TypeBit : uint8_t {
  kTNull = 1, kTBool = 2, kTObject = 4, kTArray = 8, kTNumber = 16, kTString = 32, kTInteger = 64
};

// Keywords in the order they are evaluated (schema member order; unevaluated* last).
enum class Kw : uint8_t {
  kRef, kDynamicRef, kRecursiveRef, kType, kEnum, kConst, kMultipleOf, kMaximum, kExclusiveMaximum, kMinimum,
  kExclusiveMinimum, kMaxLength, kMinLength, kPattern, kFormat, kMaxItems, kMinItems, kUniqueItems, kItems,
  kContains, kMaxProperties, kMinProperties, kRequired, kProperties, kDependentRequired, kDependentSchemas,
  kPropertyNames, kAllOf, kAnyOf, kOneOf, kNot, kIf, kUnevaluatedItems, kUnevaluatedProperties
};

struct Node;

struct Edge {  // a child schema and the keyword path that leads to it (for keyword_location)
  Node* node = nullptr;
  std::string path;  // e.g. "/properties/image" or "/allOf/0"
};

struct PatternEdge {
  std::shared_ptr<Regex> regex;
  Edge edge;
};

struct Node {
  const Resource* res = nullptr;
  std::string pointer;  // JSON pointer of this schema inside its resource (for schema_uri)
  const rapidjson::Value* value = nullptr;
  bool is_bool = false, bool_value = true;
  std::vector<Kw> order;

  // references (resolved after the first pass)
  Edge ref, dynamic_ref, recursive_ref;
  std::string dynamic_anchor_name;  // $dynamicRef "#name" whose static target declares $dynamicAnchor name
  bool dynamic_ref_is_dynamic = false;

  uint8_t types = 0;
  const rapidjson::Value* enum_values = nullptr;
  const rapidjson::Value* const_value = nullptr;
  const rapidjson::Value* multiple_of = nullptr;
  const rapidjson::Value *maximum = nullptr, *minimum = nullptr, *exclusive_maximum = nullptr,
                         *exclusive_minimum = nullptr;
  bool maximum_exclusive = false, minimum_exclusive = false;  // draft-04 boolean forms
  std::optional<uint64_t> max_length, min_length, max_items, min_items, max_properties, min_properties;
  std::optional<uint64_t> min_contains, max_contains;
  std::shared_ptr<Regex> pattern;
  std::string format;
  bool format_assert = false;
  bool unique_items = false;

  std::vector<Edge> prefix_items;  // prefixItems, or items as an array (older drafts)
  std::optional<Edge> items;       // items applying to the rest (2020-12 items, or single-schema items)
  std::optional<Edge> additional_items;  // drafts <= 2019-09, only with array-form items
  std::optional<Edge> contains;
  std::optional<Edge> unevaluated_items;

  std::vector<std::pair<std::string, Edge>> properties;
  std::unordered_map<std::string, size_t> property_index;
  std::vector<PatternEdge> pattern_properties;
  std::optional<Edge> additional_properties;
  std::optional<Edge> unevaluated_properties;
  std::optional<Edge> property_names;
  std::vector<std::string> required;
  std::vector<std::pair<std::string, std::vector<std::string>>> dependent_required;
  std::vector<std::pair<std::string, Edge>> dependent_schemas;

  std::vector<Edge> all_of, any_of, one_of;
  std::optional<Edge> not_, if_, then_, else_;

  // annotations for Describe()
  const rapidjson::Value* description = nullptr;
  const rapidjson::Value* title = nullptr;
  const rapidjson::Value* default_value = nullptr;
  bool deprecated = false;

  bool needs_annotations = false;  // has unevaluatedProperties/Items: collects evaluated locations
};

struct Schema::Impl {
  std::vector<DocPtr> docs;                  // keeps every referenced document alive
  std::deque<Resource> resources;
  std::deque<Node> nodes;
  Node* root = nullptr;
  Draft draft = Draft::k2020_12;
  Options options;
};

// Compiles a schema; the implementation is in compiler.cc.
std::shared_ptr<const Schema::Impl> CompileSchema(const rapidjson::Value& root, const std::string& base_uri,
                                                  const Registry& registry, const Options& options);
// The draft of a standard meta-schema URI (trailing '#' and http/https tolerated); nullopt if not standard.
std::optional<Draft> KnownDraftOf(std::string uri);
// The built-in meta-schema documents, by URI (parsed once per process).
const std::map<std::string, RegisteredDoc>& BuiltinDocuments();

}  // namespace capstan::jsonschema
