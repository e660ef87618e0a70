// How two objects' effective namespaces compare when the release namespace may be unknown. An object without
// metadata.namespace is in the release namespace, written "" while unknown (Helm passes a post-renderer no
// namespace; postrender/namespaces.h says where it comes from). "" compares as "maybe" with every explicit
// namespace, so an unqualified reference matches the one object of that kind and name whatever its namespace, and
// two or more such candidates are ambiguous. Used by the post-renderer's checksum filter and by lib/plan, so both
// resolve a pod's ConfigMap/Secret references the same way.
#pragma once
#include <string_view>

namespace capstan::manifest {

enum class SameNamespace { kYes, kMaybe, kNo };

// a and b are effective namespaces: an object's metadata.namespace, else the release namespace ("" while unknown).
SameNamespace CompareNamespaces(std::string_view a, std::string_view b);

}  // namespace capstan::manifest
