// The keyword parser of the JSON Schema compiler (see compiler.h): reads one schema object's keywords, as its
// draft and vocabularies define them, into its Node (types, enums, numeric and string bounds, patterns, formats,
// subschema edges of every applicator, references queued for resolution) and checks each keyword's form.
#include <cmath>

#include "jsonschema/compiler.h"
#include "jsonschema/uri.h"

namespace capstan::jsonschema::compiling {

uint64_t Compiler::NonNegative(const Node& n, const char* kw, const Value& v) {
  if (v.IsUint64()) return v.GetUint64();
  if (v.IsNumber() && v.GetDouble() >= 0 && IsIntegralDouble(v.GetDouble()))
    return v.GetDouble() > 1.8e19 ? UINT64_MAX : static_cast<uint64_t>(v.GetDouble());
  Fail(n.res, n.pointer + "/" + kw, std::string(kw) + " must be a non-negative integer");
}

Edge Compiler::Child(const Node& n, const Value& v, const std::string& rel) {
  (void)n;
  Edge e;
  e.path = rel;
  e.node = GetNode(v);
  return e;
}

void Compiler::CompileInto(Node& n, const Value& v) {
  const std::string& ptr = n.pointer;
  if (v.IsBool()) {
    n.is_bool = true;
    n.bool_value = v.GetBool();
    return;
  }
  if (!v.IsObject()) Fail(n.res, ptr, "a schema must be an object or a boolean");
  const Draft d = n.res->draft;
  const bool modern = d == Draft::k2019_09 || d == Draft::k2020_12;
  const bool old = !modern;
  const Vocab& voc = n.res->vocab;
  auto push = [&](Kw k) {
    for (Kw o : n.order)
      if (o == k) return;
    n.order.push_back(k);
  };
  auto schema_at = [&](const Value& c, const std::string& rel) -> Edge {
    if (!IsSchemaValue(c)) Fail(n.res, ptr + rel, "must be a schema (an object or a boolean)");
    if (!locs_.count(&c)) Walk(c, locs_.at(&v).res, ptr + rel, 0, false);
    return Child(n, c, rel);
  };
  auto schema_array = [&](const Value& c, const std::string& kw) {
    if (!c.IsArray() || c.Empty()) Fail(n.res, ptr + "/" + kw, kw + " must be a non-empty array of schemas");
    std::vector<Edge> out;
    for (rapidjson::SizeType i = 0; i < c.Size(); ++i)
      out.push_back(schema_at(c[i], "/" + kw + "/" + std::to_string(i)));
    return out;
  };
  auto string_array = [&](const Value& c, const std::string& where) {
    if (!c.IsArray()) Fail(n.res, ptr + where, "must be an array of strings");
    std::vector<std::string> out;
    for (const auto& s : c.GetArray()) {
      if (!s.IsString()) Fail(n.res, ptr + where, "must be an array of strings");
      out.emplace_back(Sv(s));
    }
    return out;
  };
  auto number = [&](const Value& c, const char* kw) {
    if (!c.IsNumber()) Fail(n.res, ptr + "/" + kw, std::string(kw) + " must be a number");
    return &c;
  };
  auto regex = [&](std::string_view pattern, const std::string& where) {
    try {
      return std::make_shared<Regex>(pattern);
    } catch (const std::invalid_argument& e) {
      Fail(n.res, ptr + where, "invalid or unsupported regular expression '" + std::string(pattern) + "': " + e.what());
    }
  };
  auto add_ref = [&](Kw kind, const Value& c, const char* kw) {
    if (!c.IsString()) Fail(n.res, ptr + "/" + kw, std::string(kw) + " must be a string");
    std::string uri = ResolveUri(n.res->uri, Sv(c));
    pending_.push_back({&n, kind, uri, ptr + "/" + kw});
    push(kind);
  };

  bool items_array = false;
  if (old) {
    if (const Value* r = Member(v, "$ref")) {  // up to draft-07, $ref replaces the whole schema
      n.ref.path = "/$ref";
      add_ref(Kw::kRef, *r, "$ref");
      // Sibling annotations do not validate, but Describe() still reports them (charts often write them).
      if (const Value* desc = Member(v, "description"); desc && desc->IsString()) n.description = desc;
      if (const Value* t = Member(v, "title"); t && t->IsString()) n.title = t;
      if (const Value* def = Member(v, "default")) n.default_value = def;
      return;
    }
  }
  for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
    const std::string k(Sv(m->name));
    const Value& c = m->value;
    const std::string rel = Slash(k);
    // ---- core ----
    if (k == "$ref") {
      n.ref.path = rel;
      add_ref(Kw::kRef, c, "$ref");
    } else if (k == "$dynamicRef" && d == Draft::k2020_12) {
      n.dynamic_ref.path = rel;
      add_ref(Kw::kDynamicRef, c, "$dynamicRef");
    } else if (k == "$recursiveRef" && d == Draft::k2019_09) {
      n.recursive_ref.path = rel;
      add_ref(Kw::kRecursiveRef, c, "$recursiveRef");
    } else if (k == "description" && c.IsString()) {
      n.description = &c;
    } else if (k == "title" && c.IsString()) {
      n.title = &c;
    } else if (k == "default") {
      n.default_value = &c;
    } else if (k == "deprecated" && c.IsBool()) {
      n.deprecated = c.GetBool();
    } else if (voc.validation && k == "type") {
      auto bit = [&](const Value& t) -> uint8_t {
        if (!t.IsString()) Fail(n.res, ptr + rel, "type must be a string or an array of strings");
        std::string_view s = Sv(t);
        if (s == "null") return kTNull;
        if (s == "boolean") return kTBool;
        if (s == "object") return kTObject;
        if (s == "array") return kTArray;
        if (s == "number") return kTNumber;
        if (s == "string") return kTString;
        if (s == "integer") return kTInteger;
        Fail(n.res, ptr + rel,
             "unknown type '" + std::string(s) + "' (use null, boolean, object, array, number, string, integer)");
      };
      if (c.IsArray()) {
        for (const auto& t : c.GetArray()) n.types |= bit(t);
      } else {
        n.types = bit(c);
      }
      push(Kw::kType);
    } else if (voc.validation && k == "enum") {
      if (!c.IsArray()) Fail(n.res, ptr + rel, "enum must be an array");
      n.enum_values = &c;
      push(Kw::kEnum);
    } else if (voc.validation && k == "const" && d != Draft::k04) {
      n.const_value = &c;
      push(Kw::kConst);
    } else if (voc.validation && k == "multipleOf") {
      n.multiple_of = number(c, "multipleOf");
      if (c.GetDouble() <= 0) Fail(n.res, ptr + rel, "multipleOf must be greater than 0");
      push(Kw::kMultipleOf);
    } else if (voc.validation && k == "maximum") {
      n.maximum = number(c, "maximum");
      push(Kw::kMaximum);
    } else if (voc.validation && k == "minimum") {
      n.minimum = number(c, "minimum");
      push(Kw::kMinimum);
    } else if (voc.validation && k == "exclusiveMaximum") {
      if (d == Draft::k04) {
        if (!c.IsBool()) Fail(n.res, ptr + rel, "exclusiveMaximum must be a boolean in draft-04");
        n.maximum_exclusive = c.GetBool();
      } else {
        n.exclusive_maximum = number(c, "exclusiveMaximum");
        push(Kw::kExclusiveMaximum);
      }
    } else if (voc.validation && k == "exclusiveMinimum") {
      if (d == Draft::k04) {
        if (!c.IsBool()) Fail(n.res, ptr + rel, "exclusiveMinimum must be a boolean in draft-04");
        n.minimum_exclusive = c.GetBool();
      } else {
        n.exclusive_minimum = number(c, "exclusiveMinimum");
        push(Kw::kExclusiveMinimum);
      }
    } else if (voc.validation && k == "maxLength") {
      n.max_length = NonNegative(n, "maxLength", c);
      push(Kw::kMaxLength);
    } else if (voc.validation && k == "minLength") {
      n.min_length = NonNegative(n, "minLength", c);
      push(Kw::kMinLength);
    } else if (voc.validation && k == "pattern") {
      if (!c.IsString()) Fail(n.res, ptr + rel, "pattern must be a string");
      n.pattern = regex(Sv(c), rel);
      push(Kw::kPattern);
    } else if (k == "format" && c.IsString()) {
      n.format = std::string(Sv(c));
      n.format_assert = options_.format_assertion || voc.format_assertion;
      if (n.format_assert) push(Kw::kFormat);
    } else if (voc.validation && k == "maxItems") {
      n.max_items = NonNegative(n, "maxItems", c);
      push(Kw::kMaxItems);
    } else if (voc.validation && k == "minItems") {
      n.min_items = NonNegative(n, "minItems", c);
      push(Kw::kMinItems);
    } else if (voc.validation && k == "uniqueItems") {
      if (!c.IsBool()) Fail(n.res, ptr + rel, "uniqueItems must be a boolean");
      n.unique_items = c.GetBool();
      if (n.unique_items) push(Kw::kUniqueItems);
    } else if (voc.validation && k == "maxProperties") {
      n.max_properties = NonNegative(n, "maxProperties", c);
      push(Kw::kMaxProperties);
    } else if (voc.validation && k == "minProperties") {
      n.min_properties = NonNegative(n, "minProperties", c);
      push(Kw::kMinProperties);
    } else if (voc.validation && k == "required") {
      if (d == Draft::k04 || c.IsArray()) {
        n.required = string_array(c, rel);
        push(Kw::kRequired);
      }
    } else if (voc.validation && k == "dependentRequired" && modern) {
      if (!c.IsObject()) Fail(n.res, ptr + rel, "dependentRequired must be an object");
      for (auto e = c.MemberBegin(); e != c.MemberEnd(); ++e)
        n.dependent_required.emplace_back(std::string(Sv(e->name)),
                                          string_array(e->value, rel + Slash(Sv(e->name))));
      push(Kw::kDependentRequired);
    } else if (voc.validation && k == "minContains" && modern) {
      n.min_contains = NonNegative(n, "minContains", c);
    } else if (voc.validation && k == "maxContains" && modern) {
      n.max_contains = NonNegative(n, "maxContains", c);
    } else if (voc.applicator && k == "dependencies" && old) {
      if (!c.IsObject()) Fail(n.res, ptr + rel, "dependencies must be an object");
      for (auto e = c.MemberBegin(); e != c.MemberEnd(); ++e) {
        std::string sub = rel + Slash(Sv(e->name));
        if (e->value.IsArray()) {
          n.dependent_required.emplace_back(std::string(Sv(e->name)), string_array(e->value, sub));
          push(Kw::kDependentRequired);
        } else {
          n.dependent_schemas.emplace_back(std::string(Sv(e->name)), schema_at(e->value, sub));
          push(Kw::kDependentSchemas);
        }
      }
    } else if (voc.applicator && k == "dependentSchemas" && modern) {
      if (!c.IsObject()) Fail(n.res, ptr + rel, "dependentSchemas must be an object");
      for (auto e = c.MemberBegin(); e != c.MemberEnd(); ++e)
        n.dependent_schemas.emplace_back(std::string(Sv(e->name)),
                                         schema_at(e->value, rel + Slash(Sv(e->name))));
      push(Kw::kDependentSchemas);
    } else if (voc.applicator && k == "prefixItems" && d == Draft::k2020_12) {
      n.prefix_items = schema_array(c, "prefixItems");
      push(Kw::kItems);
    } else if (voc.applicator && k == "items") {
      if (c.IsArray() && d != Draft::k2020_12) {
        n.prefix_items.clear();
        for (rapidjson::SizeType i = 0; i < c.Size(); ++i)
          n.prefix_items.push_back(schema_at(c[i], "/items/" + std::to_string(i)));
        items_array = true;
      } else {
        n.items = schema_at(c, rel);
      }
      push(Kw::kItems);
    } else if (voc.applicator && k == "additionalItems" && d != Draft::k2020_12) {
      n.additional_items = schema_at(c, rel);
      push(Kw::kItems);
    } else if (voc.applicator && k == "contains" && d != Draft::k04) {
      n.contains = schema_at(c, rel);
      push(Kw::kContains);
    } else if (voc.applicator && k == "properties") {
      if (!c.IsObject()) Fail(n.res, ptr + rel, "properties must be an object");
      for (auto e = c.MemberBegin(); e != c.MemberEnd(); ++e) {
        std::string name(Sv(e->name));
        n.property_index[name] = n.properties.size();
        n.properties.emplace_back(name, schema_at(e->value, rel + Slash(name)));
      }
      push(Kw::kProperties);
    } else if (voc.applicator && k == "patternProperties") {
      if (!c.IsObject()) Fail(n.res, ptr + rel, "patternProperties must be an object");
      for (auto e = c.MemberBegin(); e != c.MemberEnd(); ++e) {
        std::string sub = rel + Slash(Sv(e->name));
        n.pattern_properties.push_back({regex(Sv(e->name), sub), schema_at(e->value, sub)});
      }
      push(Kw::kProperties);
    } else if (voc.applicator && k == "additionalProperties") {
      n.additional_properties = schema_at(c, rel);
      push(Kw::kProperties);
    } else if (voc.applicator && k == "propertyNames" && d != Draft::k04) {
      n.property_names = schema_at(c, rel);
      push(Kw::kPropertyNames);
    } else if (voc.applicator && k == "allOf") {
      n.all_of = schema_array(c, "allOf");
      push(Kw::kAllOf);
    } else if (voc.applicator && k == "anyOf") {
      n.any_of = schema_array(c, "anyOf");
      push(Kw::kAnyOf);
    } else if (voc.applicator && k == "oneOf") {
      n.one_of = schema_array(c, "oneOf");
      push(Kw::kOneOf);
    } else if (voc.applicator && k == "not") {
      n.not_ = schema_at(c, rel);
      push(Kw::kNot);
    } else if (voc.applicator && k == "if" && d != Draft::k04 && d != Draft::k06) {
      n.if_ = schema_at(c, rel);
      push(Kw::kIf);
    } else if (voc.applicator && k == "then" && d != Draft::k04 && d != Draft::k06) {
      n.then_ = schema_at(c, rel);
    } else if (voc.applicator && k == "else" && d != Draft::k04 && d != Draft::k06) {
      n.else_ = schema_at(c, rel);
    } else if (voc.unevaluated && modern && k == "unevaluatedItems") {
      n.unevaluated_items = schema_at(c, rel);
    } else if (voc.unevaluated && modern && k == "unevaluatedProperties") {
      n.unevaluated_properties = schema_at(c, rel);
    } else if (k == "contentSchema" && modern && IsSchemaValue(c)) {
      schema_at(c, rel);  // compiled so that references into it resolve; annotation only
    } else if ((k == "definitions" || (modern && k == "$defs")) && c.IsObject()) {
      for (auto e = c.MemberBegin(); e != c.MemberEnd(); ++e)
        if (!IsSchemaValue(e->value))
          Fail(n.res, ptr + rel + Slash(Sv(e->name)), "must be a schema (an object or a boolean)");
    }
  }
  if (!items_array) n.additional_items.reset();  // additionalItems only applies after array-form items
  if (n.unevaluated_items) n.order.push_back(Kw::kUnevaluatedItems);
  if (n.unevaluated_properties) n.order.push_back(Kw::kUnevaluatedProperties);
  n.needs_annotations = n.unevaluated_items || n.unevaluated_properties;
}

}  // namespace capstan::jsonschema::compiling
