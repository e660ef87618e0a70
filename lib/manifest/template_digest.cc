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
void Walk(const yaml::Node& n, std::vector<std::string>& path, const TemplateDigestExclusions& ex,
          TemplateVisitor& v) {
  if (!n) {
    v.Missing();
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
    v.BeginMapping(sorted.size());
    for (const auto& [key, value] : sorted) {
      v.Key(key);
      path.push_back(key);
      Walk(value, path, ex, v);
      path.pop_back();
      v.EndKey();
    }
    v.EndMapping();
    return;
  }
  if (n.IsSequence()) {
    bool containers = path.size() == 2 && path[0] == "spec" && (path[1] == "containers" || path[1] == "initContainers");
    std::vector<yaml::Node> items;
    for (const auto& item : n.Items())
      if (!(containers && item.IsMapping() && Contains(ex.containers, item.Get("name").scalar())))
        items.push_back(item);
    v.BeginSequence(items);
    for (size_t i = 0; i < items.size(); ++i) {
      v.Item(i);
      path.push_back("-");
      Walk(items[i], path, ex, v);
      path.pop_back();
      v.EndItem();
    }
    v.EndSequence();
    return;
  }
  v.Scalar(yaml::Canonical(yaml::Resolve(n)));
}

// The digest's canonical text: length-prefixed keys and scalars, {} and [] around collections.
class CanonWriter : public TemplateVisitor {
 public:
  explicit CanonWriter(std::string& out) : out_(out) {}
  void BeginMapping(size_t) override { out_ += "{"; }
  void Key(std::string_view key) override { Token(out_, key); }
  void EndMapping() override { out_ += "}"; }
  void BeginSequence(const std::vector<yaml::Node>&) override { out_ += "["; }
  void EndSequence() override { out_ += "]"; }
  void Scalar(std::string_view canonical) override { Token(out_, canonical); }
  void Missing() override { out_ += "~"; }

 private:
  std::string& out_;
};

}  // namespace

TemplateDigestExclusions CapstanWrites(const std::string& digest_annotation, const std::string& wait_container) {
  return {{digest_annotation, "capstan.dev/ordered-start-digest", "kubectl.kubernetes.io/default-container"},
          {wait_container, "capstan-ordered-start", "capstan-mark-ready"}};
}

void WalkTemplate(const yaml::Node& pod_template, const TemplateDigestExclusions& exclusions, TemplateVisitor& v) {
  std::vector<std::string> path;
  Walk(pod_template, path, exclusions, v);
}

std::string CanonicalTemplate(const yaml::Node& pod_template, const TemplateDigestExclusions& exclusions) {
  std::string out = "capstan-template-digest/v1;";
  CanonWriter w(out);
  WalkTemplate(pod_template, exclusions, w);
  return out;
}

std::string TemplateDigest(const yaml::Node& pod_template, const TemplateDigestExclusions& exclusions) {
  return "sha256:" + Sha256::Hex(CanonicalTemplate(pod_template, exclusions));
}

}  // namespace capstan::manifest
