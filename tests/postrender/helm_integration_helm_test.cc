// The post-renderer under the real Helm 3.17.3 (--post-renderer PATH) and Helm 4.1.4 (the postrenderer/v1 plugin
// installed with `helm plugin install`), on tests/postrender/data/testchart: a subchart, a hook Job, a projected
// volume, a Secret consumed by key, and a reference to a Secret that is not in the release.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "manifest/stream.h"
#include "postrender_testing.h"
#include "yaml/tree.h"
#include "support/test_support.h"

using namespace capstan;

namespace {

std::string Chart() { return test::SourceDir() + "/tests/postrender/data/testchart"; }

struct HelmEnv {
  test::TempDir home;
  std::map<std::string, std::string> env() const {
    return {{"HELM_CONFIG_HOME", home.path() + "/config"},
            {"HELM_DATA_HOME", home.path() + "/data"},
            {"HELM_CACHE_HOME", home.path() + "/cache"}};
  }
};

// Renders the chart with the post-renderer; returns stdout (fails the test on a non-zero exit).
std::string Render(int helm, const HelmEnv& h, std::vector<std::string> extra, const std::string& chart = Chart(),
                   std::vector<std::string> pr_args = {}) {
  std::vector<std::string> argv = {test::Helm(helm), "template", "rel", chart, "-n", "ns"};
  if (helm == 3) {
    argv.insert(argv.end(), {"--post-renderer", test::Binary("capstan-postrender")});
  } else {
    argv.insert(argv.end(), {"--post-renderer", "capstan"});
  }
  pr_args.insert(pr_args.begin(), {"--release=rel", "--namespace=ns"});
  for (const auto& a : pr_args) argv.insert(argv.end(), {"--post-renderer-args", a});
  argv.insert(argv.end(), extra.begin(), extra.end());
  test::ProcessOptions o;
  o.env = h.env();
  auto r = test::Run(argv, o);
  INFO("helm " << helm << " stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

void InstallPlugin(const HelmEnv& h) {
  test::ProcessOptions o;
  o.env = h.env();
  auto r = test::Run({test::Helm(4), "plugin", "install", test::BinaryDir() + "/helm-plugin/capstan"}, o);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  auto list = test::Run({test::Helm(4), "plugin", "list"}, o);
  REQUIRE(list.out.find("postrenderer/v1") != std::string::npos);
}

}  // namespace

TEST_CASE("helm 3 and helm 4 render the test chart through capstan-postrender") {
  HelmEnv h3, h4;
  InstallPlugin(h4);
  auto d3 = test::Digests(Render(3, h3, {}));
  auto d4 = test::Digests(Render(4, h4, {}));
  for (const char* w : {"Deployment/rel-web", "StatefulSet/rel-worker", "DaemonSet/rel-cache"}) {
    INFO(w);
    REQUIRE(d3.count(w));
    CHECK(d3[w] == d4[w]);  // the same data gives the same digest, whatever Helm's formatting
  }
  CHECK_FALSE(d3.count("Job/rel-migrate"));  // Helm 3 never sends hooks to a post-renderer
  CHECK(d4.count("Job/rel-migrate"));        // Helm 4 does
  CHECK(d3.size() == 3);
  CHECK(d4.size() == 4);

  SECTION("a changed value rolls exactly the workloads that consume it") {
    struct Case {
      std::string set;
      std::set<std::string> rolls;
    };
    std::vector<Case> cases = {
        {"greeting=hi", {"Deployment/rel-web"}},
        {"logLevel=debug", {"Deployment/rel-web"}},
        {"dbPassword=changed", {"StatefulSet/rel-worker", "Job/rel-migrate"}},
        {"apiKey=zzzz", {}},  // a key of the Secret that nothing consumes
        {"cache.size=1", {"DaemonSet/rel-cache"}},
    };
    for (const auto& c : cases) {
      INFO("--set " << c.set);
      auto after = test::Digests(Render(4, h4, {"--set", c.set}));
      for (const auto& [w, digest] : d4) CHECK((after[w] != digest) == (c.rolls.count(w) == 1));
      auto after3 = test::Digests(Render(3, h3, {"--set", c.set}));
      for (const auto& [w, digest] : d3) CHECK((after3[w] != digest) == (c.rolls.count(w) == 1));
    }
  }

  SECTION("a chart version bump changes no digest") {
    test::TempDir t;
    std::filesystem::copy(Chart(), t.path() + "/testchart", std::filesystem::copy_options::recursive);
    std::string chart_yaml = test::Slurp(t.path() + "/testchart/Chart.yaml");
    chart_yaml.replace(chart_yaml.find("version: 1.0.0"), 14, "version: 1.0.1");
    t.Write("testchart/Chart.yaml", chart_yaml);
    CHECK(test::Digests(Render(4, h4, {}, t.path() + "/testchart")) == d4);
    CHECK(test::Digests(Render(3, h3, {}, t.path() + "/testchart")) == d3);
  }

  SECTION("the report names the Secret that is not in the release; --strict fails helm") {
    test::TempDir t;
    Render(4, h4, {}, Chart(), {"--report=" + t.path() + "/report.json"});
    std::string report = test::Slurp(t.path() + "/report.json");
    CHECK(report.find("Secret/external-credentials") != std::string::npos);
    CHECK(report.find("\"inputFormat\": \"helm4\"") != std::string::npos);
    CHECK(report.find("s3cret-pass") == std::string::npos);

    test::ProcessOptions o;
    o.env = h3.env();
    auto r = test::Run({test::Helm(3), "template", "rel", Chart(), "--post-renderer", test::Binary("capstan-postrender"),
                        "--post-renderer-args", "--strict"},
                       o);
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("external-credentials") != std::string::npos);  // Helm 3 shows stderr on failure
  }

  SECTION("helm 4 discards stderr: --log-file says why a run failed") {
    test::TempDir t;
    test::ProcessOptions o;
    o.env = h4.env();
    std::string log = t.path() + "/capstan.log";
    auto r = test::Run({test::Helm(4), "template", "rel", Chart(), "--post-renderer", "capstan", "--post-renderer-args",
                        "--strict", "--post-renderer-args", "--log-file=" + log},
                       o);
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("external-credentials") == std::string::npos);
    CHECK(test::Slurp(log).find("external-credentials") != std::string::npos);
  }
}

namespace {
// A listening TCP socket on 127.0.0.1 (connections complete in the backlog); port() is its port.
struct Listener {
  int fd = -1;
  explicit Listener(bool listen_now) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    if (listen_now) REQUIRE(::listen(fd, 16) == 0);
  }
  ~Listener() { ::close(fd); }
  int port() const {
    sockaddr_in a{};
    socklen_t n = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);
    return ntohs(a.sin_port);
  }
};

std::vector<std::string> InjectedArgs(const std::string& stream) {
  for (const auto& d : manifest::Split(stream)) {
    if (d.blank) continue;
    yaml::Tree t = yaml::Tree::Parse(d.text);
    if (t.root().Get("kind").scalar() != "Deployment") continue;
    yaml::Node init = t.root().Get("spec").Get("template").Get("spec").Get("initContainers").At(0);
    if (init.Get("name").scalar() != "capstan-wait") continue;
    std::vector<std::string> args;
    for (const auto& a : init.Get("args").Items()) args.emplace_back(a.scalar());
    return args;
  }
  return {};
}
}  // namespace

TEST_CASE("helm 3 and helm 4: the injected capstan wait command runs against live and dead local targets") {
  HelmEnv h3, h4;
  InstallPlugin(h4);
  for (int helm : {3, 4}) {
    INFO("helm " << helm);
    const HelmEnv& h = helm == 3 ? h3 : h4;
    Listener live(true), dead(false);  // dead: bound, never listening: connections are refused
    auto run = [&](int port) {
      std::string out = Render(helm, h, {"--set", "waitPort=" + std::to_string(port)}, Chart(),
                               {"--wait-image=capstan:test", "--wait-timeout=3s"});  // waits: on by default
      std::vector<std::string> args = InjectedArgs(out);
      REQUIRE(args.size() >= 5);
      CHECK(args.back() == "tcp://127.0.0.1:" + std::to_string(port));
      std::vector<std::string> argv = {test::Binary("capstan")};
      argv.insert(argv.end(), args.begin(), args.end());
      test::ProcessOptions o;
      o.timeout = std::chrono::seconds(30);
      auto start = std::chrono::steady_clock::now();
      auto r = test::Run(argv, o);
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      return std::make_pair(r, secs);
    };
    auto [ok, ok_secs] = run(live.port());
    CHECK(ok.exit_code == 0);
    auto [bad, bad_secs] = run(dead.port());
    CHECK(bad.exit_code == 1);                 // timed out, naming the condition
    CHECK_THAT(bad.err, Catch::Contains("tcp://127.0.0.1:" + std::to_string(dead.port())));
    CHECK(bad_secs < 20);                      // within its 3s timeout (plus start-up), never unbounded
  }
}
