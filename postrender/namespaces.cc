#include "postrender/namespaces.h"

#include "postrender/pipeline.h"

namespace capstan::postrender {

std::string DescribeNamespace(std::string_view ns) {
  if (ns.empty())
    return "the release namespace (unknown: Helm passes no namespace to a post-renderer)";
  return "namespace " + std::string(ns);
}

void ResolveReleaseNamespace(PipelineOptions& options, const std::function<const char*(const char*)>& getenv) {
  if (!options.namespace_.empty()) {
    options.namespace_source = "--namespace";
    return;
  }
  const char* helm = getenv("HELM_NAMESPACE");
  if (helm && *helm) {
    options.namespace_ = helm;
    options.namespace_source = "HELM_NAMESPACE";
    return;
  }
  options.namespace_source.clear();
}

}  // namespace capstan::postrender
