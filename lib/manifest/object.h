// What a manifest document is: apiVersion, kind, name, namespace, Helm hook events, and the annotations Helm and
// Capstan put on it. Read from a parsed document's root mapping.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "yaml/tree.h"

namespace capstan::manifest {

inline constexpr std::string_view kHelmFilenameAnnotation = "postrenderer.helm.sh/postrender-filename";
inline constexpr std::string_view kHelmHookAnnotation = "helm.sh/hook";

struct ObjectInfo {
  bool is_object = false;  // a mapping with scalar apiVersion and kind
  std::string api_version, kind, name, namespace_;
  std::vector<std::string> hook_events;  // lowercased, trimmed; empty for regular resources
  std::string helm_filename;             // Helm 4's postrender-filename annotation

  bool IsHook() const { return !hook_events.empty(); }
  bool HasHookEvent(std::string_view event) const;
  std::string Group() const;  // "apps" for "apps/v1", "" for "v1"
  std::string Ref() const;    // "Deployment/web"
};

ObjectInfo Describe(const yaml::Node& root);
// The events of a helm.sh/hook annotation value: split at commas, trimmed, lowercased, empty ones dropped.
std::vector<std::string> HookEvents(std::string_view annotation);
// metadata.annotations[key] of a mapping that has metadata (an object or a pod template); empty when absent.
std::string_view Annotation(const yaml::Node& with_metadata, std::string_view key);
std::string_view Label(const yaml::Node& with_metadata, std::string_view key);

}  // namespace capstan::manifest
