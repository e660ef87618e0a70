// Kubernetes label selectors (matchLabels and matchExpressions with In, NotIn, Exists, DoesNotExist), read from
// a manifest, and matched against a pod template's labels.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "yaml/tree.h"

namespace capstan::manifest {

using Labels = std::map<std::string, std::string>;

struct Requirement {
  std::string key, op;  // In, NotIn, Exists, DoesNotExist
  std::vector<std::string> values;
};

struct Selector {
  Labels match_labels;
  std::vector<Requirement> expressions;
  bool empty() const { return match_labels.empty() && expressions.empty(); }
  // An empty selector matches nothing here (a PDB with an empty selector selects every pod in policy/v1, but
  // Capstan treats it as unknown rather than as covering everything).
  bool Matches(const Labels& labels) const;
};

Selector ReadSelector(const yaml::Node& selector);
Labels ReadLabels(const yaml::Node& with_metadata);

}  // namespace capstan::manifest
