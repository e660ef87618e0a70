// Watches: the event-stream parser (lines split anywhere across chunks, errors named) and the Reflector against
// the local API server (list then watch, changes in order, bookmarks, resume after a drop, relist on 410 Gone,
// field selectors, a permanent error ends the thread with its message).
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "kube/kube_test_server.h"
#include "kube/watch.h"

using namespace capstan;
using namespace capstan::test;

namespace {

bool Eventually(const std::function<bool()>& cond, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return cond();
}

std::string ConfigMap(const std::string& name, const std::string& value, const std::string& app = "web") {
  return R"({"metadata":{"name":")" + name + R"(","labels":{"app":")" + app + R"("}},"data":{"v":")" + value + "\"}}";
}

std::string Value(const std::map<std::string, kube::JsonDoc>& items, const std::string& name) {
  auto it = items.find(name);
  return it == items.end() ? "" : kube::GetString(it->second, {"data", "v"});
}

}  // namespace

TEST_CASE("watch stream parser: events split across chunks at every byte", "[kube][watch]") {
  std::string stream =
      "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"5\"}}}\n"
      "\r\n"
      "{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"9\"}}}\r\n"
      "{\"type\":\"DELETED\",\"object\":{\"metadata\":{\"name\":\"a\"}}}\n";
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    kube::WatchStreamParser parser;
    std::vector<std::string> seen;
    auto on = [&](kube::WatchEvent& ev) {
      seen.push_back(ev.type + ":" + kube::GetString(ev.object, {"metadata", "resourceVersion"}));
      return true;
    };
    CHECK(parser.Feed(std::string_view(stream).substr(0, cut), on));
    CHECK(parser.Feed(std::string_view(stream).substr(cut), on));
    CHECK(seen == std::vector<std::string>{"ADDED:5", "BOOKMARK:9", "DELETED:"});
  }
  kube::WatchStreamParser stop;
  int n = 0;
  CHECK_FALSE(stop.Feed(stream, [&](kube::WatchEvent&) { return ++n < 2; }));
  CHECK(n == 2);
}

TEST_CASE("watch stream parser: errors name what is wrong", "[kube][watch]") {
  auto feed = [](const std::string& s, size_t max = 1u << 20) {
    kube::WatchStreamParser p(max);
    p.Feed(s, [](kube::WatchEvent&) { return true; });
  };
  CHECK_THROWS_WITH(feed("not json\n"), Catch::Contains("not a JSON object"));
  CHECK_THROWS_WITH(feed("{\"object\":{}}\n"), Catch::Contains("no \"type\""));
  CHECK_THROWS_WITH(feed("{\"type\":\"ADDED\",\"object\":3}\n"), Catch::Contains("has no object"));
  CHECK_THROWS_WITH(feed(std::string(100, 'x'), 50), Catch::Contains("longer than 50 bytes"));
  CHECK_NOTHROW(feed("{\"type\":\"ADDED\",\"object\":{}}"));  // incomplete last line: kept for the next chunk
}

TEST_CASE("reflector: lists, then watches changes in order, resumes after a drop, relists on 410", "[kube][watch]") {
  for (bool as_http : {false, true}) {
    INFO("410 as HTTP status: " << as_http);
    KubeTestServer server;
    server.WatchGoneAsHttp(as_http);
    server.SetBookmarkInterval(std::chrono::milliseconds(50));
    const std::string base = "/api/v1/namespaces/shop/configmaps/";
    server.Put(base + "a", ConfigMap("a", "1"));
    server.Put(base + "other", ConfigMap("other", "1", "db"));
    kube::Client client(TestConfig(server), FastOptions());
    std::mutex mu;
    std::vector<std::string> log;
    kube::Reflector r(client, {kube::LookupKind("ConfigMap"), "shop", "app=web", "", std::chrono::seconds(60)},
                      [&](const std::string& type, const kube::Json& obj, bool initial) {
                        std::lock_guard<std::mutex> g(mu);
                        log.push_back(type + " " + kube::GetString(obj, {"metadata", "name"}) + " " +
                                      kube::GetString(obj, {"data", "v"}) + (initial ? " initial" : ""));
                      });
    r.Start();
    REQUIRE(Eventually([&] { return r.synced(); }));
    CHECK(r.Items().size() == 1);
    REQUIRE(Eventually([&] { return server.ActiveWatches() == 1; }));
    server.Put(base + "a", ConfigMap("a", "2"));
    server.Put(base + "b", ConfigMap("b", "1"));
    server.Put(base + "other", ConfigMap("other", "2", "db"));  // not selected
    REQUIRE(Eventually([&] { return Value(r.Items(), "b") == "1" && Value(r.Items(), "a") == "2"; }));
    // Drop the stream: the reflector resumes from the last resourceVersion without relisting.
    server.DropWatches();
    server.Put(base + "c", ConfigMap("c", "1"));
    REQUIRE(Eventually([&] { return Value(r.Items(), "c") == "1"; }));
    CHECK(r.relists() == 1);
    // Bookmarks move the resume point on; then history compaction plus a drop: the resume gets 410 and relists.
    std::this_thread::sleep_for(std::chrono::milliseconds(120));
    server.CompactHistory();
    server.DropWatches();
    server.Remove(base + "b");
    REQUIRE(Eventually([&] { return r.Items().count("b") == 0; }));
    REQUIRE(Eventually([&] { return r.relists() == 2; }));
    CHECK(r.failure().empty());
    r.Stop();
    std::lock_guard<std::mutex> g(mu);
    CHECK(log.front() == "ADDED a 1 initial");
    CHECK(std::find(log.begin(), log.end(), "MODIFIED a 2") != log.end());
    CHECK(std::find(log.begin(), log.end(), "DELETED b 1") != log.end());
    for (const auto& l : log) CHECK(l.find("other") == std::string::npos);
    int watches_410 = 0;
    for (const auto& q : server.Requests())
      if (q.verb == "watch" && q.status == 410) ++watches_410;
    CHECK(watches_410 == 1);
  }
}

TEST_CASE("reflector: field selectors, and a permanent error ends it with the message", "[kube][watch]") {
  KubeTestServer server;
  const std::string base = "/api/v1/namespaces/shop/events/";
  server.Put(base + "e1", R"({"metadata":{"name":"e1"},"involvedObject":{"kind":"Pod","name":"web-0"}})");
  server.Put(base + "e2", R"({"metadata":{"name":"e2"},"involvedObject":{"kind":"Node","name":"n1"}})");
  kube::Client client(TestConfig(server), FastOptions());
  kube::Reflector r(client, {kube::LookupKind("Event"), "shop", "", "involvedObject.kind=Pod", std::chrono::seconds(60)},
                    nullptr);
  r.Start();
  REQUIRE(Eventually([&] { return r.synced(); }));
  CHECK(r.Items().size() == 1);
  server.Put(base + "e3", R"({"metadata":{"name":"e3"},"involvedObject":{"kind":"Pod","name":"web-1"}})");
  server.Put(base + "e4", R"({"metadata":{"name":"e4"},"involvedObject":{"kind":"Node","name":"n2"}})");
  REQUIRE(Eventually([&] { return r.Items().size() == 2; }));
  bool saw_watch = false;
  for (const auto& q : server.Requests())
    if (q.verb == "watch" && q.query.find("fieldSelector=involvedObject.kind=Pod") != std::string::npos) saw_watch = true;
  CHECK(saw_watch);
  r.Stop();

  server.Forbid("watch", "events");
  kube::Reflector denied(client, {kube::LookupKind("Event"), "shop", "", "", std::chrono::seconds(60)}, nullptr);
  denied.Start();
  REQUIRE(Eventually([&] { return !denied.failure().empty(); }));
  CHECK_THAT(denied.failure(), Catch::Contains("cannot 'watch' 'events'"));
  CHECK(denied.failure_exit_code() == kExitPrecondition);
}

TEST_CASE("reflector: Stop() returns promptly while a watch is quiet", "[kube][watch]") {
  KubeTestServer server;
  server.SetBookmarkInterval(std::chrono::seconds(100));
  kube::Client client(TestConfig(server), FastOptions());
  kube::Reflector r(client, {kube::LookupKind("ConfigMap"), "shop", "", "", std::chrono::seconds(300)}, nullptr);
  r.Start();
  REQUIRE(Eventually([&] { return server.ActiveWatches() == 1; }));
  auto t0 = std::chrono::steady_clock::now();
  r.Stop();
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
}

TEST_CASE("reflector: an API outage longer than the client's retries is waited out", "[kube][watch]") {
  KubeTestServer server;
  const std::string base = "/api/v1/namespaces/shop/configmaps/";
  kube::Client client(TestConfig(server), FastOptions());
  kube::Reflector r(client, {kube::LookupKind("ConfigMap"), "shop", "", "", std::chrono::seconds(60)}, nullptr);
  r.Start();
  REQUIRE(Eventually([&] { return server.ActiveWatches() == 1; }));
  Fault outage;
  outage.method = "GET";
  outage.path_contains = "/configmaps";
  outage.count = 7;  // more than one Stream's 5 attempts
  outage.status = 503;
  server.AddFault(outage);
  server.DropWatches();
  server.Put(base + "late", ConfigMap("late", "1"));
  REQUIRE(Eventually([&] { return Value(r.Items(), "late") == "1"; }));
  CHECK(r.failure().empty());
  int unavailable = 0;
  for (const auto& q : server.Requests())
    if (q.status == 503) ++unavailable;
  CHECK(unavailable == 7);
}
