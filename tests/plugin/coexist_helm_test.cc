// Helm 3 and Helm 4 on one machine. Helm 3.17 cannot parse a postrenderer/v1 plugin.yaml: one in the plugin folder
// it reads breaks `helm plugin list` and every other Helm 3 plugin there (measured below). The arrangement the docs
// give (docs/postrender.md): Helm 4 gets a data home of its own (HELM_DATA_HOME), Helm 3 keeps the default one, both
// share the config and cache homes (repositories, registry logins). HELM_PLUGINS alone is not enough: Helm 4.1's
// `helm plugin install` of a tarball or folder writes to $HELM_DATA_HOME/plugins whatever HELM_PLUGINS says.
#include <catch2/catch.hpp>

#include <filesystem>

#include "plugin/plugin_testing.h"
#include "postrender/postrender_testing.h"
#include "support/test_support.h"

using namespace capstan;
namespace fs = std::filesystem;

namespace {

std::string Chart() { return test::SourceDir() + "/tests/postrender/data/testchart"; }

test::ProcessResult RunHelm(int major, const std::map<std::string, std::string>& env, std::vector<std::string> args) {
  test::ProcessOptions o;
  o.env = env;
  o.unset_env = {"HELM_PLUGINS", "GNUPGHOME"};
  args.insert(args.begin(), test::Helm(major));
  return test::Run(args, o);
}

// A legacy (Helm 3 style) CLI plugin: `helm hello ARGS` prints "hello from a legacy plugin ARGS".
std::string LegacyPlugin(const test::TempDir& t) {
  std::string dir = t.path() + "/hello";
  fs::create_directories(dir);
  t.Write("hello/plugin.yaml",
          "name: hello\nversion: 0.1.0\nusage: says hello\ndescription: says hello\n"
          "command: \"$HELM_PLUGIN_DIR/hello.sh\"\n");
  t.Write("hello/hello.sh", "#!/bin/sh\necho hello from a legacy plugin \"$@\"\n");
  fs::permissions(dir + "/hello.sh", fs::perms::owner_all);
  return dir;
}

}  // namespace

TEST_CASE("helm 3 and helm 4 side by side: a data home for each keeps both working") {
  test::SigningKey key("Capstan Test Release");
  test::TempDir dist, root, plugins;
  std::string tgz = test::PackagePlugin(key, dist.path());
  std::string hello = LegacyPlugin(plugins);

  SECTION("the breakage: Helm 4's plugin in the data home Helm 3 reads") {
    auto shared = test::HelmHomes(root.path());
    REQUIRE(RunHelm(3, shared, {"plugin", "install", hello}).exit_code == 0);
    REQUIRE(RunHelm(3, shared, {"hello", "x"}).exit_code == 0);
    auto install = RunHelm(4, shared, {"plugin", "install", tgz, "--keyring", key.pubring()});
    INFO(install.out << install.err);
    REQUIRE(install.exit_code == 0);
    auto list = RunHelm(3, shared, {"plugin", "list"});
    CHECK(list.exit_code != 0);
    CHECK_THAT(list.err, Catch::Contains("unknown field \"apiVersion\""));
    auto run = RunHelm(3, shared, {"hello", "x"});
    CHECK(run.exit_code != 0);  // every Helm 3 plugin is gone: unknown command "hello"
    CHECK_THAT(run.err, Catch::Contains("unknown command \"hello\""));
  }

  SECTION("HELM_PLUGINS alone does not separate them: helm 4 installs into $HELM_DATA_HOME/plugins anyway") {
    auto env = test::HelmHomes(root.path());
    env["HELM_PLUGINS"] = root.path() + "/helm4-plugins";
    auto install = RunHelm(4, env, {"plugin", "install", tgz, "--keyring", key.pubring()});
    REQUIRE(install.exit_code == 0);
    CHECK(fs::exists(root.path() + "/data/plugins/capstan/plugin.yaml"));
    CHECK_FALSE(fs::exists(root.path() + "/helm4-plugins/capstan"));
  }

  SECTION("the arrangement: HELM_DATA_HOME of its own for Helm 4") {
    auto h3 = test::HelmHomes(root.path(), "data");    // Helm 3: the default data home (~/.local/share/helm)
    auto h4 = test::HelmHomes(root.path(), "data4");   // Helm 4: ~/.local/share/helm4, config and cache shared
    REQUIRE(RunHelm(3, h3, {"plugin", "install", hello}).exit_code == 0);
    auto install = RunHelm(4, h4, {"plugin", "install", tgz, "--keyring", key.pubring()});
    INFO(install.out << install.err);
    REQUIRE(install.exit_code == 0);

    auto list3 = RunHelm(3, h3, {"plugin", "list"});
    INFO(list3.err);
    CHECK(list3.exit_code == 0);
    CHECK_THAT(list3.out, Catch::Contains("hello"));
    CHECK(list3.out.find("capstan") == std::string::npos);
    auto run = RunHelm(3, h3, {"hello", "x"});
    CHECK(run.exit_code == 0);
    CHECK(run.out == "hello from a legacy plugin x\n");
    auto list4 = RunHelm(4, h4, {"plugin", "list"});
    CHECK_THAT(list4.out, Catch::Contains("postrenderer/v1"));

    // Helm 4: the plugin by name. Helm 3: the executable by path (here the one the plugin holds; an installed
    // /usr/bin/capstan-postrender is the same binary).
    auto r4 = RunHelm(4, h4, {"template", "rel", Chart(), "-n", "ns", "--post-renderer", "capstan",
                              "--post-renderer-args", "--release=rel", "--post-renderer-args", "--namespace=ns"});
    INFO(r4.err);
    REQUIRE(r4.exit_code == 0);
    std::string exe = root.path() + "/data4/plugins/capstan/bin/capstan-postrender";
    auto r3 = RunHelm(3, h3, {"template", "rel", Chart(), "-n", "ns", "--post-renderer", exe,
                              "--post-renderer-args", "--release=rel", "--post-renderer-args", "--namespace=ns"});
    INFO(r3.err);
    REQUIRE(r3.exit_code == 0);
    auto d4 = test::Digests(r4.out), d3 = test::Digests(r3.out);
    for (const char* w : {"Deployment/rel-web", "StatefulSet/rel-worker", "DaemonSet/rel-cache"}) {
      INFO(w);
      REQUIRE(d3.count(w) == 1);
      CHECK(d3[w] == d4[w]);
    }
  }
}
