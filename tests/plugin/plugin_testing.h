// Helpers for the Helm plugin release tests: a throw-away OpenPGP signing key (gpg, batch, no passphrase, in a
// temporary GNUPGHOME), the signed plugin tarball made by scripts/package-plugin.sh (Helm 4's own `helm plugin
// package`), and Helm home directories for one Helm.
#pragma once
#include <map>
#include <string>

#include "support/test_support.h"

namespace capstan::test {

// A throw-away key "<name> <test@capstan.invalid>": pubring() holds its public key (what users pass to --keyring),
// secring() its secret key (what the packaging signs with). Both are binary OpenPGP keyrings, the format Helm reads.
class SigningKey {
 public:
  explicit SigningKey(const std::string& name);
  const std::string& name() const { return name_; }
  std::string pubring() const { return dir_.path() + "/pubring.gpg"; }
  std::string secring() const { return dir_.path() + "/secring.gpg"; }

 private:
  std::string name_;
  TempDir dir_;
};

// Packages build/helm-plugin/capstan signed with key into dest (capstan-<version>.tgz and .prov); returns the
// tarball's path. Fails the test when packaging fails.
std::string PackagePlugin(const SigningKey& key, const std::string& dest);
std::string PluginVersion();  // the project version (the tarball is capstan-<version>.tgz)

// HELM_CONFIG_HOME, HELM_DATA_HOME and HELM_CACHE_HOME under root (data: root/<data>).
std::map<std::string, std::string> HelmHomes(const std::string& root, const std::string& data = "data");

}  // namespace capstan::test
