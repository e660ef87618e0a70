#include "kube/kube_flags.h"

#include "log/log.h"
#include "util/duration.h"

namespace capstan::kube {

void AddKubeConnectionFlags(CLI::App& app, KubeFlags& f) {
  app.add_option("--kubeconfig", f.kubeconfig,
                 "Kubeconfig file (default: in-cluster service account in a pod, else $KUBECONFIG or ~/.kube/config)")
      ->envname("CAPSTAN_KUBECONFIG");
  app.add_option("--context", f.context, "Kubeconfig context (default: current-context)")->envname("CAPSTAN_CONTEXT");
  app.add_option("--request-timeout", f.request_timeout, "Timeout of one API request (e.g. 30s)")
      ->capture_default_str()
      ->envname("CAPSTAN_REQUEST_TIMEOUT");
}

void AddKubeFlags(CLI::App& app, KubeFlags& f) {
  AddKubeConnectionFlags(app, f);
  app.add_option("-n,--namespace", f.ns, "Namespace of the release (default: the pod's or the context's namespace)")
      ->envname("CAPSTAN_NAMESPACE");
}

std::unique_ptr<Client> MakeClient(KubeFlags& f, const std::string& hook) {
  LoadOptions lo;
  lo.kubeconfig = f.kubeconfig;
  lo.context = f.context;
  Config config = Load(lo);
  ClientOptions co;
  co.read_timeout = ParseDuration(f.request_timeout);
  co.hook = hook;
  if (f.ns.empty()) f.ns = config.namespace_name.empty() ? "default" : config.namespace_name;
  log::Debug("kubernetes API configuration", {{"source", config.source}, {"server", config.BaseUrl()},
                                              {"namespace", f.ns}});
  return std::make_unique<Client>(std::move(config), co);
}

}  // namespace capstan::kube
