#include "plugin/plugin_testing.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "capstan_version.h"

namespace capstan::test {

SigningKey::SigningKey(const std::string& name) : name_(name) {
  std::string home = dir_.path() + "/gnupg";
  REQUIRE(::mkdir(home.c_str(), 0700) == 0);
  ProcessOptions o;
  o.env = {{"GNUPGHOME", home}};
  auto gen = Run({"gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key",
                  name + " <test@capstan.invalid>", "ed25519", "sign", "never"},
                 o);
  INFO(gen.err);
  REQUIRE(gen.exit_code == 0);
  auto pub = Run({"gpg", "--batch", "--output", pubring(), "--export", name}, o);
  REQUIRE(pub.exit_code == 0);
  auto sec = Run({"gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--output", secring(),
                  "--export-secret-keys", name},
                 o);
  REQUIRE(sec.exit_code == 0);
  Run({"gpgconf", "--kill", "gpg-agent"}, o);  // the agent gpg started for this home would outlive the test
}

std::string PluginVersion() { return CAPSTAN_VERSION; }

std::string PackagePlugin(const SigningKey& key, const std::string& dest) {
  ProcessOptions o;
  o.env = {{"HELM4", Helm(4)}};
  auto r = Run({"bash", SourceDir() + "/scripts/package-plugin.sh", "--plugin-dir",
                BinaryDir() + "/helm-plugin/capstan", "--dest", dest, "--version", PluginVersion(), "--key",
                key.name(), "--keyring", key.secring()},
               o);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  return dest + "/capstan-" + PluginVersion() + ".tgz";
}

std::map<std::string, std::string> HelmHomes(const std::string& root, const std::string& data) {
  return {{"HELM_CONFIG_HOME", root + "/config"}, {"HELM_DATA_HOME", root + "/" + data},
          {"HELM_CACHE_HOME", root + "/cache"}};
}

}  // namespace capstan::test
