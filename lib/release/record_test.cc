// The release record: CREATE when absent, GET-modify-PUT with resourceVersion, retries on 409 Conflict and on an
// AlreadyExists race, bounded history, and `capstan record` from a hook's command line.
#include <catch2/catch.hpp>

#include "release/record.h"
#include "kube/kube_test_server.h"

using namespace capstan;
using namespace capstan::test;

namespace {
const std::string kPath = "/api/v1/namespaces/shop/configmaps/capstan-release-portal";
}

TEST_CASE("release record: created, then updated in place", "[kube][record]") {
  KubeTestServer server;
  kube::Client client(TestConfig(server), FastOptions());
  auto r1 = release::UpdateRecord(client, "shop", "portal", [](release::ReleaseRecord& r) {
    release::UpsertEntry(r, 1, {{"chartVersion", "1.0.0"}, {"appVersion", "5.2"}}, 20);
  });
  CHECK(r1.attempts == 1);
  REQUIRE(r1.record.history.size() == 1);
  CHECK(r1.record.history[0].Get("outcome") == "pending");
  CHECK(!r1.record.history[0].Get("time").empty());
  auto r2 = release::UpdateRecord(client, "shop", "portal", [](release::ReleaseRecord& r) {
    release::UpsertEntry(r, 1, {{"restorePoint", "rp-1"}}, 20);
    release::UpsertEntry(r, 2, {{"chartVersion", "1.1.0"}}, 20);
  });
  REQUIRE(r2.record.history.size() == 2);
  CHECK(r2.record.history[0].Get("chartVersion") == "1.0.0");  // merged, not replaced
  CHECK(r2.record.history[0].Get("restorePoint") == "rp-1");
  auto reqs = server.Requests();
  std::vector<std::string> verbs;
  for (const auto& q : reqs) verbs.push_back(q.verb + ":" + std::to_string(q.status));
  CHECK(verbs == std::vector<std::string>{"get:404", "create:201", "get:200", "update:200"});
  auto stored = kube::ParseJson(server.Object(kPath), "stored");
  CHECK(kube::GetString(stored, {"metadata", "labels", "app.kubernetes.io/managed-by"}) == "capstan");
}

TEST_CASE("release record: a 409 Conflict re-reads and retries, the other writer's change survives", "[kube][record]") {
  KubeTestServer server;
  kube::Client client(TestConfig(server), FastOptions());
  release::UpdateRecord(client, "shop", "portal",
                        [](release::ReleaseRecord& r) { release::UpsertEntry(r, 3, {{"chartVersion", "1.0.0"}}, 20); });
  // Another hook writes between our GET and our PUT, once.
  bool interfered = false;
  server.OnRequest([&](const RecordedRequest& q) {
    if (q.verb != "update" || interfered) return;
    interfered = true;
    kube::JsonDoc cm = kube::ParseJson(server.Object(kPath), "cm");
    auto rec = release::ParseRecord(cm, "cm");
    rec.release = "portal";
    release::UpsertEntry(rec, 3, {{"schemaVersion", "42"}}, 20);
    rec.resource_version.clear();
    server.Put(kPath, kube::ToJson(release::RecordToConfigMap(rec, "shop")));
  });
  auto out = release::UpdateRecord(client, "shop", "portal", [](release::ReleaseRecord& r) {
    release::UpsertEntry(r, 3, {{"restorePoint", "rp-9"}}, 20);
  });
  CHECK(out.attempts == 2);
  REQUIRE(out.record.history.size() == 1);
  CHECK(out.record.history[0].Get("schemaVersion") == "42");
  CHECK(out.record.history[0].Get("restorePoint") == "rp-9");
}

TEST_CASE("release record: an AlreadyExists race on CREATE falls back to update", "[kube][record]") {
  KubeTestServer server;
  kube::Client client(TestConfig(server), FastOptions());
  bool raced = false;
  server.OnRequest([&](const RecordedRequest& q) {
    if (q.verb != "create" || raced) return;
    raced = true;
    release::ReleaseRecord other;
    other.release = "portal";
    release::UpsertEntry(other, 1, {{"configDigest", "sha256:abc"}}, 20);
    server.Put(kPath, kube::ToJson(release::RecordToConfigMap(other, "shop")));
  });
  auto out = release::UpdateRecord(client, "shop", "portal",
                                   [](release::ReleaseRecord& r) { release::UpsertEntry(r, 1, {{"outcome", "verified"}}, 20); });
  CHECK(out.attempts == 2);
  CHECK(out.record.history.at(0).Get("configDigest") == "sha256:abc");
  CHECK(out.record.history.at(0).Get("outcome") == "verified");
}

TEST_CASE("release record: persistent conflicts give up after the bound", "[kube][record]") {
  KubeTestServer server;
  kube::Client client(TestConfig(server), FastOptions());
  release::UpdateRecord(client, "shop", "portal", [](release::ReleaseRecord& r) { release::UpsertEntry(r, 1, {}, 20); });
  Fault f;
  f.method = "PUT";
  f.count = 100;
  f.status = 409;
  f.reason = "Conflict";
  server.AddFault(f);
  CHECK_THROWS_WITH(release::UpdateRecord(client, "shop", "portal",
                                          [](release::ReleaseRecord& r) { release::UpsertEntry(r, 2, {}, 20); }, 3),
                    Catch::Contains("still conflicting after 3 attempts"));
}

TEST_CASE("release record: bounded history and the deployed entry", "[kube][record]") {
  release::ReleaseRecord r;
  r.release = "portal";
  for (int i = 1; i <= 30; ++i) release::UpsertEntry(r, i, {{"chartVersion", "1.0." + std::to_string(i)}}, 10);
  REQUIRE(r.history.size() == 10);
  CHECK(r.history.front().revision == 21);
  CHECK(r.history.back().revision == 30);
  release::UpsertEntry(r, 28, {{"outcome", "verified"}}, 10);
  release::UpsertEntry(r, 29, {{"outcome", "failed"}}, 10);
  CHECK(release::DeployedEntry(r)->revision == 28);
  // Round trip through the ConfigMap shape.
  auto cm = release::RecordToConfigMap(r, "shop");
  auto back = release::ParseRecord(cm, "cm");
  CHECK(back.history.size() == 10);
  CHECK(back.history[7].Get("outcome") == "verified");
  CHECK_THROWS_WITH(release::ParseRecord(kube::ParseJson(R"({"data":{"history":"{oops"}})", "t"), "cm x"),
                    Catch::Contains("cm x: data.history is not a JSON array"));
  CHECK_THROWS_WITH(release::CheckRecordKey("restorepoint"), Catch::Contains("did you mean 'restorePoint'"));
}

TEST_CASE("capstan record: one command line from a backup or migrate Job", "[kube][record]") {
  KubeTestServer server;
  TempDir dir;
  std::string kc = WriteKubeconfig(dir, server);
  auto run = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {Binary("capstan"), "record", "portal", "--kubeconfig", kc, "--log-format", "json"};
    argv.insert(argv.end(), args.begin(), args.end());
    return Run(argv);
  };
  auto a = run({"--revision", "4", "--set", "restorePoint=pg-20260101"});
  INFO(a.err);
  CHECK(a.exit_code == 0);
  auto b = run({"--revision", "4", "--set", "schemaVersion=42", "--show"});
  CHECK(b.exit_code == 0);
  auto hist = kube::ParseJson(b.out, "stdout");
  REQUIRE(hist.IsArray());
  REQUIRE(hist.Size() == 1);
  CHECK(kube::GetString(hist[0], {"restorePoint"}) == "pg-20260101");
  CHECK(kube::GetString(hist[0], {"schemaVersion"}) == "42");
  CHECK(hist[0]["revision"].GetInt() == 4);
  auto bad = run({"--revision", "4", "--set", "restorPoint=x"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("did you mean 'restorePoint'") != std::string::npos);
  auto norev = run({"--set", "restorePoint=x"});
  CHECK(norev.exit_code == 2);
  CHECK(norev.err.find("--revision is required") != std::string::npos);
  CHECK(a.err.find("good-token") == std::string::npos);  // never logged
}
