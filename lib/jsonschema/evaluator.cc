// The evaluator's core (see evaluator.h): error reports with locations, the recursion over schema nodes with its
// depth bound, keyword dispatch and the reference keywords ($ref, $dynamicRef, $recursiveRef).
#include "jsonschema/evaluator.h"
#include "jsonschema/json_value.h"
#include "jsonschema/uri.h"

namespace capstan::jsonschema::evaluation {

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

std::string Evaluator::InstanceLocation() const {
  std::string s;
  for (const auto& t : ipath_) {
    s += '/';
    s += t.is_index ? std::to_string(t.index) : EscapePointerToken(std::string_view(t.s, t.n));
  }
  return s;
}

void Evaluator::Report(const Node* n, const char* kw, std::string message, std::vector<std::string> extra,
                       const PathTok* child) {
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

namespace {
struct WorkLimitReached {};
}  // namespace

bool Evaluator::Run(const Value& instance) {
  try {
    return V(impl_.root, instance, nullptr);
  } catch (const WorkLimitReached&) {
    sink_ = root_sink_;
    if (sink_) {
      sink_->clear();
      Collected c;
      c.error.schema_uri = impl_.root->res->uri + "#";
      c.error.message = "validation stopped after " + std::to_string(max_steps_) +
                        " schema evaluations (nested anyOf/oneOf/$ref alternatives multiply the work); simplify the "
                        "schema or validate a smaller value";
      sink_->push_back(std::move(c));
    }
    return false;
  }
}

bool Evaluator::V(const Node* n, const Value& x, Eval* ev) {
  if (++steps_ > max_steps_) throw WorkLimitReached{};
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

bool Evaluator::Keyword(const Node* n, Kw k, const Value& x, Eval* e) {
  switch (k) {
    case Kw::kRef:
      return Kw_Ref(n, k, x, e);
    case Kw::kDynamicRef:
      return Kw_DynamicRef(n, k, x, e);
    case Kw::kRecursiveRef:
      return Kw_RecursiveRef(n, k, x, e);
    case Kw::kType:
      return Kw_Type(n, k, x, e);
    case Kw::kEnum:
      return Kw_Enum(n, k, x, e);
    case Kw::kConst:
      return Kw_Const(n, k, x, e);
    case Kw::kMultipleOf:
      return Kw_MultipleOf(n, k, x, e);
    case Kw::kMaximum:
      return Kw_Maximum(n, k, x, e);
    case Kw::kMinimum:
      return Kw_Minimum(n, k, x, e);
    case Kw::kExclusiveMaximum:
      return Kw_ExclusiveMaximum(n, k, x, e);
    case Kw::kExclusiveMinimum:
      return Kw_ExclusiveMinimum(n, k, x, e);
    case Kw::kMaxLength:
      return Kw_MaxLength(n, k, x, e);
    case Kw::kMinLength:
      return Kw_MinLength(n, k, x, e);
    case Kw::kPattern:
      return Kw_Pattern(n, k, x, e);
    case Kw::kFormat:
      return Kw_Format(n, k, x, e);
    case Kw::kMaxItems:
      return Kw_MaxItems(n, k, x, e);
    case Kw::kMinItems:
      return Kw_MinItems(n, k, x, e);
    case Kw::kUniqueItems:
      return Kw_UniqueItems(n, k, x, e);
    case Kw::kItems:
      return Kw_Items(n, k, x, e);
    case Kw::kContains:
      return Kw_Contains(n, k, x, e);
    case Kw::kMaxProperties:
      return Kw_MaxProperties(n, k, x, e);
    case Kw::kMinProperties:
      return Kw_MinProperties(n, k, x, e);
    case Kw::kRequired:
      return Kw_Required(n, k, x, e);
    case Kw::kDependentRequired:
      return Kw_DependentRequired(n, k, x, e);
    case Kw::kDependentSchemas:
      return Kw_DependentSchemas(n, k, x, e);
    case Kw::kProperties:
      return Kw_Properties(n, k, x, e);
    case Kw::kPropertyNames:
      return Kw_PropertyNames(n, k, x, e);
    case Kw::kAllOf:
      return Kw_AllOf(n, k, x, e);
    case Kw::kAnyOf:
      return Kw_AnyOf(n, k, x, e);
    case Kw::kOneOf:
      return Kw_AnyOf(n, k, x, e);
    case Kw::kNot:
      return Kw_Not(n, k, x, e);
    case Kw::kIf:
      return Kw_If(n, k, x, e);
    case Kw::kUnevaluatedItems:
      return Kw_UnevaluatedItems(n, k, x, e);
    case Kw::kUnevaluatedProperties:
      return Kw_UnevaluatedProperties(n, k, x, e);
  }
  return true;
}

bool Evaluator::Kw_Ref(const Node* n, Kw k, const Value& x, Eval* e) {
  (void)k;
  return InPlace(n->ref, x, e);
}

bool Evaluator::Kw_DynamicRef(const Node* n, Kw k, const Value& x, Eval* e) {
  (void)k;
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

bool Evaluator::Kw_RecursiveRef(const Node* n, Kw k, const Value& x, Eval* e) {
  (void)k;
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

}  // namespace capstan::jsonschema::evaluation
