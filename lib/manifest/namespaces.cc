#include "manifest/namespaces.h"

namespace capstan::manifest {

SameNamespace CompareNamespaces(std::string_view a, std::string_view b) {
  if (a == b) return SameNamespace::kYes;
  if (a.empty() || b.empty()) return SameNamespace::kMaybe;
  return SameNamespace::kNo;
}

}  // namespace capstan::manifest
