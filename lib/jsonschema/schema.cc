// Schema::Compile (with the meta-schema check), Registry, SchemaError and the built-in meta-schemas.
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <mutex>

#include <rapidjson/error/en.h>

#include "jsonschema/metaschemas.h"
#include "jsonschema/schema_internal.h"
#include "jsonschema/uri.h"
#include "util/file_io.h"

namespace capstan::jsonschema {
namespace {

std::string StripHash(std::string uri) {
  while (!uri.empty() && uri.back() == '#') uri.pop_back();
  return uri;
}

DocPtr ParseDoc(std::string_view text, const std::string& source) {
  auto doc = std::make_shared<rapidjson::Document>();
  doc->Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseFullPrecisionFlag>(text.data(), text.size());
  if (doc->HasParseError())
    throw SchemaError(source, "",
                      std::string("not valid JSON: ") + rapidjson::GetParseError_En(doc->GetParseError()) +
                          " at byte " + std::to_string(doc->GetErrorOffset()));
  return doc;
}

}  // namespace

SchemaError::SchemaError(std::string source, std::string pointer, std::string reason)
    : Error(source + ": " + (pointer.empty() ? std::string("(root)") : pointer) + ": " + reason),
      source_(std::move(source)),
      pointer_(std::move(pointer)),
      reason_(std::move(reason)) {}

const char* DraftName(Draft d) {
  switch (d) {
    case Draft::k04: return "draft-04";
    case Draft::k06: return "draft-06";
    case Draft::k07: return "draft-07";
    case Draft::k2019_09: return "2019-09";
    case Draft::k2020_12: return "2020-12";
  }
  return "?";
}

const char* DraftMetaSchemaUri(Draft d) {
  switch (d) {
    case Draft::k04: return "http://json-schema.org/draft-04/schema";
    case Draft::k06: return "http://json-schema.org/draft-06/schema";
    case Draft::k07: return "http://json-schema.org/draft-07/schema";
    case Draft::k2019_09: return "https://json-schema.org/draft/2019-09/schema";
    case Draft::k2020_12: return "https://json-schema.org/draft/2020-12/schema";
  }
  return "";
}

const std::map<std::string, RegisteredDoc>& BuiltinDocuments() {
  static const std::map<std::string, RegisteredDoc> docs = [] {
    std::map<std::string, RegisteredDoc> out;
    for (const EmbeddedFile& f : EmbeddedMetaSchemas()) {
      std::string source = std::string("built-in meta-schema ") + f.name;
      DocPtr doc = ParseDoc(std::string_view(f.data, f.size), source);
      if (std::string_view(f.name) == "vocabularies.json") {
        for (auto m = doc->MemberBegin(); m != doc->MemberEnd(); ++m) {
          auto one = std::make_shared<rapidjson::Document>();
          one->CopyFrom(m->value, one->GetAllocator());
          std::string uri = StripHash(m->name.GetString());
          out[uri] = {one, std::string("built-in meta-schema ") + uri};
        }
        continue;
      }
      const rapidjson::Value* id = nullptr;
      if (auto it = doc->FindMember("$id"); it != doc->MemberEnd()) id = &it->value;
      else if (auto it2 = doc->FindMember("id"); it2 != doc->MemberEnd()) id = &it2->value;
      if (id && id->IsString()) out[StripHash(id->GetString())] = {doc, source};
    }
    return out;
  }();
  return docs;
}

// ---- Registry -----------------------------------------------------------------------------------------------
Registry::Registry() : impl_(std::make_shared<Impl>()) {}
Registry::~Registry() = default;
Registry::Registry(const Registry&) = default;
Registry& Registry::operator=(const Registry&) = default;
Registry::Registry(Registry&&) noexcept = default;
Registry& Registry::operator=(Registry&&) noexcept = default;

void Registry::Add(const std::string& uri, const rapidjson::Value& doc, const std::string& source) {
  auto copy = std::make_shared<rapidjson::Document>();
  copy->CopyFrom(doc, copy->GetAllocator());
  if (impl_.use_count() > 1) impl_ = std::make_shared<Impl>(*impl_);
  std::string key = SplitFragment(uri).first;
  impl_->docs[key] = {copy, source.empty() ? key : source};
}

void Registry::Add(const std::string& uri, rapidjson::Document&& doc, const std::string& source) {
  auto owned = std::make_shared<rapidjson::Document>();
  owned->Swap(doc);
  if (impl_.use_count() > 1) impl_ = std::make_shared<Impl>(*impl_);
  std::string key = SplitFragment(uri).first;
  impl_->docs[key] = {owned, source.empty() ? key : source};
}

void Registry::AddFile(const std::string& path, const std::string& uri) {
  std::string text = ReadFile(path);
  DocPtr doc = ParseDoc(text, path);
  std::string key = uri;
  if (key.empty()) {
    std::string abs = path;
    if (abs.empty() || abs[0] != '/') {
      char cwd[PATH_MAX];
      if (getcwd(cwd, sizeof cwd)) abs = std::string(cwd) + "/" + path;
    }
    key = "file://" + abs;
  }
  key = SplitFragment(key).first;
  if (impl_.use_count() > 1) impl_ = std::make_shared<Impl>(*impl_);
  impl_->docs[key] = {doc, path};
}

bool Registry::Contains(const std::string& uri) const {
  std::string key = SplitFragment(uri).first;
  return impl_->docs.count(key) || BuiltinDocuments().count(key);
}

// ---- Schema -------------------------------------------------------------------------------------------------
namespace {

std::shared_ptr<const Schema::Impl> MetaSchema(Draft d) {
  static std::mutex mu;
  static std::map<Draft, std::shared_ptr<const Schema::Impl>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(d);
  if (it != cache.end()) return it->second;
  const auto& builtin = BuiltinDocuments();
  auto doc = builtin.find(DraftMetaSchemaUri(d));
  if (doc == builtin.end()) throw Error(std::string("jsonschema: built-in meta-schema missing for ") + DraftName(d));
  Options o;
  o.default_draft = d;
  o.check_meta_schema = false;
  auto impl = CompileSchema(*doc->second.doc, DraftMetaSchemaUri(d), Registry(), o);
  cache[d] = impl;
  return impl;
}

}  // namespace

Schema Schema::Compile(const rapidjson::Value& root, const std::string& base_uri, const Registry& registry,
                       const Options& options) {
  Schema s;
  std::optional<Draft> draft = options.default_draft;
  if (root.IsObject()) {
    auto it = root.FindMember("$schema");
    if (it != root.MemberEnd()) draft = it->value.IsString() ? KnownDraftOf(it->value.GetString()) : std::nullopt;
  }
  // With a known draft, check the meta-schema first: its messages are clearer than the compiler's.
  if (!draft) s.impl_ = CompileSchema(root, base_uri, registry, options);
  if (options.check_meta_schema) {
    Draft d = draft ? *draft : s.impl_->draft;
    Schema meta;
    meta.impl_ = MetaSchema(d);
    auto errors = meta.Validate(root);
    if (!errors.empty()) {
      const ValidationError& e = errors.front();
      std::string more = errors.size() > 1 ? " (and " + std::to_string(errors.size() - 1) + " more)" : "";
      throw SchemaError(base_uri.empty() ? "schema" : base_uri, e.instance_location,
                        "does not conform to the JSON Schema " + std::string(DraftName(d)) +
                            " meta-schema: " + e.message + " [" + e.keyword + "]" + more);
    }
  }
  if (!s.impl_) s.impl_ = CompileSchema(root, base_uri, registry, options);
  return s;
}

Draft Schema::draft() const { return impl_->draft; }

}  // namespace capstan::jsonschema
