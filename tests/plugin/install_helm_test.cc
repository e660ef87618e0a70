// The plugin folder `cmake --install` puts under share/capstan/helm-plugin/capstan is one Helm 4 installs (a local
// folder: development mode, no signature) and runs as the capstan post-renderer.
#include <catch2/catch.hpp>

#include "postrender/postrender_testing.h"
#include "plugin/plugin_testing.h"
#include "support/test_support.h"

using namespace capstan;

TEST_CASE("helm 4 installs the plugin folder of an installed capstan and post-renders with it") {
  test::TempDir prefix, home;
  auto r = test::Run({CAPSTAN_CMAKE_COMMAND, "--install", test::BinaryDir(), "--prefix", prefix.path()});
  REQUIRE(r.exit_code == 0);
  test::ProcessOptions o;
  o.env = test::HelmHomes(home.path());
  o.unset_env = {"HELM_PLUGINS"};
  std::string folder = prefix.path() + "/share/capstan/helm-plugin/capstan";
  auto install = test::Run({test::Helm(4), "plugin", "install", folder}, o);
  INFO(install.out << install.err);
  REQUIRE(install.exit_code == 0);
  auto t = test::Run({test::Helm(4), "template", "rel", test::SourceDir() + "/tests/postrender/data/testchart", "-n",
                      "ns", "--post-renderer", "capstan", "--post-renderer-args", "--release=rel"},
                     o);
  INFO(t.err);
  REQUIRE(t.exit_code == 0);
  CHECK(test::Digests(t.out).count("Deployment/rel-web") == 1);
}
