// The plan: which workloads roll and why, from two rendered streams (lib/plan/plan.h), and its three views.
#include <catch2/catch.hpp>

#include "plan/plan.h"
#include "plan/render.h"
#include "plan/report_json.h"
#include "util/error.h"
#include "util/json_writer.h"

using namespace capstan;

namespace {

// A release: a ConfigMap, a Secret and a Deployment consuming a key of each, with an env value and two volumes.
struct Release {
  std::string image = "portal:7.4";
  std::string java_opts = "-Xmx1g";
  std::string properties = "a=1";
  std::string password = "hunter2-old";
  std::string volumes = "    - {name: config, configMap: {name: portal-config}}\n"
                        "    - {name: data, emptyDir: {}}\n";
  std::string extra_container;
  std::string annotations;
  std::string Text() const {
    return "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: portal-config}\ndata:\n"
           "  portal-ext.properties: \"" + properties + "\"\n  other: x\n"
           "---\napiVersion: v1\nkind: Secret\nmetadata: {name: portal-db}\nstringData:\n  password: " + password +
           "\n  user: portal\n"
           "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: portal}\nspec:\n  template:\n"
           "    metadata:\n      labels: {app: portal}\n" + annotations +
           "    spec:\n      containers:\n      - name: app\n        image: " + image + "\n        env:\n"
           "        - {name: JAVA_OPTS, value: \"" + java_opts + "\"}\n"
           "        - name: DB_PASSWORD\n          valueFrom: {secretKeyRef: {name: portal-db, key: password}}\n"
           "        volumeMounts: [{name: config, mountPath: /etc/portal}]\n" + extra_container +
           "      volumes:\n" + Indent(volumes) + "\n";
  }
  static std::string Indent(const std::string& s) {
    std::string out;
    size_t start = 0;
    while (start < s.size()) {
      size_t end = s.find('\n', start);
      out += "    " + s.substr(start, end - start) + "\n";
      start = end == std::string::npos ? s.size() : end + 1;
    }
    if (!out.empty()) out.pop_back();
    return out;
  }
};

std::vector<plan::Fingerprint> F(const std::string& stream, const std::string& key = "") {
  plan::FingerprintOptions o;
  o.hmac_key = key;
  return plan::FingerprintStream(stream, o, "test.yaml");
}

plan::Plan P(const Release& a, const Release& b) { return plan::Compare(F(a.Text()), F(b.Text())); }

plan::Entry Only(const plan::Plan& p) {  // a copy: the plan is often a temporary
  REQUIRE(p.entries.size() == 1);
  return p.entries[0];
}

// Every view of a plan, and the report JSON of both sides' fingerprints.
std::string AllOutput(const plan::Plan& p, const std::vector<plan::Fingerprint>& a,
                      const std::vector<plan::Fingerprint>& b) {
  std::string out = plan::RenderJson(p) + plan::RenderText(p) + plan::RenderMarkdown(p);
  for (const auto* side : {&a, &b})
    for (const auto& f : *side) {
      JsonWriter w;
      plan::WriteFingerprint(w, f);
      out += w.str();
    }
  return out;
}

}  // namespace

TEST_CASE("plan: identical inputs roll nothing") {
  Release r;
  plan::Plan p = P(r, r);
  CHECK(Only(p).status == plan::Status::kUnchanged);
  CHECK(p.Count(plan::Status::kRolls) == 0);
  CHECK_FALSE(p.Changes());
  CHECK(plan::RenderText(p).find("unchanged: 1") != std::string::npos);
}

TEST_CASE("plan: an image change names the container and both images") {
  Release a, b;
  b.image = "portal:7.5";
  const plan::Entry& e = Only(P(a, b));
  CHECK(e.status == plan::Status::kRolls);
  REQUIRE(e.reasons.size() == 1);  // the image path is not also a template change
  CHECK(e.reasons[0].type == plan::Reason::Type::kImage);
  CHECK(e.reasons[0].container == "spec.containers[app]");
  CHECK(e.reasons[0].old_image == "portal:7.4");
  CHECK(e.reasons[0].new_image == "portal:7.5");
  CHECK(plan::Why(e) == "image spec.containers[app]: portal:7.4 -> portal:7.5");
}

TEST_CASE("plan: an env value change is named by its path, by name not index") {
  Release a, b;
  b.java_opts = "-Xmx2g";
  const plan::Entry& e = Only(P(a, b));
  REQUIRE(e.reasons.size() == 1);
  CHECK(e.reasons[0].type == plan::Reason::Type::kTemplate);
  CHECK(e.reasons[0].paths == std::vector<std::string>{"spec.containers[app].env[JAVA_OPTS].value"});
}

TEST_CASE("plan: a container added is one path, marked added") {
  Release a, b;
  b.extra_container = "      - {name: sidecar, image: 'envoy:1', args: [a, b]}\n";
  const plan::Entry& e = Only(P(a, b));
  REQUIRE(e.reasons.size() == 1);
  CHECK(e.reasons[0].paths == std::vector<std::string>{"spec.containers[sidecar] (added)"});
  // and removed the other way round
  const plan::Entry& back = Only(P(b, a));
  CHECK(back.reasons[0].paths == std::vector<std::string>{"spec.containers[sidecar] (removed)"});
}

TEST_CASE("plan: a volume reorder rolls as an order change (Kubernetes compares the order), an insertion names the volume") {
  Release a, b, c;
  b.volumes = "    - {name: data, emptyDir: {}}\n    - {name: config, configMap: {name: portal-config}}\n";
  const plan::Entry& reordered = Only(P(a, b));
  CHECK(reordered.status == plan::Status::kRolls);
  REQUIRE(reordered.reasons.size() == 1);
  CHECK(reordered.reasons[0].paths == std::vector<std::string>{"spec.volumes (order)"});
  c.volumes = "    - {name: tmp, emptyDir: {}}\n" + a.volumes;
  const plan::Entry& e = Only(P(a, c));
  REQUIRE(e.reasons.size() == 1);
  CHECK(e.reasons[0].paths == std::vector<std::string>{"spec.volumes[tmp] (added)"});
}

TEST_CASE("plan: a config key change names the object and the key") {
  Release a, b;
  b.properties = "a=2";
  const plan::Entry& e = Only(P(a, b));
  REQUIRE(e.reasons.size() == 1);
  CHECK(e.reasons[0].type == plan::Reason::Type::kConfig);
  CHECK(e.reasons[0].object == "ConfigMap/portal-config");
  CHECK(e.reasons[0].keys == std::vector<std::string>{"portal-ext.properties"});
  CHECK(plan::Why(e) == "ConfigMap/portal-config key portal-ext.properties");
}

TEST_CASE("plan: a Secret key change names the key and no output holds a value") {
  Release a, b;
  b.password = "s3cret-new-value";
  auto fa = F(a.Text(), GENERATE(std::string(), std::string("hmac-key")));
  auto fb = F(b.Text(), fa[0].algorithm == "sha256" ? "" : "hmac-key");
  plan::Plan p = plan::Compare(fa, fb);
  const plan::Entry& e = Only(p);
  REQUIRE(e.reasons.size() == 1);
  CHECK(e.reasons[0].object == "Secret/portal-db");
  CHECK(e.reasons[0].keys == std::vector<std::string>{"password"});
  std::string all = AllOutput(p, fa, fb);
  CHECK(all.find("password") != std::string::npos);  // the key is named...
  for (const char* value : {"hunter2-old", "s3cret-new-value", "-Xmx1g", "a=1"}) {
    INFO(value);
    CHECK(all.find(value) == std::string::npos);  // ...never a value
  }
}

TEST_CASE("plan: workloads added and removed") {
  Release r;
  std::string job = "---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate}\nspec:\n  template:\n    spec:\n"
                    "      containers: [{name: m, image: 'migrate:1'}]\n";
  plan::Plan added = plan::Compare(F(r.Text()), F(r.Text() + job));
  REQUIRE(added.entries.size() == 2);
  CHECK(added.entries[1].Ref() == "Job/migrate");
  CHECK(added.entries[1].status == plan::Status::kAdded);
  plan::Plan removed = plan::Compare(F(r.Text() + job), F(r.Text()));
  REQUIRE(removed.entries.size() == 2);
  CHECK(removed.entries[1].status == plan::Status::kRemoved);
  CHECK(removed.Workloads() == 1);
  CHECK(plan::RenderText(removed).find("removed (1):\n  Job/migrate") != std::string::npos);
  plan::Plan first = plan::FirstDeploy(F(r.Text()));
  CHECK(first.first_deploy);
  CHECK(first.Count(plan::Status::kAdded) == 1);
}

TEST_CASE("plan: a Job runs again rather than rolls") {
  auto job = [](const std::string& image) {
    return "apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate}\nspec:\n  template:\n    spec:\n"
           "      containers: [{name: m, image: '" + image + "'}]\n";
  };
  plan::Plan p = plan::Compare(F(job("m:1")), F(job("m:2")));
  const plan::Entry& e = Only(p);
  CHECK(e.status == plan::Status::kRolls);
  CHECK(e.rollout == plan::Rollout::kRunsAgain);
  CHECK(plan::Effect(e) == "runs again");
  CHECK(plan::RenderText(p).find("Job/migrate runs again") != std::string::npos);
}

TEST_CASE("plan: an OnDelete StatefulSet does not roll by itself: capstan roll") {
  auto sts = [](const std::string& image) {
    return "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: search}\nspec:\n"
           "  updateStrategy: {type: OnDelete}\n  template:\n    spec:\n"
           "      containers: [{name: solr, image: '" + image + "'}]\n";
  };
  plan::Plan p = plan::Compare(F(sts("solr:8")), F(sts("solr:9")));
  const plan::Entry& e = Only(p);
  CHECK(e.rollout == plan::Rollout::kOnDelete);
  CHECK(plan::Effect(e).find("run `capstan roll`") != std::string::npos);
  CHECK(plan::RenderMarkdown(p).find("capstan roll") != std::string::npos);
}

TEST_CASE("plan: a config change that also changes the digest annotation counts once") {
  Release a, b;
  a.annotations = "      annotations: {capstan.dev/config-digest: 'sha256:aaa', team: web}\n";
  b.annotations = "      annotations: {capstan.dev/config-digest: 'sha256:bbb', team: web}\n";
  b.properties = "a=2";
  const plan::Entry& e = Only(P(a, b));
  REQUIRE(e.reasons.size() == 1);  // the config reason; the annotation is what Capstan writes, not a template change
  CHECK(e.reasons[0].type == plan::Reason::Type::kConfig);
  // The annotation alone: nothing rolls.
  Release c = a;
  c.annotations = "      annotations: {capstan.dev/config-digest: 'sha256:ccc', team: web}\n";
  CHECK(Only(P(a, c)).status == plan::Status::kUnchanged);
  // A post-rendered stream (the annotation added) against the raw one: the same.
  Release raw, rendered;
  rendered.annotations = "      annotations: {capstan.dev/config-digest: 'sha256:ccc'}\n";
  CHECK(Only(P(raw, rendered)).status == plan::Status::kUnchanged);
}

TEST_CASE("plan: template paths are capped with a count of the rest") {
  Release a, b;
  std::string many;
  for (int i = 0; i < 25; ++i) many += "    - {name: v" + std::to_string(100 + i) + ", emptyDir: {}}\n";
  b.volumes = a.volumes + many;
  const plan::Entry& e = Only(P(a, b));
  REQUIRE(e.reasons.size() == 1);
  CHECK(e.reasons[0].paths.size() == plan::kMaxPaths);
  CHECK(e.reasons[0].more == 5);
  CHECK(plan::Why(e).find(" and 5 more") != std::string::npos);
}

TEST_CASE("plan: the Markdown view is a PR comment: heading, table, details") {
  Release a, b;
  b.image = "portal:7.5";
  b.properties = "a=2";
  std::string md = plan::RenderMarkdown(P(a, b));
  CHECK(md.rfind("### This upgrade rolls 1 of 1 workload\n", 0) == 0);
  CHECK(md.find("| Workload | Why |\n|---|---|\n| `Deployment/portal` | ") != std::string::npos);
  CHECK(md.find("config `ConfigMap/portal-config` key `portal-ext.properties`") != std::string::npos);
  CHECK(md.find("image `spec.containers[app]`: `portal:7.4` → `portal:7.5`") != std::string::npos);
  CHECK(md.find("<details><summary>") != std::string::npos);
  CHECK(md.find("</details>") != std::string::npos);
}

TEST_CASE("plan: fingerprints survive a report round trip") {
  Release a, b;
  b.java_opts = "-Xmx2g";
  b.password = "x";
  auto fa = F(a.Text());
  JsonWriter w;
  w.StartObject().Field("tool", "capstan-postrender").StartArray("workloads");
  for (const auto& f : fa) {
    w.StartObject().Field("kind", f.kind).Field("namespace", f.namespace_).Field("name", f.name).Key("fingerprint");
    plan::WriteFingerprint(w, f);
    w.EndObject();
  }
  w.EndArray().EndObject();
  CHECK(plan::IsReport(w.str()));
  CHECK_FALSE(plan::IsReport(a.Text()));
  auto back = plan::ReadReport(w.str(), "old.json");
  REQUIRE(back.size() == 1);
  CHECK(back[0].fields == fa[0].fields);
  CHECK(back[0].images == fa[0].images);
  plan::Plan from_report = plan::Compare(back, F(b.Text()));
  plan::Plan from_streams = plan::Compare(fa, F(b.Text()));
  CHECK(plan::RenderJson(from_report) == plan::RenderJson(from_streams));
  CHECK(Only(from_report).reasons.size() == 2);
}

TEST_CASE("plan: a report without fingerprints, or not a report, is a usage error naming the file") {
  try {
    plan::ReadReport(R"({"tool":"capstan-postrender","workloads":[{"kind":"Deployment","name":"a"}]})", "old.json");
    FAIL("no error");
  } catch (const UsageError& e) {
    CHECK(std::string(e.what()).find("old.json, workload 1 (Deployment/a) has no fingerprint") != std::string::npos);
  }
  CHECK_THROWS_AS(plan::ReadReport("[1]", "x.json"), UsageError);
  CHECK_THROWS_WITH(plan::Compare(F(Release().Text()), F(Release().Text(), "k")),
                    Catch::Contains("cannot be compared"));
  // Two HMAC keys: every field would differ; refused, and the report round trip keeps the key's name (not the key).
  auto k1 = F(Release().Text(), "key-one"), k2 = F(Release().Text(), "key-two");
  CHECK_THROWS_WITH(plan::Compare(k1, k2), Catch::Contains("different HMAC keys"));
  CHECK(plan::Compare(k1, F(Release().Text(), "key-one")).Count(plan::Status::kUnchanged) == 1);
  CHECK(k1[0].key_id == plan::KeyId("key-one"));
  CHECK(k1[0].key_id != k2[0].key_id);
  CHECK(k1[0].key_id.find("key-one") == std::string::npos);
}

TEST_CASE("plan: a stream that is not YAML names the file and document") {
  CHECK_THROWS_WITH(F("---\napiVersion: v1\nkind: ConfigMap\n---\na: [b\n"),
                    Catch::Contains("test.yaml, document ") && Catch::Contains("invalid YAML"));
}

TEST_CASE("plan: references resolve as the checksum filter resolves them (namespace unknown: every candidate)") {
  auto stream = [](const std::string& in_b) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: a}\ndata: {k: same}\n---\n"
           "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: b}\ndata: {k: " + in_b + "}\n---\n"
           "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: other}\ndata: {k: x}\n---\n"
           "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: a}\nspec:\n  template:\n    spec:\n"
           "      containers: [{name: web, image: 'web:1', envFrom: [{configMapRef: {name: c}}]}]\n---\n"
           "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: unqualified}\nspec:\n  template:\n    spec:\n"
           "      containers: [{name: web, image: 'web:1', envFrom: [{configMapRef: {name: c}}]}]\n";
  };
  plan::Plan p = plan::Compare(F(stream("1")), F(stream("2")));
  REQUIRE(p.entries.size() == 2);
  CHECK(p.entries[0].status == plan::Status::kUnchanged);  // web is in namespace a: only a's ConfigMap counts
  CHECK(p.entries[1].status == plan::Status::kRolls);      // the release namespace is unknown: b's may be its own
  CHECK(plan::Why(p.entries[1]) == "ConfigMap/c key k");
}
