// Keywords on arrays and objects (see evaluator.h): items and prefixItems, contains, uniqueItems, item and property
// counts, required and dependencies, properties/patternProperties/additionalProperties, propertyNames, and
// unevaluatedItems/unevaluatedProperties.
#include <unordered_map>

#include "jsonschema/evaluator.h"
#include "jsonschema/json_value.h"

namespace capstan::jsonschema::evaluation {

bool Evaluator::Kw_MaxItems(const Node* n, Kw k, const Value& x, Eval* e) {
  const char* kw = KwName(k);
  (void)e;
  if (!x.IsArray() || x.Size() <= *n->max_items) return true;
  Report(n, kw, "array has " + std::to_string(x.Size()) + " items, at most " + std::to_string(*n->max_items) +
                    " allowed");
  return false;
}

bool Evaluator::Kw_MinItems(const Node* n, Kw k, const Value& x, Eval* e) {
  const char* kw = KwName(k);
  (void)e;
  if (!x.IsArray() || x.Size() >= *n->min_items) return true;
  Report(n, kw, "array has " + std::to_string(x.Size()) + " items, at least " +
                    std::to_string(*n->min_items) + " required");
  return false;
}

bool Evaluator::Kw_UniqueItems(const Node* n, Kw k, const Value& x, Eval* e) {
  const char* kw = KwName(k);
  (void)e;
  if (!x.IsArray()) return true;
  std::unordered_multimap<size_t, rapidjson::SizeType> seen;
  for (rapidjson::SizeType i = 0; i < x.Size(); ++i) {
    size_t h = JsonHash(x[i]);
    auto range = seen.equal_range(h);
    for (auto it = range.first; it != range.second; ++it) {
      if (JsonEqual(x[it->second], x[i])) {
        Report(n, kw,
               "items " + std::to_string(it->second) + " and " + std::to_string(i) +
                 " are equal; items must be unique");
        return false;
      }
    }
    seen.emplace(h, i);
  }
  return true;
}

bool Evaluator::Kw_Items(const Node* n, Kw k, const Value& x, Eval* e) {
  (void)k;
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

bool Evaluator::Kw_Contains(const Node* n, Kw k, const Value& x, Eval* e) {
  const char* kw = KwName(k);
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

bool Evaluator::Kw_MaxProperties(const Node* n, Kw k, const Value& x, Eval* e) {
  const char* kw = KwName(k);
  (void)e;
  if (!x.IsObject() || x.MemberCount() <= *n->max_properties) return true;
  Report(n, kw, "object has " + std::to_string(x.MemberCount()) + " properties, at most " +
                    std::to_string(*n->max_properties) + " allowed");
  return false;
}

bool Evaluator::Kw_MinProperties(const Node* n, Kw k, const Value& x, Eval* e) {
  const char* kw = KwName(k);
  (void)e;
  if (!x.IsObject() || x.MemberCount() >= *n->min_properties) return true;
  Report(n, kw, "object has " + std::to_string(x.MemberCount()) + " properties, at least " +
                    std::to_string(*n->min_properties) + " required");
  return false;
}

bool Evaluator::Kw_Required(const Node* n, Kw k, const Value& x, Eval* e) {
  const char* kw = KwName(k);
  (void)e;
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

bool Evaluator::Kw_DependentRequired(const Node* n, Kw k, const Value& x, Eval* e) {
  const char* kw = KwName(k);
  (void)e;
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

bool Evaluator::Kw_DependentSchemas(const Node* n, Kw k, const Value& x, Eval* e) {
  (void)k;
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

bool Evaluator::Kw_Properties(const Node* n, Kw k, const Value& x, Eval* e) {
  (void)k;
  return Properties(n, x, e);
}

bool Evaluator::Kw_PropertyNames(const Node* n, Kw k, const Value& x, Eval* e) {
  (void)k;
  (void)e;
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

void Evaluator::ReportAdditional(const Node* n, const Value& x, size_t i) {
  const Value& key = (x.MemberBegin() + static_cast<long>(i))->name;
  std::string name(Sv(key));
  std::vector<std::string> extra{name};
  std::string allowed;
  for (const auto& p : n->properties) {
    extra.push_back(p.first);
    if (allowed.size() < 200) allowed += (allowed.empty() ? "" : ", ") + p.first;
  }
  PathTok tok = Key(x, i);
  Report(n, "additionalProperties",
         "property " + Quote(name) + " is not allowed" + (allowed.empty() ? std::string() : "; allowed: " + allowed),
         extra, &tok);
}

bool Evaluator::Properties(const Node* n, const Value& x, Eval* e) {
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
        if (!collecting()) return false;
        ReportAdditional(n, x, i);
      } else if (!Child(ap, m->value, Key(x, i))) {
        ok = false;
        if (!collecting()) return false;
      }
    }
    if (matched && e) e->MarkProp(i, count);
  }
  return ok;
}

bool Evaluator::Kw_UnevaluatedItems(const Node* n, Kw k, const Value& x, Eval* e) {
  const char* kw = KwName(k);
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

bool Evaluator::Kw_UnevaluatedProperties(const Node* n, Kw k, const Value& x, Eval* e) {
  const char* kw = KwName(k);
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

}  // namespace capstan::jsonschema::evaluation
