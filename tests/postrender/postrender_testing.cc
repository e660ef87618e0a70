#include "postrender_testing.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "manifest/config_refs.h"

#include "manifest/object.h"
#include "manifest/pod_template.h"
#include "manifest/stream.h"
#include "postrender/filters/all_filters.h"
#include "postrender/pipeline.h"
#include "yaml/yaml11.h"

namespace capstan::test {

std::string PostRender(const std::string& input, const postrender::Config& config, postrender::Report* report) {
  postrender::Report local;
  postrender::Pipeline p(config.pipeline, postrender::MakeFilters(config));
  std::string out;
  p.Run(input, [&](std::string_view s) { out.append(s); }, report ? *report : local);
  return out;
}

namespace {
void Walk(const yaml::Node& n, const std::string& path, std::vector<std::string>& out) {
  if (n.IsMapping()) {
    std::string order = path + " {";
    for (const auto& [k, v] : n.Entries()) {
      std::string key(k.scalar());
      order += key + ",";
      Walk(v, path + "/" + key, out);
    }
    out.push_back(order + "}");
  } else if (n.IsSequence()) {
    size_t i = 0;
    for (const auto& item : n.Items()) Walk(item, path + "/" + std::to_string(i++), out);
    out.push_back(path + " [" + std::to_string(i) + "]");
  } else {
    out.push_back(path + " = " + yaml::Canonical(yaml::Resolve(n)) + " !" +
                  std::to_string(static_cast<int>(n.style())));
  }
}
}  // namespace

std::vector<std::string> TypedLines(const yaml::Node& root) {
  std::vector<std::string> out;
  if (root) Walk(root, "", out);
  return out;
}

std::vector<std::string> CommentLines(std::string_view text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    std::string_view line = text.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    size_t i = line.find_first_not_of(' ');
    if (i != std::string_view::npos && line[i] == '#') out.emplace_back(line);
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  return out;
}

std::map<std::string, std::string> Digests(const std::string& stream, const std::string& annotation) {
  std::map<std::string, std::string> out;
  for (const auto& d : manifest::Split(stream)) {
    if (d.blank) continue;
    yaml::Tree t = yaml::Tree::Parse(d.text);
    manifest::ObjectInfo info = manifest::Describe(t.root());
    manifest::PodTemplate tmpl = manifest::FindPodTemplate(t.root(), info);
    if (!tmpl.node) continue;
    std::string_view v = manifest::Annotation(tmpl.node, annotation);
    if (!v.empty()) out[info.Ref()] = std::string(v);
  }
  return out;
}

namespace {
// "path {a,b,}" -> its keys; false when line is not a mapping's key-order line.
bool OrderLine(const std::string& line, std::string* path, std::vector<std::string>* keys) {
  size_t brace = line.find(" {");
  if (brace == std::string::npos || line.empty() || line.back() != '}') return false;
  *path = line.substr(0, brace);
  keys->clear();
  std::string inner = line.substr(brace + 2, line.size() - brace - 3);
  for (size_t pos = 0; pos < inner.size();) {
    size_t comma = inner.find(',', pos);
    if (comma == std::string::npos) comma = inner.size();
    keys->push_back(inner.substr(pos, comma - pos));
    pos = comma + 1;
  }
  return true;
}

// An edited key-order line that is an original one with only "metadata" or "annotations" keys added (a pod
// template without metadata gets the map that holds the digest): the original line it stands for.
std::multiset<std::string>::iterator AddedMetadataKey(const std::string& line, std::multiset<std::string>& orig) {
  std::string path;
  std::vector<std::string> keys;
  if (!OrderLine(line, &path, &keys)) return orig.end();
  for (auto it = orig.lower_bound(path + " {"); it != orig.end() && it->rfind(path + " {", 0) == 0; ++it) {
    std::string opath;
    std::vector<std::string> okeys;
    if (!OrderLine(*it, &opath, &okeys) || opath != path) continue;
    std::vector<std::string> kept;
    for (const auto& k : keys)
      if ((k != "metadata" && k != "annotations") || std::find(okeys.begin(), okeys.end(), k) != okeys.end())
        kept.push_back(k);
    if (kept == okeys) return it;
  }
  return orig.end();
}
}  // namespace

bool OnlyInjected(const std::vector<std::string>& original, const std::vector<std::string>& edited) {
  std::multiset<std::string> orig(original.begin(), original.end());
  for (const auto& line : edited) {
    auto it = orig.find(line);
    if (it == orig.end()) it = AddedMetadataKey(line, orig);
    if (it != orig.end()) {
      orig.erase(it);
      continue;
    }
    bool injected = line.find("capstan.dev/config-digest") != std::string::npos ||
                    line.find("/annotations {") != std::string::npos || line.find("/metadata {") != std::string::npos;
    if (!injected) {
      UNSCOPED_INFO("unexpected line in the edited document: " << line);
      return false;
    }
  }
  // Everything the original had must still be there, except container orderings that list annotations.
  for (const auto& line : orig) {
    if (line.find("/annotations {") != std::string::npos || line.find("/metadata {") != std::string::npos) continue;
    // a null "annotations:" became the mapping that holds the digest
    if (line.size() > 20 && line.find("/annotations = null") != std::string::npos) continue;
    UNSCOPED_INFO("lost from the original document: " << line);
    return false;
  }
  return true;
}

std::set<std::string> ConsumersOfReleaseConfig(const std::string& stream, const std::string& release_namespace,
                                               bool include_hooks) {
  struct Workload {
    std::string ref, namespace_;
    std::vector<manifest::ConfigRef> refs;
  };
  std::set<std::string> defined;  // "ConfigMap ns/name"
  std::vector<Workload> workloads;
  for (const auto& d : manifest::Split(stream)) {
    if (d.blank) continue;
    yaml::Tree t = yaml::Tree::Parse(d.text);
    manifest::ObjectInfo info = manifest::Describe(t.root());
    if (!info.is_object || (info.IsHook() && !include_hooks)) continue;
    std::string ns = info.namespace_.empty() ? release_namespace : info.namespace_;
    if (info.kind == "ConfigMap" || info.kind == "Secret") defined.insert(info.kind + " " + ns + "/" + info.name);
    manifest::PodTemplate tmpl = manifest::FindPodTemplate(t.root(), info);
    if (tmpl.node) workloads.push_back({info.Ref(), ns, manifest::FindConfigRefs(tmpl.spec())});
  }
  std::set<std::string> out;
  for (const auto& w : workloads)
    for (const auto& r : w.refs) {
      if (defined.count(std::string(manifest::ConfigKindName(r.kind)) + " " + w.namespace_ + "/" + r.name))
        out.insert(w.ref);
    }
  return out;
}

std::vector<std::string> CorpusFiles(const std::string& dir) {
  std::vector<std::string> files;
  for (const char* sub : {"rendered", "helm4-input"})
    for (const auto& e : std::filesystem::directory_iterator(dir + "/" + sub))
      if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace capstan::test
