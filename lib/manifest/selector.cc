#include "manifest/selector.h"

#include <algorithm>

namespace capstan::manifest {

bool Selector::Matches(const Labels& labels) const {
  if (empty()) return false;
  for (const auto& [k, v] : match_labels) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  for (const auto& r : expressions) {
    auto it = labels.find(r.key);
    bool has = it != labels.end();
    bool in = has && std::find(r.values.begin(), r.values.end(), it->second) != r.values.end();
    if (r.op == "In" && !in) return false;
    if (r.op == "NotIn" && in) return false;
    if (r.op == "Exists" && !has) return false;
    if (r.op == "DoesNotExist" && has) return false;
  }
  return true;
}

Selector ReadSelector(const yaml::Node& sel) {
  Selector s;
  for (const auto& [k, v] : sel.Get("matchLabels").Entries())
    if (k.IsScalar() && v.IsScalar()) s.match_labels[std::string(k.scalar())] = std::string(v.scalar());
  for (const auto& e : sel.Get("matchExpressions").Items()) {
    Requirement r;
    r.key = std::string(e.Get("key").scalar());
    r.op = std::string(e.Get("operator").scalar());
    for (const auto& v : e.Get("values").Items()) r.values.emplace_back(v.scalar());
    s.expressions.push_back(std::move(r));
  }
  return s;
}

Labels ReadLabels(const yaml::Node& obj) {
  Labels l;
  for (const auto& [k, v] : obj.Get("metadata").Get("labels").Entries())
    if (k.IsScalar() && v.IsScalar()) l[std::string(k.scalar())] = std::string(v.scalar());
  return l;
}

}  // namespace capstan::manifest
