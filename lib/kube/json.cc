#include "kube/json.h"

#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "util/error.h"

namespace capstan::kube {

JsonDoc ParseJson(std::string_view text, const std::string& origin) {
  JsonDoc d;
  d.Parse<rapidjson::kParseStopWhenDoneFlag>(text.data(), text.size());
  if (d.HasParseError())
    throw Error(origin + ": the response is not JSON (" + rapidjson::GetParseError_En(d.GetParseError()) +
                " at byte " + std::to_string(d.GetErrorOffset()) + ")");
  return d;
}

std::string ToJson(const Json& v) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  return std::string(sb.GetString(), sb.GetSize());
}

const Json* Find(const Json& v, std::initializer_list<std::string_view> path) {
  const Json* cur = &v;
  for (std::string_view key : path) {
    if (!cur->IsObject()) return nullptr;
    auto it = cur->FindMember(rapidjson::Value(rapidjson::StringRef(key.data(), key.size())));
    if (it == cur->MemberEnd()) return nullptr;
    cur = &it->value;
  }
  return cur;
}

std::string GetString(const Json& v, std::initializer_list<std::string_view> path, std::string def) {
  const Json* f = Find(v, path);
  if (f == nullptr || !f->IsString()) return def;
  return std::string(f->GetString(), f->GetStringLength());
}

std::optional<int64_t> GetInt(const Json& v, std::initializer_list<std::string_view> path) {
  const Json* f = Find(v, path);
  if (f == nullptr || !f->IsInt64()) return std::nullopt;
  return f->GetInt64();
}

int64_t GetIntOr(const Json& v, std::initializer_list<std::string_view> path, int64_t def) {
  return GetInt(v, path).value_or(def);
}

std::optional<bool> GetBool(const Json& v, std::initializer_list<std::string_view> path) {
  const Json* f = Find(v, path);
  if (f == nullptr || !f->IsBool()) return std::nullopt;
  return f->GetBool();
}

void SetString(Json& obj, std::string_view key, std::string_view value, rapidjson::Document::AllocatorType& a) {
  rapidjson::Value k(key.data(), static_cast<rapidjson::SizeType>(key.size()), a);
  rapidjson::Value val(value.data(), static_cast<rapidjson::SizeType>(value.size()), a);
  auto it = obj.FindMember(k);
  if (it != obj.MemberEnd())
    it->value = std::move(val);
  else
    obj.AddMember(k, val, a);
}

}  // namespace capstan::kube
