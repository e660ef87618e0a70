// Small helpers over RapidJSON for reading Kubernetes objects: parse with an error that names the origin, look up
// nested members by path without throwing on absent members, and write a value back to compact text.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace capstan::kube {

using Json = rapidjson::Value;
using JsonDoc = rapidjson::Document;

// Parses JSON text; throws Error naming `origin` (a URL or file) and the byte offset when the text is not JSON.
JsonDoc ParseJson(std::string_view text, const std::string& origin);
// Compact JSON text of a value.
std::string ToJson(const Json& v);

// Member lookup along a path of object keys; nullptr when any step is absent or not an object.
const Json* Find(const Json& v, std::initializer_list<std::string_view> path);
// Typed lookups with defaults (a member of the wrong type counts as absent).
std::string GetString(const Json& v, std::initializer_list<std::string_view> path, std::string def = "");
std::optional<int64_t> GetInt(const Json& v, std::initializer_list<std::string_view> path);
int64_t GetIntOr(const Json& v, std::initializer_list<std::string_view> path, int64_t def);
std::optional<bool> GetBool(const Json& v, std::initializer_list<std::string_view> path);

// Sets obj[key] = string value (replacing any existing member).
void SetString(Json& obj, std::string_view key, std::string_view value, rapidjson::Document::AllocatorType& a);

}  // namespace capstan::kube
