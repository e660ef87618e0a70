// The release namespace and how objects' namespaces compare. Helm passes a post-renderer neither the namespace nor
// the release name (Helm 4 passes only HELM_PLUGIN_NAME and HELM_PLUGIN_DIR), so the release namespace is, in this
// order: --namespace (or CAPSTAN_NAMESPACE, or `namespace:` in the configuration file), then HELM_NAMESPACE when it
// is set (Helm's own default for -n), else unknown. An object without metadata.namespace is in the release
// namespace; a pod only consumes objects of its own namespace. While the release namespace is unknown it is written
// "" and compares as "maybe" with every explicit namespace: an unqualified reference then matches the one object of
// that name and kind whatever its explicit namespace, and two or more such candidates are ambiguous (a finding).
#pragma once
#include <functional>
#include <string>
#include <string_view>

#include "manifest/namespaces.h"

namespace capstan::postrender {

struct PipelineOptions;

// The comparison itself lives in lib/manifest, shared with lib/plan.
using manifest::CompareNamespaces;
using manifest::SameNamespace;
// Not known to differ (yes or maybe): what a check for a selecting object (a Service, a PodDisruptionBudget) uses.
inline bool MayShareNamespace(std::string_view a, std::string_view b) {
  return CompareNamespaces(a, b) != SameNamespace::kNo;
}

// "namespace shop", or "the release namespace (unknown: ...)" for "".
std::string DescribeNamespace(std::string_view ns);

// Sets options.namespace_ from HELM_NAMESPACE when nothing else gave it, and options.namespace_source to where the
// namespace came from ("--namespace", "HELM_NAMESPACE", or "" while unknown). getenv is replaceable for tests.
void ResolveReleaseNamespace(PipelineOptions& options, const std::function<const char*(const char*)>& getenv);

}  // namespace capstan::postrender
