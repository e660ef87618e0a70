// JSON Schema validation on RapidJSON's DOM: draft-04, -06, -07, 2019-09 and 2020-12, selected by `$schema`.
// A schema is compiled once (Schema::Compile) against a Registry of local resources (never the network) and then
// validates any number of instances; Validate() returns every failed assertion in a deterministic order.
// Describe() answers the questions a values linter asks about an instance path (is this key defined, is any key
// allowed here, description / deprecated / default). See docs/jsonschema.md.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "util/error.h"

namespace capstan::jsonschema {

enum class Draft { k04, k06, k07, k2019_09, k2020_12 };

// "draft-04", "draft-06", "draft-07", "2019-09", "2020-12".
const char* DraftName(Draft draft);
// The meta-schema URI of a draft, e.g. "https://json-schema.org/draft/2020-12/schema".
const char* DraftMetaSchemaUri(Draft draft);

// One failed assertion.
struct ValidationError {
  std::string instance_location;  // JSON pointer into the instance, e.g. "/image/tag" ("" is the root)
  std::string keyword_location;   // JSON pointer along the evaluation path, e.g. "/properties/image/type"
  std::string schema_uri;         // absolute URI of the schema resource + "#" + pointer to the failing keyword
  std::string keyword;            // "type", "required", "additionalProperties", ...
  std::string message;            // human-readable; says what was found and what is allowed
  // additionalProperties / unevaluatedProperties: one error per rejected key, located AT that key
  // (instance_location "/obj/key"), extra = {key, then the property names the schema defines there}.
  // required / dependentRequired: located at the object, extra = the missing names.
  std::vector<std::string> extra;
};

// The schema is invalid: not JSON Schema, fails its meta-schema, an unresolvable $ref, an unsupported regex.
// what() reads "<source>: <pointer>: <reason>"; the parts are available separately.
class SchemaError : public Error {
 public:
  SchemaError(std::string source, std::string pointer, std::string reason);
  const std::string& source() const { return source_; }    // file name or URI of the schema resource
  const std::string& pointer() const { return pointer_; }  // JSON pointer inside it ("" = the root)
  const std::string& reason() const { return reason_; }

 private:
  std::string source_, pointer_, reason_;
};

// Local schema resources, by absolute URI. The meta-schemas of every supported draft (and the 2019-09/2020-12
// vocabulary meta-schemas) are always present. Documents are copied in; the Registry may be discarded after Compile.
class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&);
  Registry& operator=(const Registry&);
  Registry(Registry&&) noexcept;
  Registry& operator=(Registry&&) noexcept;

  // Registers a document under an absolute URI (fragment ignored). Embedded `$id`s inside it are found too.
  // `source` names it in errors (e.g. the file path); defaults to the URI.
  void Add(const std::string& uri, const rapidjson::Value& doc, const std::string& source = "");
  void Add(const std::string& uri, rapidjson::Document&& doc, const std::string& source = "");
  // Parses the file as JSON and registers it under `uri` (or "file://" + absolute path when empty).
  // Throws UsageError if unreadable, SchemaError if not JSON.
  void AddFile(const std::string& path, const std::string& uri = "");
  bool Contains(const std::string& uri) const;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  std::shared_ptr<Impl> impl_;  // copy-on-write
};

struct Options {
  Draft default_draft = Draft::k2020_12;  // when the root schema has no `$schema` (Helm 4 uses 2020-12)
  bool format_assertion = false;          // `format` asserts (date-time, email, ipv4, ...) instead of annotating
  bool check_meta_schema = true;          // validate the schema against its draft's meta-schema first
};

// What a schema says about one instance location (for linters). Found by walking `properties`,
// `patternProperties`, `additionalProperties`, `items`/`prefixItems` and the in-place applicators
// (`allOf`, `anyOf`, `oneOf`, `$ref`, `$dynamicRef`, `if`/`then`/`else`, `dependentSchemas`).
struct PathInfo {
  enum class Status {
    kDefined,     // named in `properties` (or an array index covered by `items`/`prefixItems`)
    kPattern,     // matched by a `patternProperties` pattern only
    kAdditional,  // allowed by an explicit `additionalProperties` / `unevaluatedProperties` (true or a schema):
                  // a free-form map
    kUndeclared,  // not named, and no `additionalProperties`: JSON Schema allows it, but nothing declares it
                  // (a linter may call it an unknown key)
    kForbidden,   // `additionalProperties: false` (or `unevaluatedProperties: false`) rejects it; also when a
                  // step before the last is forbidden (the walk stops there)
    kUnconstrained,  // nothing at the parent declares properties (e.g. `{type: object}`, or the parent itself is
                     // not described): anything goes
  };
  Status status = Status::kUnconstrained;
  std::string description;                   // first non-empty `description` (or `title`) of the subschemas
  bool deprecated = false;                   // any subschema has `deprecated: true`
  const rapidjson::Value* default_value = nullptr;  // `default` if present; valid while the Schema lives
  std::vector<std::string> known_properties; // the property names defined beside it (for did-you-mean)
};

class Schema {
 public:
  // Compiles `root` (copied) with base URI `base_uri` (e.g. "file:///chart/values.schema.json"; may be empty, then
  // an internal URN is used). Throws SchemaError when the schema is invalid or a $ref cannot be resolved.
  static Schema Compile(const rapidjson::Value& root, const std::string& base_uri, const Registry& registry,
                        const Options& options = {});
  static Schema Compile(const rapidjson::Value& root, const std::string& base_uri, const Registry& registry,
                        Draft default_draft) {
    Options o;
    o.default_draft = default_draft;
    return Compile(root, base_uri, registry, o);
  }

  // Every failed assertion, ordered by instance location (document order), then by keyword order in the schema.
  // anyOf/oneOf failures are summarised (one error naming the closest alternative's problems).
  std::vector<ValidationError> Validate(const rapidjson::Value& instance) const;
  // Fast path: stops at the first failure.
  bool IsValid(const rapidjson::Value& instance) const;

  Draft draft() const;  // the draft of the root schema resource

  // `path` is a sequence of instance tokens (object keys, or decimal array indexes), e.g. {"image", "tag"}.
  PathInfo Describe(const std::vector<std::string>& path) const;

  struct Impl;

 private:
  std::shared_ptr<const Impl> impl_;
};

}  // namespace capstan::jsonschema
