// FindConfigRefs: every way a pod spec consumes a ConfigMap or Secret (volumes with and without items, projected
// sources, envFrom, single-key env references in init, regular and ephemeral containers), merged per object, and
// optional only when every use is optional.
#include <catch2/catch.hpp>

#include "manifest/config_refs.h"
#include "yaml/tree.h"

using namespace capstan;
using manifest::ConfigKind;
using manifest::ConfigRef;

namespace {

const char* kSpec = R"(
volumes:
  - name: config
    configMap: {name: app-config}
  - name: tls
    secret: {secretName: app-tls, items: [{key: tls.crt, path: c}, {key: tls.key, path: k}]}
  - name: bundle
    projected:
      sources:
        - configMap: {name: ca-bundle, items: [{key: ca.crt, path: ca.crt}], optional: true}
        - secret: {name: app-tls, items: [{key: ca.crt, path: ca}]}
  - name: scratch
    emptyDir: {}
initContainers:
  - name: init
    envFrom:
      - configMapRef: {name: app-config}
containers:
  - name: app
    env:
      - name: DB_PASSWORD
        valueFrom: {secretKeyRef: {name: db, key: password}}
      - name: MODE
        valueFrom: {configMapKeyRef: {name: flags, key: mode, optional: true}}
      - name: PLAIN
        value: x
      - name: POD
        valueFrom: {fieldRef: {fieldPath: metadata.name}}
    envFrom:
      - secretRef: {name: extra, optional: true}
ephemeralContainers:
  - name: debug
    env:
      - name: DB_USER
        valueFrom: {secretKeyRef: {name: db, key: user}}
)";

const ConfigRef* Find(const std::vector<ConfigRef>& refs, ConfigKind kind, const std::string& name) {
  for (const auto& r : refs)
    if (r.kind == kind && r.name == name) return &r;
  return nullptr;
}

}  // namespace

TEST_CASE("FindConfigRefs: volumes, projected sources, envFrom and env key references, merged per object") {
  auto tree = yaml::Tree::Parse(kSpec);
  auto refs = manifest::FindConfigRefs(tree.root());
  REQUIRE(refs.size() == 6);
  // Sorted by kind (ConfigMaps first), then name.
  std::vector<std::string> order;
  for (const auto& r : refs) order.push_back(std::string(manifest::ConfigKindName(r.kind)) + "/" + r.name);
  CHECK(order == std::vector<std::string>{"ConfigMap/app-config", "ConfigMap/ca-bundle", "ConfigMap/flags",
                                          "Secret/app-tls", "Secret/db", "Secret/extra"});

  const ConfigRef* config = Find(refs, ConfigKind::kConfigMap, "app-config");
  REQUIRE(config);
  CHECK(config->all_keys);
  CHECK(config->keys.empty());
  CHECK_FALSE(config->optional);
  CHECK(config->via == std::vector<std::string>{"volume config", "envFrom (init container init)"});

  const ConfigRef* tls = Find(refs, ConfigKind::kSecret, "app-tls");
  REQUIRE(tls);
  CHECK_FALSE(tls->all_keys);
  CHECK(tls->keys == std::set<std::string>{"ca.crt", "tls.crt", "tls.key"});
  CHECK(tls->via == std::vector<std::string>{"volume tls", "projected volume bundle"});

  const ConfigRef* bundle = Find(refs, ConfigKind::kConfigMap, "ca-bundle");
  REQUIRE(bundle);
  CHECK(bundle->optional);
  CHECK(bundle->keys == std::set<std::string>{"ca.crt"});

  const ConfigRef* db = Find(refs, ConfigKind::kSecret, "db");
  REQUIRE(db);
  CHECK_FALSE(db->all_keys);
  CHECK(db->keys == std::set<std::string>{"password", "user"});  // only the referenced keys count
  CHECK_FALSE(db->optional);
  CHECK(db->via == std::vector<std::string>{"env DB_PASSWORD (container app)", "env DB_USER (ephemeral container debug)"});

  const ConfigRef* flags = Find(refs, ConfigKind::kConfigMap, "flags");
  REQUIRE(flags);
  CHECK(flags->optional);
  CHECK(flags->keys == std::set<std::string>{"mode"});

  const ConfigRef* extra = Find(refs, ConfigKind::kSecret, "extra");
  REQUIRE(extra);
  CHECK(extra->all_keys);
  CHECK(extra->optional);
}

TEST_CASE("FindConfigRefs: all keys win over single keys, empty or templated-away names and non-maps are skipped") {
  auto tree = yaml::Tree::Parse(R"(
volumes:
  - name: a
    configMap: {name: cfg, items: [{key: one, path: one}]}
  - name: b
    configMap: {name: cfg}
  - name: c
    configMap: {name: ""}
  - name: d
    secret: {secretName: null}
containers:
  - name: app
    env:
      - name: X
        valueFrom: {configMapKeyRef: {name: cfg, key: two}}
)");
  auto refs = manifest::FindConfigRefs(tree.root());
  REQUIRE(refs.size() == 1);
  CHECK(refs[0].name == "cfg");
  CHECK(refs[0].all_keys);
  CHECK(refs[0].keys.empty());
  CHECK(refs[0].via.size() == 3);
  CHECK(manifest::FindConfigRefs(yaml::Tree::Parse("[1, 2]").root()).empty());
  CHECK(manifest::FindConfigRefs(yaml::Tree::Parse("containers: []").root()).empty());
}
