#include "plan/fingerprint.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "digest/sha256.h"
#include "manifest/config_data.h"
#include "manifest/config_refs.h"
#include "manifest/namespaces.h"
#include "manifest/stream.h"
#include "manifest/workload_annotation.h"
#include "util/error.h"
#include "util/strings.h"

namespace capstan::plan {

namespace {

// "spec" + "containers" -> "spec.containers"; a key that would read as path syntax is quoted: ["a.b/c"].
std::string KeySegment(std::string_view key, bool first) {
  bool plain = !key.empty() && key.find_first_of(".[]\"") == std::string_view::npos;
  if (plain) return (first ? "" : ".") + std::string(key);
  std::string out = "[\"";
  for (char c : key) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"]";
}

// Leaf paths of the canonical template walk; items of a list whose items all have a distinct scalar name are
// addressed by that name.
class FieldCollector : public manifest::TemplateVisitor {
 public:
  std::map<std::string, std::string> fields;

  void BeginMapping(size_t entries) override {
    if (entries == 0) fields[Path()] = "{}";
  }
  void Key(std::string_view key) override { parts_.push_back(KeySegment(key, parts_.empty())); }
  void EndKey() override { parts_.pop_back(); }
  void BeginSequence(const std::vector<yaml::Node>& items) override {
    if (items.empty()) fields[Path()] = "[]";
    std::vector<std::string> labels;
    std::set<std::string> names;
    bool named = true;
    for (const auto& item : items) {
      yaml::Node n = item.IsMapping() ? item.Get("name") : yaml::Node();
      if (!n || !n.IsScalar() || n.scalar().empty() || !names.insert(std::string(n.scalar())).second) {
        named = false;
        break;
      }
    }
    for (size_t i = 0; i < items.size(); ++i)
      labels.push_back("[" + (named ? std::string(items[i].Get("name").scalar()) : std::to_string(i)) + "]");
    // Kubernetes compares the whole template, order included: a reorder of named items rolls the pods, so the order
    // is a field of its own (an insertion or removal changes it too, and is named by its item).
    if (named && items.size() > 1) {
      std::string order;
      for (const auto& label : labels) order += label;
      fields[Path() + " (order)"] = order;
    }
    labels_.push_back(std::move(labels));
  }
  void Item(size_t index) override { parts_.push_back(labels_.back()[index]); }
  void EndItem() override { parts_.pop_back(); }
  void EndSequence() override { labels_.pop_back(); }
  void Scalar(std::string_view canonical) override { fields[Path()] = std::string(canonical); }

 private:
  std::string Path() const {
    std::string p;
    for (const auto& s : parts_) p += s;
    return p;
  }
  std::vector<std::string> parts_;
  std::vector<std::vector<std::string>> labels_;
};

bool IsImagePath(const std::string& path) {
  for (const char* list : {"spec.containers[", "spec.initContainers[", "spec.ephemeralContainers["})
    if (StartsWith(path, list)) return path.size() > 7 && path.compare(path.size() - 7, 7, "].image") == 0;
  return false;
}

bool IgnoredEnv(const std::string& path, const std::vector<std::string>& ignored) {
  for (const auto& name : ignored)
    if (path.find(".env[" + name + "]") != std::string::npos) return true;
  return false;
}

Rollout RolloutOf(const manifest::ObjectInfo& info, const yaml::Node& root, const manifest::PodTemplate& tmpl) {
  const std::string& k = info.kind;
  std::string group = info.Group();
  if (group == "batch" && (k == "Job" || k == "CronJob")) return Rollout::kRunsAgain;
  if ((group.empty() && k == "Pod") || (group == "apps" && k == "ReplicaSet")) return Rollout::kNoRollout;
  yaml::Node spec = root.Get("spec");
  if (group == "apps" && k == "Deployment" && spec.Get("strategy").Get("type").scalar() == "Recreate")
    return Rollout::kRecreate;
  if (group == "apps" && (k == "StatefulSet" || k == "DaemonSet")) {
    if (spec.Get("updateStrategy").Get("type").scalar() == "OnDelete") return Rollout::kOnDelete;
    // Ordered start (docs/wait.md) makes the post-renderer set OnDelete.
    if (k == "StatefulSet" && ToLower(manifest::WorkloadAnnotation(root, tmpl, "capstan.dev/ordered-start")) == "true")
      return Rollout::kOnDelete;
  }
  return Rollout::kRollingUpdate;
}

struct ConfigObject {
  manifest::ConfigData data;
};
using ConfigKey = std::tuple<std::string, manifest::ConfigKind, std::string>;  // namespace, kind, name

// The objects a reference from a pod in namespace ns resolves to, as the post-renderer's checksum filter resolves
// them: the one in ns; else (while a namespace is unknown) every object of that kind and name whose namespace may be
// ns. More than one: ambiguous, and a change to any of them counts.
std::vector<std::pair<const ConfigKey*, const ConfigObject*>> Resolve(const std::map<ConfigKey, ConfigObject>& objects,
                                                                      const std::string& ns, manifest::ConfigKind kind,
                                                                      const std::string& name) {
  if (auto it = objects.find({ns, kind, name}); it != objects.end()) return {{&it->first, &it->second}};
  std::vector<std::pair<const ConfigKey*, const ConfigObject*>> maybe;
  for (const auto& [key, object] : objects)
    if (std::get<1>(key) == kind && std::get<2>(key) == name &&
        manifest::CompareNamespaces(ns, std::get<0>(key)) == manifest::SameNamespace::kMaybe)
      maybe.emplace_back(&key, &object);
  return maybe;
}

// The digest of a key over every object the reference resolves to ("absent" where an object lacks it).
std::string KeyDigest(const std::vector<std::pair<const ConfigKey*, const ConfigObject*>>& found, const std::string& k,
                      const std::string& hmac_key) {
  if (found.size() == 1) {
    auto kd = found[0].second->data.key_digests.find(k);
    return kd == found[0].second->data.key_digests.end() ? "absent" : ShortDigest(kd->second, hmac_key);
  }
  std::string all;
  for (const auto& [key, object] : found) {
    auto kd = object->data.key_digests.find(k);
    all += std::get<0>(*key) + "=" + (kd == object->data.key_digests.end() ? "absent" : kd->second) + ";";
  }
  return ShortDigest(all, hmac_key);
}

}  // namespace

const char* RolloutName(Rollout r) {
  switch (r) {
    case Rollout::kRollingUpdate: return "rolling-update";
    case Rollout::kRecreate: return "recreate";
    case Rollout::kOnDelete: return "on-delete";
    case Rollout::kRunsAgain: return "runs-again";
    case Rollout::kNoRollout: return "none";
  }
  return "rolling-update";
}

bool ParseRollout(std::string_view name, Rollout* r) {
  for (Rollout c : {Rollout::kRollingUpdate, Rollout::kRecreate, Rollout::kOnDelete, Rollout::kRunsAgain,
                    Rollout::kNoRollout})
    if (name == RolloutName(c)) {
      *r = c;
      return true;
    }
  return false;
}

std::string KeyId(const std::string& hmac_key) {
  // A digest of a fixed text under the key: equal for equal keys, and it tells nothing of the key.
  return ShortDigest("capstan plan: which HMAC key", hmac_key);
}

std::string ShortDigest(std::string_view value, const std::string& hmac_key) {
  if (!hmac_key.empty()) {
    HmacSha256 h(hmac_key);
    h.Update(value);
    return h.HexDigest().substr(0, 16);
  }
  return Sha256::Hex(value).substr(0, 16);
}

std::map<std::string, std::string> TemplateFields(const yaml::Node& pod_template,
                                                  const manifest::TemplateDigestExclusions& exclusions) {
  FieldCollector c;
  manifest::WalkTemplate(pod_template, exclusions, c);
  return std::move(c.fields);
}

std::vector<Fingerprint> FingerprintStream(std::string_view stream, const FingerprintOptions& options,
                                           const std::string& origin) {
  struct Parsed {
    const manifest::Document* doc;
    yaml::Tree tree;
    manifest::ObjectInfo info;
    std::string ns;
  };
  std::vector<manifest::Document> docs = manifest::Split(stream);
  std::vector<Parsed> parsed;
  for (const auto& d : docs) {
    if (d.blank) continue;
    yaml::ParseOptions po;
    po.first_line = d.first_line;
    try {
      yaml::Tree tree = yaml::Tree::Parse(d.text, po);
      if (!tree.root().IsMapping()) continue;
      manifest::ObjectInfo info = manifest::Describe(tree.root());
      if (!info.is_object) continue;
      std::string ns = info.namespace_.empty() ? options.release_namespace : info.namespace_;
      parsed.push_back({&d, std::move(tree), std::move(info), std::move(ns)});
    } catch (const yaml::ParseError& e) {
      throw Error(origin + ", document " + std::to_string(d.index + 1) +
                  (d.source.empty() ? "" : " (# Source: " + std::string(d.source) + ")") + ", line " +
                  std::to_string(d.first_line + e.line() + 1) + ": invalid YAML: " + e.reason() +
                  ". Give capstan plan the output of helm template (or a capstan-postrender report)");
    }
  }
  std::map<ConfigKey, ConfigObject> objects;
  for (const auto& p : parsed) {
    if (p.info.api_version != "v1") continue;
    manifest::ConfigKind kind;
    if (p.info.kind == "ConfigMap") kind = manifest::ConfigKind::kConfigMap;
    else if (p.info.kind == "Secret") kind = manifest::ConfigKind::kSecret;
    else continue;
    objects.emplace(ConfigKey{p.ns, kind, p.info.name}, ConfigObject{manifest::ReadConfigData(p.tree.root(), kind)});
  }
  std::vector<Fingerprint> out;
  for (const auto& p : parsed) {
    const yaml::Node root = p.tree.root();
    manifest::PodTemplate tmpl = manifest::FindPodTemplate(root, p.info, options.extra_kinds);
    if (!tmpl.node) continue;
    Fingerprint f;
    f.kind = p.info.kind;
    f.namespace_ = p.ns;
    f.name = p.info.name;
    f.source = std::string(p.doc->source);
    f.algorithm = options.hmac_key.empty() ? "sha256" : "hmac-sha256";
    if (!options.hmac_key.empty()) f.key_id = KeyId(options.hmac_key);
    f.rollout = RolloutOf(p.info, root, tmpl);
    for (auto& [path, value] : TemplateFields(tmpl.node, options.exclusions)) {
      if (IgnoredEnv(path, options.ignored_env)) continue;
      if (IsImagePath(path)) f.images[path] = StartsWith(value, "str:") ? value.substr(4) : value;
      else f.fields[path] = ShortDigest(value, options.hmac_key);
    }
    std::string opt = ToLower(manifest::WorkloadAnnotation(root, tmpl, options.opt_annotation));
    f.config_rolls = options.checksum && opt != "false" && (!options.opt_in || opt == "true");
    for (const auto& ref : manifest::FindConfigRefs(tmpl.spec())) {
      ConfigFingerprint c;
      c.kind = manifest::ConfigKindName(ref.kind);
      c.name = ref.name;
      c.all_keys = ref.all_keys;
      auto found = Resolve(objects, p.ns, ref.kind, ref.name);
      c.present = !found.empty();
      std::set<std::string> keys(ref.keys.begin(), ref.keys.end());
      if (ref.all_keys)
        for (const auto& [key, object] : found)
          for (const auto& [k, d] : object->data.key_digests) keys.insert(k);
      if (c.present || !ref.all_keys)
        for (const auto& k : keys) c.keys[k] = found.empty() ? "absent" : KeyDigest(found, k, options.hmac_key);
      f.config.push_back(std::move(c));
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace capstan::plan
