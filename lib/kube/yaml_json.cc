#include "kube/yaml_json.h"

#include "util/error.h"
#include "yaml/tree.h"
#include "yaml/yaml11.h"

namespace capstan::kube {
namespace {

// Converts a yaml::Node into a RapidJSON value with YAML 1.1 scalar types (as Kubernetes reads YAML). Aliases are
// followed; depth and total size are bounded so alias cycles and "billion laughs" cannot run away.
class Converter {
 public:
  Converter(rapidjson::Document::AllocatorType& a, const std::string& origin) : a_(a), origin_(origin) {}

  rapidjson::Value Convert(const yaml::Node& in, size_t depth) {
    if (depth > kMaxDepth) throw UsageError(origin_ + ": nesting deeper than " + std::to_string(kMaxDepth) + " (alias cycle?)");
    if (++nodes_ > kMaxNodes) throw UsageError(origin_ + ": more than " + std::to_string(kMaxNodes) + " values after expanding aliases");
    yaml::Node n = in.Resolved();
    if (!n.valid()) return rapidjson::Value();
    if (n.IsMapping()) {
      rapidjson::Value obj(rapidjson::kObjectType);
      for (const auto& e : n.Entries()) {
        yaml::Node key = e.key.Resolved();
        if (!key.valid() || !key.IsScalar())
          throw UsageError(Where(e.key) + "a mapping key must be a scalar");
        std::string_view k = key.scalar();
        rapidjson::Value name(k.data(), static_cast<rapidjson::SizeType>(k.size()), a_);
        rapidjson::Value value = Convert(e.value, depth + 1);
        auto it = obj.FindMember(name);
        if (it != obj.MemberEnd())
          it->value = std::move(value);
        else
          obj.AddMember(name, value, a_);
      }
      return obj;
    }
    if (n.IsSequence()) {
      rapidjson::Value arr(rapidjson::kArrayType);
      for (const auto& item : n.Items()) arr.PushBack(Convert(item, depth + 1), a_);
      return arr;
    }
    yaml::ResolvedScalar r = yaml::Resolve(n);
    switch (r.type) {
      case yaml::ScalarType::kNull:
        return rapidjson::Value();
      case yaml::ScalarType::kBool:
        return rapidjson::Value(r.boolean);
      case yaml::ScalarType::kInt:
        return r.is_unsigned ? rapidjson::Value(static_cast<uint64_t>(r.uinteger))
                             : rapidjson::Value(static_cast<int64_t>(r.integer));
      case yaml::ScalarType::kFloat:
        return rapidjson::Value(r.number);
      case yaml::ScalarType::kString:
        break;
    }
    std::string_view s = n.scalar();
    return rapidjson::Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), a_);
  }

 private:
  std::string Where(const yaml::Node& n) const {
    if (!n.valid() || !n.has_position()) return origin_ + ": ";
    return origin_ + ":" + std::to_string(n.start().line + 1) + ":" + std::to_string(n.start().column + 1) + ": ";
  }
  static constexpr size_t kMaxDepth = 200;
  static constexpr size_t kMaxNodes = 1000000;
  rapidjson::Document::AllocatorType& a_;
  const std::string& origin_;
  size_t nodes_ = 0;
};

}  // namespace

JsonDoc YamlToJson(std::string_view text, const std::string& origin) {
  yaml::ParseOptions po;
  po.max_depth = 200;
  yaml::Tree tree = [&] {
    try {
      return yaml::Tree::Parse(text, po);
    } catch (const yaml::ParseError& e) {
      throw UsageError(origin + ":" + std::to_string(e.line() + 1) + ":" + std::to_string(e.column() + 1) + ": " +
                       e.reason() + " (fix the YAML syntax)");
    }
  }();
  JsonDoc d;
  if (!tree.root().valid()) {
    d.SetObject();
    return d;
  }
  Converter c(d.GetAllocator(), origin);
  rapidjson::Value v = c.Convert(tree.root(), 0);
  static_cast<rapidjson::Value&>(d) = std::move(v);
  return d;
}

}  // namespace capstan::kube
