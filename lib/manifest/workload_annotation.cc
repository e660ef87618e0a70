#include "manifest/workload_annotation.h"

#include "util/strings.h"

namespace capstan::manifest {

std::string_view WorkloadAnnotation(const yaml::Node& root, const PodTemplate& tmpl, std::string_view key) {
  if (tmpl.node) {
    std::string_view v = Annotation(tmpl.node, key);
    if (!Trim(v).empty()) return v;
  }
  std::string_view v = Annotation(root, key);
  return Trim(v).empty() ? std::string_view() : v;
}

}  // namespace capstan::manifest
