// Schema::Describe: what the schema says about one instance path (for linters; see validator.h).
#include <cstdlib>
#include <set>

#include "jsonschema/schema_internal.h"

namespace capstan::jsonschema {
namespace {

// The nodes that apply at the same instance location as `start` (through $ref and the in-place applicators).
std::vector<const Node*> Closure(const std::vector<const Node*>& start) {
  std::vector<const Node*> out, stack(start.rbegin(), start.rend());
  std::set<const Node*> seen;
  while (!stack.empty()) {
    const Node* n = stack.back();
    stack.pop_back();
    if (!n || !seen.insert(n).second) continue;
    out.push_back(n);
    std::vector<const Node*> next;
    for (const Edge* e : {&n->ref, &n->dynamic_ref, &n->recursive_ref}) next.push_back(e->node);
    for (const auto* list : {&n->all_of, &n->any_of, &n->one_of})
      for (const auto& e : *list) next.push_back(e.node);
    for (const auto* opt : {&n->then_, &n->else_})
      if (*opt) next.push_back((*opt)->node);
    for (const auto& [name, e] : n->dependent_schemas) next.push_back(e.node);
    for (auto it = next.rbegin(); it != next.rend(); ++it) stack.push_back(*it);
  }
  return out;
}

bool ParseIndex(const std::string& s, size_t& out) {
  if (s.empty() || s.size() > 18) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  out = std::strtoull(s.c_str(), nullptr, 10);
  return true;
}

}  // namespace

PathInfo Schema::Describe(const std::vector<std::string>& path) const {
  PathInfo info;
  std::vector<const Node*> cur = Closure({impl_->root});
  for (const std::string& token : path) {
    std::vector<const Node*> next;
    bool defined = false, pattern = false, additional = false, forbidden = false, declares = false;
    std::vector<std::string> known;
    size_t index = 0;
    bool is_index = ParseIndex(token, index);
    for (const Node* n : cur) {
      if (n->is_bool) {
        if (!n->bool_value) forbidden = true;
        continue;
      }
      bool here = false;
      if (!n->properties.empty() || !n->pattern_properties.empty() || n->additional_properties ||
          n->unevaluated_properties)
        declares = true;
      for (const auto& [name, e] : n->properties) known.push_back(name);
      if (auto it = n->property_index.find(token); it != n->property_index.end()) {
        next.push_back(n->properties[it->second].second.node);
        defined = here = true;
      }
      for (const auto& pp : n->pattern_properties) {
        if (pp.regex->Search(token)) {
          next.push_back(pp.edge.node);
          pattern = here = true;
        }
      }
      if (is_index) {
        if (index < n->prefix_items.size()) {
          next.push_back(n->prefix_items[index].node);
          defined = here = true;
        } else if (n->items) {
          next.push_back(n->items->node);
          defined = here = true;
        } else if (n->additional_items) {
          next.push_back(n->additional_items->node);
          defined = here = true;
        }
      }
      if (!here) {
        const std::optional<Edge>& rest = n->additional_properties ? n->additional_properties : n->unevaluated_properties;
        if (rest) {
          if (rest->node->is_bool && !rest->node->bool_value) {
            forbidden = true;
          } else {
            additional = true;
            next.push_back(rest->node);
          }
        }
      }
    }
    info = PathInfo{};
    info.known_properties = known;
    if (defined) info.status = PathInfo::Status::kDefined;
    else if (pattern) info.status = PathInfo::Status::kPattern;
    else if (additional) info.status = PathInfo::Status::kAdditional;
    else if (forbidden) return info.status = PathInfo::Status::kForbidden, info;
    else if (declares) info.status = PathInfo::Status::kUndeclared;
    else info.status = PathInfo::Status::kUnconstrained;
    cur = Closure(next);
  }
  for (const Node* n : cur) {
    if (n->is_bool) continue;
    if (info.description.empty() && n->description) info.description = n->description->GetString();
    if (n->deprecated) info.deprecated = true;
    if (!info.default_value && n->default_value) info.default_value = n->default_value;
  }
  if (info.description.empty()) {
    for (const Node* n : cur)
      if (!n->is_bool && n->title) {
        info.description = n->title->GetString();
        break;
      }
  }
  if (path.empty()) info.status = PathInfo::Status::kDefined;
  return info;
}

}  // namespace capstan::jsonschema
