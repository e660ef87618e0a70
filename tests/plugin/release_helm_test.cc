// The Helm 4 plugin as users install it: the capstan-<version>.tgz release tarball made by Helm 4's own `helm plugin
// package` (scripts/package-plugin.sh), signed with a throw-away key; `helm plugin install` with verification on
// (Helm 4's default) accepts it with the project's public keyring, refuses a tampered tarball, a .prov signed by
// another key and a missing .prov; the installed plugin then post-renders a real chart. The URL form the docs give
// (a GitHub release download URL; Helm fetches <url>.prov beside it) is served by a local HTTP server.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "net/httplib.h"

#include "plugin/plugin_testing.h"
#include "postrender/postrender_testing.h"
#include "support/test_support.h"

using namespace capstan;
namespace fs = std::filesystem;

namespace {

std::string Chart() { return test::SourceDir() + "/tests/postrender/data/testchart"; }

test::ProcessResult Helm4(const std::string& home, std::vector<std::string> args) {
  test::ProcessOptions o;
  o.env = test::HelmHomes(home);
  o.unset_env = {"HELM_PLUGINS", "GNUPGHOME"};
  args.insert(args.begin(), test::Helm(4));
  return test::Run(args, o);
}

std::string RenderWithPlugin(const std::string& home) {
  auto r = Helm4(home, {"template", "rel", Chart(), "-n", "ns", "--post-renderer", "capstan",
                        "--post-renderer-args", "--release=rel", "--post-renderer-args", "--namespace=ns"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

}  // namespace

TEST_CASE("the signed plugin tarball installs with Helm 4's verification on and post-renders a chart") {
  test::SigningKey key("Capstan Test Release");
  test::TempDir dist, home;
  std::string tgz = test::PackagePlugin(key, dist.path());
  REQUIRE(fs::exists(tgz + ".prov"));
  CHECK(test::Slurp(tgz + ".prov").find("-----BEGIN PGP SIGNED MESSAGE-----") == 0);
  CHECK(test::Slurp(tgz + ".prov").find("capstan-" + test::PluginVersion() + ".tgz: sha256:") != std::string::npos);

  // helm plugin verify: what a user can run before installing.
  auto verify = Helm4(home.path(), {"plugin", "verify", tgz, "--keyring", key.pubring()});
  INFO(verify.out << verify.err);
  CHECK(verify.exit_code == 0);

  auto install = Helm4(home.path(), {"plugin", "install", tgz, "--keyring", key.pubring()});
  INFO(install.out << install.err);
  REQUIRE(install.exit_code == 0);
  CHECK_THAT(install.out, Catch::Contains("Signed by: Capstan Test Release <test@capstan.invalid>"));
  CHECK_THAT(install.out, Catch::Contains("Plugin Hash Verified: sha256:"));
  CHECK_THAT(install.out, Catch::Contains("Installed plugin: capstan"));
  auto list = Helm4(home.path(), {"plugin", "list"});
  CHECK_THAT(list.out, Catch::Matches("(.|\n)*capstan\\s+" + test::PluginVersion() +
                                      "\\s+postrenderer/v1\\s+v1\\s+signed(.|\n)*"));
  // Installed as a copy (not a link to the unpacked tarball): the binary is in the plugin folder.
  CHECK(fs::is_regular_file(home.path() + "/data/plugins/capstan/bin/capstan-postrender"));

  auto digests = test::Digests(RenderWithPlugin(home.path()));
  CHECK(digests.count("Deployment/rel-web") == 1);
  CHECK(digests.count("StatefulSet/rel-worker") == 1);
  CHECK(digests.count("Job/rel-migrate") == 1);  // Helm 4 sends hooks to the post-renderer too

  SECTION("installing again is refused (helm plugin uninstall capstan first: the upgrade path)") {
    auto again = Helm4(home.path(), {"plugin", "install", tgz, "--keyring", key.pubring()});
    CHECK(again.exit_code != 0);
    CHECK_THAT(again.err, Catch::Contains("plugin already exists"));
    auto un = Helm4(home.path(), {"plugin", "uninstall", "capstan"});
    INFO(un.out << un.err);
    REQUIRE(un.exit_code == 0);
    auto re = Helm4(home.path(), {"plugin", "install", tgz, "--keyring", key.pubring()});
    INFO(re.out << re.err);
    CHECK(re.exit_code == 0);
  }
}

// Ours and another key's signed tarball, made once for all the sections below.
struct TwoReleases {
  test::SigningKey key{"Capstan Test Release"}, other{"Somebody Else"};
  test::TempDir dist, other_dist;
  std::string tgz = test::PackagePlugin(key, dist.path());
  std::string other_tgz = test::PackagePlugin(other, other_dist.path());
};

TEST_CASE("Helm 4 refuses a tampered plugin tarball, another key's signature and a missing .prov") {
  static TwoReleases releases;
  const test::SigningKey& key = releases.key;
  const test::SigningKey& other = releases.other;
  const std::string& tgz = releases.tgz;
  const std::string& other_tgz = releases.other_tgz;
  std::string name = fs::path(tgz).filename().string();

  auto refused = [&](const std::string& path, const std::string& why) {
    test::TempDir home;
    auto r = Helm4(home.path(), {"plugin", "install", path, "--keyring", key.pubring()});
    INFO(r.out << r.err);
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Catch::Contains(why));
    CHECK_FALSE(fs::exists(home.path() + "/data/plugins/capstan"));
    auto list = Helm4(home.path(), {"plugin", "list"});
    CHECK(list.out.find("capstan") == std::string::npos);
  };

  SECTION("a tarball changed after signing") {
    test::TempDir t;
    fs::copy_file(tgz, t.path() + "/" + name);
    fs::copy_file(tgz + ".prov", t.path() + "/" + name + ".prov");
    {
      std::fstream f(t.path() + "/" + name, std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(-20, std::ios::end);  // inside the gzip stream's last block/trailer
      f.put('\x5a');
    }
    refused(t.path() + "/" + name, "plugin verification failed");
  }
  SECTION("a tarball and .prov signed by a key not in the keyring") {
    refused(other_tgz, "plugin verification failed");
  }
  SECTION("our tarball with a .prov signed by another key") {
    test::TempDir t;
    fs::copy_file(tgz, t.path() + "/" + name);
    fs::copy_file(other_tgz + ".prov", t.path() + "/" + name + ".prov");
    refused(t.path() + "/" + name, "plugin verification failed");
  }
  SECTION("no .prov beside the tarball") {
    test::TempDir t;
    fs::copy_file(tgz, t.path() + "/" + name);
    refused(t.path() + "/" + name, "no provenance file (.prov) found");
  }
  SECTION("the default keyring ($GNUPGHOME/pubring.gpg, else ~/.gnupg/pubring.gpg) without our key") {
    test::TempDir home, gnupg;
    test::ProcessOptions o;
    o.env = test::HelmHomes(home.path());
    o.env["GNUPGHOME"] = gnupg.path();
    fs::copy_file(other.pubring(), gnupg.path() + "/pubring.gpg");
    auto r = test::Run({test::Helm(4), "plugin", "install", tgz}, o);
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Catch::Contains("plugin verification failed"));
    // ... and with our key there, the default keyring is enough.
    fs::copy_file(key.pubring(), gnupg.path() + "/pubring.gpg", fs::copy_options::overwrite_existing);
    auto ok = test::Run({test::Helm(4), "plugin", "install", tgz}, o);
    INFO(ok.out << ok.err);
    CHECK(ok.exit_code == 0);
  }
}

TEST_CASE("helm plugin install <release URL> fetches <URL>.prov and verifies it (the form the docs give)") {
  test::SigningKey key("Capstan Test Release");
  test::TempDir dist, home;
  std::string tgz = test::PackagePlugin(key, dist.path());
  std::string release = "/capstan-dev/capstan/releases/download/v" + test::PluginVersion();
  httplib::Server server;
  std::vector<std::string> requests;
  std::mutex mu;
  server.set_logger([&](const httplib::Request& req, const httplib::Response&) {
    std::lock_guard<std::mutex> lock(mu);
    requests.push_back(req.path);
  });
  REQUIRE(server.set_mount_point(release, dist.path()));
  int port = server.bind_to_any_port("127.0.0.1");
  REQUIRE(port > 0);
  std::thread serving([&] { server.listen_after_bind(); });
  std::string url =
      "http://127.0.0.1:" + std::to_string(port) + release + "/capstan-" + test::PluginVersion() + ".tgz";

  test::ProcessOptions o;
  o.env = test::HelmHomes(home.path());
  o.unset_env = {"HELM_PLUGINS", "GNUPGHOME", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy",
                 "ALL_PROXY"};
  auto install = test::Run({test::Helm(4), "plugin", "install", url, "--keyring", key.pubring()}, o);
  test::SigningKey other("Somebody Else");
  test::TempDir home2;
  o.env = test::HelmHomes(home2.path());
  auto refused = test::Run({test::Helm(4), "plugin", "install", url, "--keyring", other.pubring()}, o);
  server.stop();
  serving.join();

  INFO(install.out << install.err);
  CHECK(install.exit_code == 0);
  CHECK_THAT(install.out, Catch::Contains("Signed by: Capstan Test Release"));
  CHECK(std::filesystem::exists(home.path() + "/data/plugins/capstan/bin/capstan-postrender"));
  CHECK(std::find(requests.begin(), requests.end(),
                  release + "/capstan-" + test::PluginVersion() + ".tgz.prov") != requests.end());
  CHECK(refused.exit_code != 0);
  CHECK_THAT(refused.err, Catch::Contains("plugin verification failed"));
}
