// The command-line flags every API-using `capstan` subcommand shares (--kubeconfig, --context, -n/--namespace,
// --request-timeout) and building a Client from them. In a pod, nothing needs to be given: the service account is
// used and the namespace is the pod's.
#pragma once
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "kube/client.h"

namespace capstan::kube {

struct KubeFlags {
  std::string kubeconfig;
  std::string context;
  std::string ns;
  std::string request_timeout = "30s";
};

void AddKubeFlags(CLI::App& app, KubeFlags& flags);
// The same without -n/--namespace, for a command that has its own (capstan backup records it in the manifest).
void AddKubeConnectionFlags(CLI::App& app, KubeFlags& flags);
// Loads the configuration and returns a client; ns is filled from the configuration when not given.
std::unique_ptr<Client> MakeClient(KubeFlags& flags, const std::string& hook);

}  // namespace capstan::kube
