// Evaluates compiled schemas against instances (see validator.h): error collection with instance and keyword
// locations, annotation tracking for unevaluatedProperties/unevaluatedItems, dynamic scope for $dynamicRef and
// $recursiveRef, and bounded evaluation depth.
#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "jsonschema/format.h"
#include "jsonschema/json_value.h"
#include "jsonschema/schema_internal.h"
#include "jsonschema/unicode.h"
#include "jsonschema/uri.h"

namespace capstan::jsonschema {
namespace {

using rapidjson::Value;

constexpr int kMaxEvalDepth = 300;
constexpr size_t kMaxInstanceDepth = 2000;

std::string_view Sv(const Value& v) { return {v.GetString(), v.GetStringLength()}; }

const char* KwName(Kw k) {
  switch (k) {
    case Kw::kRef: return "$ref";
    case Kw::kDynamicRef: return "$dynamicRef";
    case Kw::kRecursiveRef: return "$recursiveRef";
    case Kw::kType: return "type";
    case Kw::kEnum: return "enum";
    case Kw::kConst: return "const";
    case Kw::kMultipleOf: return "multipleOf";
    case Kw::kMaximum: return "maximum";
    case Kw::kExclusiveMaximum: return "exclusiveMaximum";
    case Kw::kMinimum: return "minimum";
    case Kw::kExclusiveMinimum: return "exclusiveMinimum";
    case Kw::kMaxLength: return "maxLength";
    case Kw::kMinLength: return "minLength";
    case Kw::kPattern: return "pattern";
    case Kw::kFormat: return "format";
    case Kw::kMaxItems: return "maxItems";
    case Kw::kMinItems: return "minItems";
    case Kw::kUniqueItems: return "uniqueItems";
    case Kw::kItems: return "items";
    case Kw::kContains: return "contains";
    case Kw::kMaxProperties: return "maxProperties";
    case Kw::kMinProperties: return "minProperties";
    case Kw::kRequired: return "required";
    case Kw::kProperties: return "properties";
    case Kw::kDependentRequired: return "dependentRequired";
    case Kw::kDependentSchemas: return "dependentSchemas";
    case Kw::kPropertyNames: return "propertyNames";
    case Kw::kAllOf: return "allOf";
    case Kw::kAnyOf: return "anyOf";
    case Kw::kOneOf: return "oneOf";
    case Kw::kNot: return "not";
    case Kw::kIf: return "if";
    case Kw::kUnevaluatedItems: return "unevaluatedItems";
    case Kw::kUnevaluatedProperties: return "unevaluatedProperties";
  }
  return "?";
}

std::string TypesText(uint8_t t) {
  static const std::pair<uint8_t, const char*> kNames[] = {{kTNull, "null"},     {kTBool, "boolean"},
                                                           {kTObject, "object"}, {kTArray, "array"},
                                                           {kTNumber, "number"}, {kTString, "string"},
                                                           {kTInteger, "integer"}};
  std::string s;
  int n = 0;
  for (auto [bit, name] : kNames) {
    if (t & bit) {
      s += (n++ ? " or " : "");
      s += name;
    }
  }
  return s;
}

std::string NumText(const Value& v) { return JsonShort(v, 40); }

std::string Quote(std::string_view s) {
  std::string out = "'";
  out.append(s.substr(0, 80));
  if (s.size() > 80) out += "...";
  return out + "'";
}

// Locations evaluated by subschemas at one instance location (annotations for unevaluated*).
struct Eval {
  std::vector<uint8_t> props, items;
  void MarkProp(size_t i, size_t n) {
    if (props.size() < n) props.resize(n, 0);
    props[i] = 1;
  }
  void MarkItem(size_t i, size_t n) {
    if (items.size() < n) items.resize(n, 0);
    items[i] = 1;
  }
  bool Prop(size_t i) const { return i < props.size() && props[i]; }
  bool Item(size_t i) const { return i < items.size() && items[i]; }
  void Merge(const Eval& o) {
    if (props.size() < o.props.size()) props.resize(o.props.size(), 0);
    for (size_t i = 0; i < o.props.size(); ++i) props[i] |= o.props[i];
    if (items.size() < o.items.size()) items.resize(o.items.size(), 0);
    for (size_t i = 0; i < o.items.size(); ++i) items[i] |= o.items[i];
  }
};

struct Collected {
  ValidationError error;
  std::vector<uint32_t> order;  // instance position (member/element ordinals) for sorting
};

struct PathTok {
  const char* s;
  size_t n;
  size_t index;
  bool is_index;
  uint32_t ordinal;
};

class Evaluator {
 public:
  Evaluator(const Schema::Impl& impl, std::vector<Collected>* sink) : impl_(impl), sink_(sink) {}

  bool Run(const Value& instance) { return V(impl_.root, instance, nullptr); }

 private:
  bool collecting() const { return sink_ != nullptr; }

  std::string InstanceLocation() const {
    std::string s;
    for (const auto& t : ipath_) {
      s += '/';
      s += t.is_index ? std::to_string(t.index) : EscapePointerToken(std::string_view(t.s, t.n));
    }
    return s;
  }

  void Report(const Node* n, const char* kw, std::string message, std::vector<std::string> extra = {},
              const PathTok* child = nullptr) {
    if (!sink_) return;
    Collected c;
    if (child) ipath_.push_back(*child);
    c.error.instance_location = InstanceLocation();
    for (const auto& t : ipath_) c.order.push_back(t.ordinal);
    if (child) ipath_.pop_back();
    std::string kl;
    for (const std::string* p : kpath_) kl += *p;
    c.error.keyword_location = kl + (n->is_bool ? "" : "/" + std::string(kw));
    c.error.schema_uri = n->res->uri + "#" + FragmentEncode(n->pointer + (n->is_bool ? "" : "/" + std::string(kw)));
    c.error.keyword = kw;
    c.error.message = std::move(message);
    c.error.extra = std::move(extra);
    sink_->push_back(std::move(c));
  }

  // Evaluates `edge` against the same instance location.
  bool InPlace(const Edge& e, const Value& x, Eval* ev) {
    kpath_.push_back(&e.path);
    bool ok = V(e.node, x, ev);
    kpath_.pop_back();
    return ok;
  }
  // Evaluates `edge` against a child instance location.
  bool Child(const Edge& e, const Value& x, const PathTok& tok) {
    kpath_.push_back(&e.path);
    ipath_.push_back(tok);
    bool ok = V(e.node, x, nullptr);
    ipath_.pop_back();
    kpath_.pop_back();
    return ok;
  }
  // Evaluates without reporting (contains, not, if, anyOf/oneOf branches collect into `into` when given).
  bool Quiet(const Edge& e, const Value& x, Eval* ev, std::vector<Collected>* into = nullptr) {
    std::vector<Collected>* saved = sink_;
    sink_ = into;
    bool ok = InPlace(e, x, ev);
    sink_ = saved;
    return ok;
  }
  bool QuietChild(const Edge& e, const Value& x, const PathTok& tok) {
    std::vector<Collected>* saved = sink_;
    sink_ = nullptr;
    bool ok = Child(e, x, tok);
    sink_ = saved;
    return ok;
  }

  static PathTok Key(const Value& obj, size_t i) {
    const Value& name = (obj.MemberBegin() + static_cast<long>(i))->name;
    return {name.GetString(), name.GetStringLength(), 0, false, static_cast<uint32_t>(i)};
  }
  static PathTok Index(size_t i) { return {nullptr, 0, i, true, static_cast<uint32_t>(i)}; }

  bool V(const Node* n, const Value& x, Eval* ev) {
    if (n->is_bool) {
      if (n->bool_value) return true;
      Report(n, "false", "no value is allowed here (the schema is false)");
      return false;
    }
    if (depth_ >= kMaxEvalDepth) {
      Report(n, "$ref",
             "schema evaluation nested deeper than " + std::to_string(kMaxEvalDepth) + " levels (cyclic $ref?)");
      return false;
    }
    ++depth_;
    bool pushed = scope_.empty() || scope_.back() != n->res;
    if (pushed) scope_.push_back(n->res);
    // A schema with unevaluated* sees only the annotations of its own subschemas, then passes them up.
    Eval local;
    Eval* e = ev;
    if (n->needs_annotations && (x.IsObject() || x.IsArray())) e = &local;
    bool ok = true;
    for (Kw k : n->order) {
      if (!Keyword(n, k, x, e)) {
        ok = false;
        if (!collecting()) break;
      }
    }
    if (ok && ev && e == &local) ev->Merge(local);
    if (pushed) scope_.pop_back();
    --depth_;
    return ok;
  }

  bool Keyword(const Node* n, Kw k, const Value& x, Eval* e) {
    const char* kw = KwName(k);
    switch (k) {
      case Kw::kRef:
        return InPlace(n->ref, x, e);
      case Kw::kDynamicRef: {
        const Node* target = n->dynamic_ref.node;
        if (n->dynamic_ref_is_dynamic) {
          for (const Resource* r : scope_) {
            auto it = r->dynamic_anchor_nodes.find(n->dynamic_anchor_name);
            if (it != r->dynamic_anchor_nodes.end()) {
              target = it->second;
              break;
            }
          }
        }
        Edge edge{const_cast<Node*>(target), n->dynamic_ref.path};
        return InPlace(edge, x, e);
      }
      case Kw::kRecursiveRef: {
        const Node* target = n->recursive_ref.node;
        if (target->res->recursive_anchor) {
          for (const Resource* r : scope_) {
            if (r->recursive_anchor && r->root_node) {
              target = r->root_node;
              break;
            }
          }
        }
        Edge edge{const_cast<Node*>(target), n->recursive_ref.path};
        return InPlace(edge, x, e);
      }
      case Kw::kType: {
        uint8_t t = n->types;
        bool ok = false;
        switch (x.GetType()) {
          case rapidjson::kNullType: ok = t & kTNull; break;
          case rapidjson::kFalseType:
          case rapidjson::kTrueType: ok = t & kTBool; break;
          case rapidjson::kObjectType: ok = t & kTObject; break;
          case rapidjson::kArrayType: ok = t & kTArray; break;
          case rapidjson::kStringType: ok = t & kTString; break;
          case rapidjson::kNumberType: ok = (t & kTNumber) || ((t & kTInteger) && IsIntegral(x)); break;
        }
        if (!ok) Report(n, kw, std::string("got ") + JsonTypeName(x) + ", want " + TypesText(t));
        return ok;
      }
      case Kw::kEnum: {
        for (const auto& v : n->enum_values->GetArray())
          if (JsonEqual(v, x)) return true;
        std::vector<std::string> allowed;
        std::string list;
        for (const auto& v : n->enum_values->GetArray()) {
          allowed.push_back(JsonShort(v, 60));
          if (list.size() < 200) list += (list.empty() ? "" : ", ") + allowed.back();
        }
        Report(n, kw, "value " + JsonShort(x) + " is not one of the allowed values: " + list, allowed);
        return false;
      }
      case Kw::kConst:
        if (JsonEqual(*n->const_value, x)) return true;
        Report(n, kw, "value " + JsonShort(x) + " is not the required constant " + JsonShort(*n->const_value));
        return false;
      case Kw::kMultipleOf: {
        if (!x.IsNumber()) return true;
        const Value& m = *n->multiple_of;
        bool ok;
        if ((x.IsInt64() || x.IsUint64()) && (m.IsInt64() || m.IsUint64())) {
          if (x.IsInt64() && m.IsInt64()) ok = x.GetInt64() % m.GetInt64() == 0;
          else if (x.IsUint64() && m.IsUint64()) ok = x.GetUint64() % m.GetUint64() == 0;
          else ok = std::fmod(x.GetDouble(), m.GetDouble()) == 0;
        } else {
          double q = x.GetDouble() / m.GetDouble();
          ok = std::isfinite(q) && std::fabs(q - std::round(q)) <= 1e-9 * std::max(1.0, std::fabs(q));
        }
        if (!ok) Report(n, kw, NumText(x) + " is not a multiple of " + NumText(m));
        return ok;
      }
      case Kw::kMaximum: {
        if (!x.IsNumber()) return true;
        int c = CompareNumbers(x, *n->maximum);
        bool ok = n->maximum_exclusive ? c < 0 : c <= 0;
        if (!ok)
          Report(n, kw, NumText(x) + " is greater than " + (n->maximum_exclusive ? "or equal to " : "") +
                            "the maximum " + NumText(*n->maximum));
        return ok;
      }
      case Kw::kMinimum: {
        if (!x.IsNumber()) return true;
        int c = CompareNumbers(x, *n->minimum);
        bool ok = n->minimum_exclusive ? c > 0 : c >= 0;
        if (!ok)
          Report(n, kw, NumText(x) + " is less than " + (n->minimum_exclusive ? "or equal to " : "") +
                            "the minimum " + NumText(*n->minimum));
        return ok;
      }
      case Kw::kExclusiveMaximum: {
        if (!x.IsNumber() || CompareNumbers(x, *n->exclusive_maximum) < 0) return true;
        Report(n, kw, NumText(x) + " must be less than " + NumText(*n->exclusive_maximum));
        return false;
      }
      case Kw::kExclusiveMinimum: {
        if (!x.IsNumber() || CompareNumbers(x, *n->exclusive_minimum) > 0) return true;
        Report(n, kw, NumText(x) + " must be greater than " + NumText(*n->exclusive_minimum));
        return false;
      }
      case Kw::kMaxLength: {
        if (!x.IsString()) return true;
        size_t len = CodePointCount(Sv(x));
        if (len <= *n->max_length) return true;
        Report(n, kw, "string is " + std::to_string(len) + " characters long, at most " +
                          std::to_string(*n->max_length) + " allowed");
        return false;
      }
      case Kw::kMinLength: {
        if (!x.IsString()) return true;
        size_t len = CodePointCount(Sv(x));
        if (len >= *n->min_length) return true;
        Report(n, kw, "string is " + std::to_string(len) + " characters long, at least " +
                          std::to_string(*n->min_length) + " required");
        return false;
      }
      case Kw::kPattern: {
        if (!x.IsString() || n->pattern->Search(Sv(x))) return true;
        Report(n, kw, Quote(Sv(x)) + " does not match the pattern " + Quote(n->pattern->pattern()));
        return false;
      }
      case Kw::kFormat: {
        if (CheckFormat(n->format, x)) return true;
        Report(n, kw, JsonShort(x) + " is not a valid " + n->format);
        return false;
      }
      case Kw::kMaxItems:
        if (!x.IsArray() || x.Size() <= *n->max_items) return true;
        Report(n, kw, "array has " + std::to_string(x.Size()) + " items, at most " + std::to_string(*n->max_items) +
                          " allowed");
        return false;
      case Kw::kMinItems:
        if (!x.IsArray() || x.Size() >= *n->min_items) return true;
        Report(n, kw, "array has " + std::to_string(x.Size()) + " items, at least " +
                          std::to_string(*n->min_items) + " required");
        return false;
      case Kw::kUniqueItems: {
        if (!x.IsArray()) return true;
        std::unordered_multimap<size_t, rapidjson::SizeType> seen;
        for (rapidjson::SizeType i = 0; i < x.Size(); ++i) {
          size_t h = JsonHash(x[i]);
          auto range = seen.equal_range(h);
          for (auto it = range.first; it != range.second; ++it) {
            if (JsonEqual(x[it->second], x[i])) {
              Report(n, kw,
                     "items " + std::to_string(it->second) + " and " + std::to_string(i) + " are equal; items must be unique");
              return false;
            }
          }
          seen.emplace(h, i);
        }
        return true;
      }
      case Kw::kItems: {
        if (!x.IsArray()) return true;
        bool ok = true;
        size_t size = x.Size();
        size_t i = 0;
        for (; i < n->prefix_items.size() && i < size; ++i) {
          if (!Child(n->prefix_items[i], x[static_cast<rapidjson::SizeType>(i)], Index(i))) {
            ok = false;
            if (!collecting()) return false;
          }
          if (e) e->MarkItem(i, size);
        }
        const Edge* rest = n->items ? &*n->items : n->additional_items ? &*n->additional_items : nullptr;
        if (rest) {
          for (; i < size; ++i) {
            if (!Child(*rest, x[static_cast<rapidjson::SizeType>(i)], Index(i))) {
              ok = false;
              if (!collecting()) return false;
            }
            if (e) e->MarkItem(i, size);
          }
        }
        return ok;
      }
      case Kw::kContains: {
        if (!x.IsArray()) return true;
        uint64_t matches = 0;
        bool annotate = e && n->res->draft == Draft::k2020_12;
        uint64_t min = n->min_contains.value_or(1);
        for (rapidjson::SizeType i = 0; i < x.Size(); ++i) {
          if (QuietChild(*n->contains, x[i], Index(i))) {
            ++matches;
            if (annotate) e->MarkItem(i, x.Size());
            if (!annotate && !n->max_contains && matches >= min) break;
          }
        }
        if (matches < min) {
          Report(n, kw, matches == 0 ? "no item matches the 'contains' schema"
                                     : std::to_string(matches) + " items match the 'contains' schema, at least " +
                                           std::to_string(min) + " required");
          return false;
        }
        if (n->max_contains && matches > *n->max_contains) {
          Report(n, "maxContains", std::to_string(matches) + " items match the 'contains' schema, at most " +
                                       std::to_string(*n->max_contains) + " allowed");
          return false;
        }
        return true;
      }
      case Kw::kMaxProperties:
        if (!x.IsObject() || x.MemberCount() <= *n->max_properties) return true;
        Report(n, kw, "object has " + std::to_string(x.MemberCount()) + " properties, at most " +
                          std::to_string(*n->max_properties) + " allowed");
        return false;
      case Kw::kMinProperties:
        if (!x.IsObject() || x.MemberCount() >= *n->min_properties) return true;
        Report(n, kw, "object has " + std::to_string(x.MemberCount()) + " properties, at least " +
                          std::to_string(*n->min_properties) + " required");
        return false;
      case Kw::kRequired: {
        if (!x.IsObject()) return true;
        bool ok = true;
        for (const auto& name : n->required) {
          if (!x.HasMember(Value(rapidjson::StringRef(name.data(), name.size())))) {
            ok = false;
            Report(n, kw, "missing required property " + Quote(name), {name});
            if (!collecting()) return false;
          }
        }
        return ok;
      }
      case Kw::kDependentRequired: {
        if (!x.IsObject()) return true;
        bool ok = true;
        for (const auto& [key, names] : n->dependent_required) {
          if (!x.HasMember(Value(rapidjson::StringRef(key.data(), key.size())))) continue;
          for (const auto& name : names) {
            if (!x.HasMember(Value(rapidjson::StringRef(name.data(), name.size())))) {
              ok = false;
              Report(n, n->res->draft <= Draft::k07 ? "dependencies" : kw,
                     "property " + Quote(name) + " is required when " + Quote(key) + " is set", {name});
              if (!collecting()) return false;
            }
          }
        }
        return ok;
      }
      case Kw::kDependentSchemas: {
        if (!x.IsObject()) return true;
        bool ok = true;
        for (const auto& [key, edge] : n->dependent_schemas) {
          if (!x.HasMember(Value(rapidjson::StringRef(key.data(), key.size())))) continue;
          if (!InPlace(edge, x, e)) {
            ok = false;
            if (!collecting()) return false;
          }
        }
        return ok;
      }
      case Kw::kProperties:
        return Properties(n, x, e);
      case Kw::kPropertyNames: {
        if (!x.IsObject()) return true;
        bool ok = true;
        size_t i = 0;
        for (auto m = x.MemberBegin(); m != x.MemberEnd(); ++m, ++i) {
          Value name(rapidjson::StringRef(m->name.GetString(), m->name.GetStringLength()));
          if (!Child(*n->property_names, name, Key(x, i))) {
            ok = false;
            if (!collecting()) return false;
          }
        }
        return ok;
      }
      case Kw::kAllOf: {
        bool ok = true;
        for (const auto& edge : n->all_of) {
          if (!InPlace(edge, x, e)) {
            ok = false;
            if (!collecting()) return false;
          }
        }
        return ok;
      }
      case Kw::kAnyOf:
      case Kw::kOneOf:
        return Alternatives(n, k, x, e);
      case Kw::kNot: {
        if (!Quiet(*n->not_, x, nullptr)) return true;
        Report(n, kw, "value " + JsonShort(x) + " must not match the schema in 'not'");
        return false;
      }
      case Kw::kIf: {
        Eval branch;
        bool cond = Quiet(*n->if_, x, e ? &branch : nullptr);
        if (cond && e) e->Merge(branch);
        const std::optional<Edge>& next = cond ? n->then_ : n->else_;
        if (!next) return true;
        return InPlace(*next, x, e);
      }
      case Kw::kUnevaluatedItems: {
        if (!x.IsArray()) return true;
        bool ok = true;
        for (rapidjson::SizeType i = 0; i < x.Size(); ++i) {
          if (e->Item(i)) continue;
          const Edge& ui = *n->unevaluated_items;
          bool pass = ui.node->is_bool ? ui.node->bool_value : Child(ui, x[i], Index(i));
          if (!pass) {
            ok = false;
            if (ui.node->is_bool) {
              PathTok tok = Index(i);
              Report(n, kw, "item " + std::to_string(i) + " is not allowed (unevaluatedItems is false)", {}, &tok);
            }
            if (!collecting()) return false;
          }
          e->MarkItem(i, x.Size());
        }
        return ok;
      }
      case Kw::kUnevaluatedProperties: {
        if (!x.IsObject()) return true;
        bool ok = true;
        size_t i = 0;
        for (auto m = x.MemberBegin(); m != x.MemberEnd(); ++m, ++i) {
          if (e->Prop(i)) continue;
          const Edge& up = *n->unevaluated_properties;
          bool pass = up.node->is_bool ? up.node->bool_value : Child(up, m->value, Key(x, i));
          if (!pass) {
            ok = false;
            if (up.node->is_bool) {
              PathTok tok = Key(x, i);
              std::string name(Sv(m->name));
              std::vector<std::string> extra{name};
              for (const auto& p : n->properties) extra.push_back(p.first);
              Report(n, kw, "property " + Quote(name) + " is not allowed (unevaluatedProperties is false)", extra,
                     &tok);
            }
            if (!collecting()) return false;
          }
          e->MarkProp(i, x.MemberCount());
        }
        return ok;
      }
    }
    return true;
  }

  bool Properties(const Node* n, const Value& x, Eval* e) {
    if (!x.IsObject()) return true;
    bool ok = true;
    size_t i = 0;
    const size_t count = x.MemberCount();
    for (auto m = x.MemberBegin(); m != x.MemberEnd(); ++m, ++i) {
      bool matched = false;
      if (!n->properties.empty()) {
        auto it = n->property_index.find(std::string(Sv(m->name)));
        if (it != n->property_index.end()) {
          matched = true;
          if (!Child(n->properties[it->second].second, m->value, Key(x, i))) {
            ok = false;
            if (!collecting()) return false;
          }
        }
      }
      for (const auto& pp : n->pattern_properties) {
        if (!pp.regex->Search(Sv(m->name))) continue;
        matched = true;
        if (!Child(pp.edge, m->value, Key(x, i))) {
          ok = false;
          if (!collecting()) return false;
        }
      }
      if (!matched && n->additional_properties) {
        const Edge& ap = *n->additional_properties;
        matched = true;
        if (ap.node->is_bool && !ap.node->bool_value) {
          ok = false;
          if (collecting()) {
            std::string name(Sv(m->name));
            std::vector<std::string> extra{name};
            std::string allowed;
            for (const auto& p : n->properties) {
              extra.push_back(p.first);
              if (allowed.size() < 200) allowed += (allowed.empty() ? "" : ", ") + p.first;
            }
            PathTok tok = Key(x, i);
            Report(n, "additionalProperties",
                   "property " + Quote(name) + " is not allowed" +
                       (allowed.empty() ? std::string() : "; allowed: " + allowed),
                   extra, &tok);
          } else {
            return false;
          }
        } else if (!Child(ap, m->value, Key(x, i))) {
          ok = false;
          if (!collecting()) return false;
        }
      }
      if (matched && e) e->MarkProp(i, count);
    }
    return ok;
  }

  // anyOf / oneOf: branch errors are kept aside and summarised.
  bool Alternatives(const Node* n, Kw k, const Value& x, Eval* e) {
    const bool one = k == Kw::kOneOf;
    const std::vector<Edge>& branches = one ? n->one_of : n->any_of;
    std::vector<std::vector<Collected>> errs(branches.size());
    std::vector<size_t> passed;
    Eval merged;
    for (size_t b = 0; b < branches.size(); ++b) {
      Eval be;
      bool ok = Quiet(branches[b], x, e ? &be : nullptr, collecting() ? &errs[b] : nullptr);
      if (ok) {
        passed.push_back(b);
        if (e && (!one || passed.size() == 1)) merged.Merge(be);
        if (!one && !e) return true;
        if (one && passed.size() > 1 && !e) break;
      }
    }
    const char* kw = one ? "oneOf" : "anyOf";
    if (one && passed.size() > 1) {
      Report(n, kw, "value matches alternatives #" + std::to_string(passed[0]) + " and #" +
                        std::to_string(passed[1]) + " of oneOf; exactly one must match");
      return false;
    }
    if (!passed.empty()) {
      if (e) e->Merge(merged);
      return true;
    }
    if (!collecting()) return false;
    // Which alternatives accept the value's type? If exactly one does, its errors are the useful ones.
    std::string here = InstanceLocation();
    std::vector<size_t> type_ok;
    for (size_t b = 0; b < branches.size(); ++b) {
      bool type_error = false;
      for (const auto& c : errs[b])
        if (c.error.instance_location == here && (c.error.keyword == "type" || c.error.keyword == "false"))
          type_error = true;
      if (!type_error) type_ok.push_back(b);
    }
    if (type_ok.size() == 1 && !errs[type_ok[0]].empty()) {
      for (auto& c : errs[type_ok[0]]) sink_->push_back(std::move(c));
      return false;
    }
    std::vector<std::string> extra;
    std::string summary;
    for (size_t b = 0; b < branches.size(); ++b) {
      std::string first = errs[b].empty() ? "fails" : errs[b][0].error.message;
      if (!errs[b].empty() && errs[b][0].error.instance_location != here)
        first = errs[b][0].error.instance_location + ": " + first;
      extra.push_back("#" + std::to_string(b) + ": " + first);
      if (summary.size() < 300) summary += (summary.empty() ? "" : "; ") + extra.back();
    }
    Report(n, kw, "value matches none of the " + std::to_string(branches.size()) + " alternatives of " + kw +
                      " (" + summary + ")",
           extra);
    return false;
  }

  const Schema::Impl& impl_;
  std::vector<Collected>* sink_;
  std::vector<PathTok> ipath_;
  std::vector<const std::string*> kpath_;
  std::vector<const Resource*> scope_;
  int depth_ = 0;
};

// Instances deeper than this are refused up front (JSON equality and hashing recurse).
bool TooDeep(const Value& root) {
  std::vector<std::pair<const Value*, size_t>> stack{{&root, 0}};
  while (!stack.empty()) {
    auto [v, d] = stack.back();
    stack.pop_back();
    if (d > kMaxInstanceDepth) return true;
    if (v->IsArray()) {
      for (const auto& c : v->GetArray())
        if (c.IsArray() || c.IsObject()) stack.push_back({&c, d + 1});
    } else if (v->IsObject()) {
      for (auto m = v->MemberBegin(); m != v->MemberEnd(); ++m)
        if (m->value.IsArray() || m->value.IsObject()) stack.push_back({&m->value, d + 1});
    }
  }
  return false;
}

}  // namespace

std::vector<ValidationError> Schema::Validate(const rapidjson::Value& instance) const {
  std::vector<ValidationError> out;
  if (TooDeep(instance)) {
    out.push_back({"", "", impl_->root->res->uri + "#", "", "the value is nested deeper than " +
                                                              std::to_string(kMaxInstanceDepth) + " levels", {}});
    return out;
  }
  std::vector<Collected> collected;
  Evaluator ev(*impl_, &collected);
  ev.Run(instance);
  std::stable_sort(collected.begin(), collected.end(),
                   [](const Collected& a, const Collected& b) { return a.order < b.order; });
  out.reserve(collected.size());
  for (auto& c : collected) out.push_back(std::move(c.error));
  return out;
}

bool Schema::IsValid(const rapidjson::Value& instance) const {
  if (TooDeep(instance)) return false;
  Evaluator ev(*impl_, nullptr);
  return ev.Run(instance);
}

}  // namespace capstan::jsonschema
