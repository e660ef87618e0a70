// Edit one ConfigMap value in real corpus files and check which workloads' digests change: exactly those that
// consume that key.
#include <catch2/catch.hpp>

#include <filesystem>

#include "manifest/config_refs.h"
#include "manifest/object.h"
#include "manifest/pod_template.h"
#include "manifest/stream.h"
#include "postrender_testing.h"
#include "support/test_support.h"
#include "yaml/editor.h"

using namespace capstan;

namespace {

struct Target {
  size_t doc;
  std::string cm, key;
};

// Which workloads consume key of ConfigMap cm (by name, all keys or that key).
std::set<std::string> Consumers(const std::string& stream, const std::string& cm, const std::string& key) {
  std::set<std::string> out;
  for (const auto& d : manifest::Split(stream)) {
    if (d.blank) continue;
    yaml::Tree t = yaml::Tree::Parse(d.text);
    manifest::ObjectInfo info = manifest::Describe(t.root());
    manifest::PodTemplate tmpl = manifest::FindPodTemplate(t.root(), info);
    if (!tmpl.node) continue;
    for (const auto& r : manifest::FindConfigRefs(tmpl.spec()))
      if (r.kind == manifest::ConfigKind::kConfigMap && r.name == cm && (r.all_keys || r.keys.count(key)))
        out.insert(info.Ref());
  }
  return out;
}

}  // namespace

TEST_CASE("corpus: changing one ConfigMap value changes the digest of exactly its consumers") {
  size_t checked = 0;
  for (const char* name : {"bitnami__harbor.yaml", "bitnami__redis.yaml", "istio__istiod.yaml", "bitnami__airflow.yaml",
                           "fluent__fluentd.yaml", "bitnami__kafka.yaml"}) {
    std::string input = test::Slurp(test::SharedDir() + "/corpus/rendered/" + name);
    postrender::Config cfg;
    auto before = test::Digests(test::PostRender(input, cfg));
    auto docs = manifest::Split(input);
    for (const auto& d : docs) {
      if (d.blank) continue;
      yaml::Tree t = yaml::Tree::Parse(d.text);
      manifest::ObjectInfo info = manifest::Describe(t.root());
      if (info.kind != "ConfigMap") continue;
      auto entries = t.root().Get("data").Entries();
      if (entries.empty()) continue;
      std::string key(entries.front().key.scalar());
      auto consumers = Consumers(input, info.name, key);
      if (consumers.empty()) continue;
      INFO(name << ": ConfigMap/" << info.name << " key " << key);
      // Change that one value through the edit layer.
      yaml::Edits e;
      yaml::Editor ed(t, e);
      ed.Set(t.root(), {"data", key}, yaml::Snippet::String(std::string(entries.front().value.scalar()) + "-changed"));
      ed.Commit();
      std::string changed = input.substr(0, d.offset) + e.Apply(d.text) + input.substr(d.offset + d.text.size());
      auto after = test::Digests(test::PostRender(changed, cfg));
      REQUIRE(after.size() == before.size());
      for (const auto& [w, digest] : before) CHECK((after[w] != digest) == (consumers.count(w) == 1));
      ++checked;
    }
  }
  CHECK(checked >= 10);
}
