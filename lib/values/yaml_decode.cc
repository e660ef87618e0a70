#include "values/yaml_decode.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

#include "goyaml/compose.h"
#include "goyaml/resolve.h"
#include "values/go_format.h"
#include "values/go_utf8.h"

namespace capstan::values {
namespace {

using goyaml::Node;
using goyaml::Resolved;
using goyaml::YamlError;

// A Go interface{} value as go-yaml v2 decodes it: nil, bool, int, uint64, float64, string,
// map[interface{}]interface{} (entries in the order first set), []interface{}.
struct GoAny {
  enum Type { kNil, kBool, kInt, kUint, kFloat, kString, kMap, kSlice };
  Type t = kNil;
  bool b = false;
  int64_t i = 0;
  uint64_t u = 0;
  double f = 0;
  std::string s;
  std::shared_ptr<std::vector<std::pair<GoAny, GoAny>>> map;
  std::shared_ptr<std::vector<GoAny>> slice;
  std::shared_ptr<std::unordered_map<std::string, size_t>> index;  // large maps: KeyId -> entry
  int line = 0, column = 0;  // 1-based, of the node

  // Go's == on interface{} map keys (only scalars get here) as a string; empty for NaN, which equals nothing.
  std::string KeyId() const {
    switch (t) {
      case kNil: return "n";
      case kBool: return b ? "bt" : "bf";
      case kInt: return "i" + std::to_string(i);
      case kUint: return "u" + std::to_string(u);
      case kFloat: {
        if (std::isnan(f)) return "";
        char buf[40];
        std::snprintf(buf, sizeof buf, "f%a", f == 0 ? 0.0 : f);  // 0 == -0 in Go
        return buf;
      }
      case kString: return "s" + s;
      default: return "";
    }
  }
};

// fmt's %#v of a decoded value (go-yaml's "invalid map key" and sigs.k8s.io/yaml's key errors print it).
std::string GoSyntax(const GoAny& v, bool in_interface = false) {
  switch (v.t) {
    case GoAny::kNil: return in_interface ? "interface {}(nil)" : "<nil>";
    case GoAny::kBool: return v.b ? "true" : "false";
    case GoAny::kInt: return std::to_string(v.i);
    case GoAny::kUint: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v.u));
      return buf;
    }
    case GoAny::kFloat: return FormatFloatG(v.f, 64);
    case GoAny::kString: return GoQuote(v.s);
    case GoAny::kSlice: {
      std::string out = "[]interface {}{";
      for (size_t k = 0; k < v.slice->size(); ++k) out += (k ? ", " : "") + GoSyntax((*v.slice)[k], true);
      return out + "}";
    }
    case GoAny::kMap: {
      std::vector<std::pair<std::string, std::string>> items;
      for (const auto& [k, e] : *v.map) items.emplace_back(GoSyntax(k, true), GoSyntax(e, true));
      std::sort(items.begin(), items.end());
      std::string out = "map[interface {}]interface {}{";
      for (size_t k = 0; k < items.size(); ++k) out += (k ? ", " : "") + items[k].first + ":" + items[k].second;
      return out + "}";
    }
  }
  return "";
}

const char* GoTypeName(const GoAny& v) {
  switch (v.t) {
    case GoAny::kNil: return "%!s(<nil>)";
    case GoAny::kBool: return "bool";
    case GoAny::kInt: return "int";
    case GoAny::kUint: return "uint64";
    case GoAny::kFloat: return "float64";
    case GoAny::kString: return "string";
    case GoAny::kMap: return "map[interface {}]interface {}";
    case GoAny::kSlice: return "[]interface {}";
  }
  return "";
}

// go-yaml v2's decoder (decode.go) for an interface{} target.
class Decoder {
 public:
  void Unmarshal(const Node* n, GoAny* out) {
    ++decode_count_;
    if (alias_depth_ > 0) ++alias_count_;
    if (alias_count_ > 100 && decode_count_ > 1000 &&
        static_cast<double>(alias_count_) / static_cast<double>(decode_count_) > AllowedAliasRatio(decode_count_))
      throw YamlError("yaml: document contains excessive aliasing");
    switch (n->kind) {
      case goyaml::documentNode:
        if (n->children.size() == 1) Unmarshal(n->children[0], out);
        return;
      case goyaml::aliasNode: return Alias(n, out);
      case goyaml::scalarNode: return Scalar(n, out);
      case goyaml::mappingNode: return Mapping(n, out);
      case goyaml::sequenceNode: return Sequence(n, out);
      default: throw YamlError("yaml: internal error: unknown node kind");
    }
  }

 private:
  static double AllowedAliasRatio(long count) {
    constexpr long kLow = 400000, kHigh = 4000000;
    if (count <= kLow) return 0.99;
    if (count >= kHigh) return 0.10;
    return 0.99 - 0.89 * (static_cast<double>(count - kLow) / static_cast<double>(kHigh - kLow));
  }

  void Alias(const Node* n, GoAny* out) {
    if (active_aliases_.count(n)) throw YamlError("yaml: anchor '" + n->value + "' value contains itself");
    active_aliases_[n] = true;
    ++alias_depth_;
    Unmarshal(n->alias, out);
    --alias_depth_;
    active_aliases_.erase(n);
  }

  static void Place(const Node* n, GoAny* out) {
    out->line = n->line + 1;
    out->column = n->column + 1;
  }

  void Scalar(const Node* n, GoAny* out) {
    Resolved r = goyaml::ResolveNodeScalar(n->tag, n->value, n->implicit);
    GoAny v;
    Place(n, &v);
    switch (r.type) {
      case Resolved::kNil: v.t = GoAny::kNil; break;
      case Resolved::kBool: v.t = GoAny::kBool, v.b = r.b; break;
      case Resolved::kInt: v.t = GoAny::kInt, v.i = r.i; break;
      case Resolved::kUint: v.t = GoAny::kUint, v.u = r.u; break;
      case Resolved::kFloat: v.t = GoAny::kFloat, v.f = r.f; break;
      case Resolved::kString: v.t = GoAny::kString, v.s = std::move(r.s); break;
    }
    *out = std::move(v);
  }

  void Sequence(const Node* n, GoAny* out) {
    GoAny v;
    Place(n, &v);
    v.t = GoAny::kSlice;
    v.slice = std::make_shared<std::vector<GoAny>>();
    v.slice->reserve(n->children.size());
    for (const Node* c : n->children) {
      GoAny e;
      Unmarshal(c, &e);
      v.slice->push_back(std::move(e));
    }
    *out = std::move(v);
  }

  static bool IsMerge(const Node* n) {
    return n->kind == goyaml::scalarNode && n->value == "<<" && (n->implicit || n->tag == "tag:yaml.org,2002:merge");
  }

  // d.mapping: into a new map when out is not a map yet, else into out (a merge writes into the map being built).
  void Mapping(const Node* n, GoAny* out) {
    if (out->t != GoAny::kMap) {
      GoAny v;
      Place(n, &v);
      v.t = GoAny::kMap;
      v.map = std::make_shared<std::vector<std::pair<GoAny, GoAny>>>();
      *out = std::move(v);
    }
    for (size_t k = 0; k + 1 < n->children.size(); k += 2) {
      if (IsMerge(n->children[k])) {
        Merge(n->children[k + 1], out);
        continue;
      }
      GoAny key;
      Unmarshal(n->children[k], &key);
      if (key.t == GoAny::kMap || key.t == GoAny::kSlice)
        throw YamlError("yaml: invalid map key: " + GoSyntax(key), n->children[k]->line, n->children[k]->column);
      GoAny value;
      Unmarshal(n->children[k + 1], &value);
      // The origin of a map entry is where its key is written.
      value.line = key.line, value.column = key.column;
      Set(out, std::move(key), std::move(value));
    }
  }

  // Go's map assignment: an equal key (same type, same value) is replaced. Small maps are searched, larger ones
  // get an index on first need.
  static void Set(GoAny* map, GoAny key, GoAny value) {
    auto& entries = *map->map;
    std::string id = key.KeyId();
    if (!id.empty()) {
      if (!map->index && entries.size() >= 16) {
        map->index = std::make_shared<std::unordered_map<std::string, size_t>>();
        for (size_t i = 0; i < entries.size(); ++i) {
          std::string eid = entries[i].first.KeyId();
          if (!eid.empty()) (*map->index)[eid] = i;
        }
      }
      if (map->index) {
        auto [it, inserted] = map->index->emplace(std::move(id), entries.size());
        if (!inserted) {
          entries[it->second].second = std::move(value);  // duplicate keys: the last wins
          return;
        }
      } else {
        for (auto& [k, v] : entries)
          if (k.t == key.t && k.KeyId() == id) {
            v = std::move(value);
            return;
          }
      }
    }
    entries.emplace_back(std::move(key), std::move(value));
  }

  [[noreturn]] static void FailWantMap(const Node* n) {
    throw YamlError("yaml: map merge requires map or sequence of maps as the value", n->line, n->column);
  }

  void Merge(const Node* n, GoAny* out) {
    switch (n->kind) {
      case goyaml::mappingNode: return Unmarshal(n, out);
      case goyaml::aliasNode:
        if (n->alias && n->alias->kind != goyaml::mappingNode) FailWantMap(n);
        return Unmarshal(n, out);
      case goyaml::sequenceNode:
        for (size_t k = n->children.size(); k-- > 0;) {
          const Node* c = n->children[k];
          if (c->kind == goyaml::aliasNode) {
            if (c->alias && c->alias->kind != goyaml::mappingNode) FailWantMap(n);
          } else if (c->kind != goyaml::mappingNode) {
            FailWantMap(n);
          }
          Unmarshal(c, out);
        }
        return;
      default: FailWantMap(n);
    }
  }

  long decode_count_ = 0, alias_count_ = 0;
  int alias_depth_ = 0;
  std::unordered_map<const Node*, bool> active_aliases_;
};

// sigs.k8s.io/yaml's convertToJSONableObject (string keys), then what json.Marshal refuses, then the JSON decode
// into interface{} (numbers become float64).
class JsonConverter {
 public:
  explicit JsonConverter(LayerPtr layer, int line_offset) : layer_(std::move(layer)), line_offset_(line_offset) {}

  // The key conversion runs over the whole tree before json.Marshal looks at a number: its errors come first.
  void CheckKeys(const GoAny& v) {
    if (v.t == GoAny::kMap) {
      for (const auto& [k, e] : *v.map) {
        if (k.t != GoAny::kString && k.t != GoAny::kInt && k.t != GoAny::kFloat && k.t != GoAny::kBool)
          KeyString(k, e);  // throws sigs.k8s.io/yaml's error
        CheckKeys(e);
      }
    } else if (v.t == GoAny::kSlice) {
      for (const auto& e : *v.slice) CheckKeys(e);
    }
  }

  // json.Marshal walks maps in key order and fails on the first NaN or infinity.
  void CheckNumbers(const GoAny& v) {
    if (!HasNonFinite(v)) return;
    if (v.t == GoAny::kFloat)
      throw YamlDecodeError{"json: unsupported value: " + FormatFloatG(v.f, 64), Line(v), v.column};
    if (v.t == GoAny::kSlice)
      for (const auto& e : *v.slice) CheckNumbers(e);
    if (v.t == GoAny::kMap) {
      std::vector<std::pair<std::string, const GoAny*>> sorted;
      for (const auto& [k, e] : *v.map) sorted.emplace_back(KeyString(k, e), &e);
      std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      for (const auto& [k, e] : sorted) CheckNumbers(*e);
    }
  }

  Value ToValue(const GoAny& v) {
    Origin o{layer_, Line(v), v.column};
    switch (v.t) {
      case GoAny::kNil: return Value::Null(o);
      case GoAny::kBool: return Value::Bool(v.b, o);
      case GoAny::kInt: return Value::Float(static_cast<double>(v.i), o);
      case GoAny::kUint: return Value::Float(static_cast<double>(v.u), o);
      case GoAny::kFloat: return Value::Float(v.f, o);
      case GoAny::kString: return Value::String(GoValidUtf8(v.s), o);
      case GoAny::kSlice: {
        Value list = Value::MakeList(o);
        for (const auto& e : *v.slice) list.list().push_back(ToValue(e));
        return list;
      }
      case GoAny::kMap: {
        Value map = Value::MakeMap(o);
        for (const auto& [k, e] : *v.map) map.map()[GoValidUtf8(KeyString(k, e))] = ToValue(e);
        return map;
      }
    }
    return Value::Null(o);
  }

 private:
  static bool HasNonFinite(const GoAny& v) {
    switch (v.t) {
      case GoAny::kFloat: return !std::isfinite(v.f);
      case GoAny::kSlice:
        for (const auto& e : *v.slice)
          if (HasNonFinite(e)) return true;
        return false;
      case GoAny::kMap:
        for (const auto& [k, e] : *v.map)
          if (HasNonFinite(e)) return true;
        return false;
      default: return false;
    }
  }

  int Line(const GoAny& v) const { return v.line > 0 ? v.line + line_offset_ : 0; }

  std::string KeyString(const GoAny& k, const GoAny& value) {
    switch (k.t) {
      case GoAny::kString: return k.s;
      case GoAny::kInt: return std::to_string(k.i);
      case GoAny::kFloat: return FormatFloatKey(k.f);
      case GoAny::kBool: return k.b ? "true" : "false";
      default: break;
    }
    throw YamlDecodeError{std::string("unsupported map key of type: ") + GoTypeName(k) + ", key: " + GoSyntax(k) +
                              ", value: " + GoSyntax(value),
                          Line(k), k.column};
  }

  LayerPtr layer_;
  int line_offset_;
};

}  // namespace

Value DecodeFirstYamlDocument(std::string_view text, const LayerPtr& layer, int line_offset) {
  GoAny doc;
  try {
    goyaml::Composer composer(text);
    const Node* node = composer.Parse();
    if (node) Decoder().Unmarshal(node, &doc);
  } catch (const YamlError& e) {
    throw YamlDecodeError{e.what(), e.line() >= 0 ? e.line() + 1 + line_offset : 0,
                          e.column() >= 0 ? e.column() + 1 : 0};
  }
  JsonConverter conv(layer, line_offset);
  conv.CheckKeys(doc);
  conv.CheckNumbers(doc);
  return conv.ToValue(doc);
}

}  // namespace capstan::values
