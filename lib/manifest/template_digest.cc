#include "manifest/template_digest.h"

#include <algorithm>

#include "digest/sha256.h"
#include "yaml/yaml11.h"

namespace capstan::manifest {

namespace {

// Length-prefixed tokens: no key or value can forge another's structure.
void Token(std::string& out, std::string_view s) {
  out += std::to_string(s.size());
  out += ':';
  out += s;
}

bool Contains(const std::vector<std::string>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// True when metadata.annotations holds nothing but excluded keys: then it counts as absent (Kubernetes drops an
// empty annotations map), so adding Capstan's annotations to a template that had none changes nothing.
bool OnlyExcluded(const yaml::Node& annotations, const TemplateDigestExclusions& ex) {
  if (!annotations.IsMapping()) return annotations.IsNull();
  for (const auto& e : annotations.MergedEntries())
    if (!Contains(ex.annotations, e.key.scalar())) return false;
  return true;
}

// path: the mapping keys from the template down to n ("metadata", "annotations"); "-" for a sequence item.
void Canon(const yaml::Node& n, std::vector<std::string>& path, const TemplateDigestExclusions& ex, std::string& out) {
  if (!n) {
    out += "~";
    return;
  }
  if (n.IsMapping()) {
    std::vector<yaml::NodePair> entries = n.MergedEntries();
    std::vector<std::pair<std::string, yaml::Node>> sorted;
    bool annotations = path.size() == 2 && path[0] == "metadata" && path[1] == "annotations";
    for (const auto& e : entries) {
      std::string key(e.key.scalar());
      if (annotations && Contains(ex.annotations, key)) continue;
      if (path.size() == 1 && path[0] == "metadata" && key == "annotations" && OnlyExcluded(e.value, ex)) continue;
      sorted.emplace_back(std::move(key), e.value);
    }
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    out += "{";
    for (const auto& [key, value] : sorted) {
      Token(out, key);
      path.push_back(key);
      Canon(value, path, ex, out);
      path.pop_back();
    }
    out += "}";
    return;
  }
  if (n.IsSequence()) {
    bool containers = path.size() == 2 && path[0] == "spec" && (path[1] == "containers" || path[1] == "initContainers");
    out += "[";
    for (const auto& item : n.Items()) {
      if (containers && item.IsMapping() && Contains(ex.containers, item.Get("name").scalar())) continue;
      path.push_back("-");
      Canon(item, path, ex, out);
      path.pop_back();
    }
    out += "]";
    return;
  }
  Token(out, yaml::Canonical(yaml::Resolve(n)));
}

}  // namespace

std::string CanonicalTemplate(const yaml::Node& pod_template, const TemplateDigestExclusions& exclusions) {
  std::string out = "capstan-template-digest/v1;";
  std::vector<std::string> path;
  Canon(pod_template, path, exclusions, out);
  return out;
}

std::string TemplateDigest(const yaml::Node& pod_template, const TemplateDigestExclusions& exclusions) {
  return "sha256:" + Sha256::Hex(CanonicalTemplate(pod_template, exclusions));
}

}  // namespace capstan::manifest
