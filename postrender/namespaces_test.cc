// The release namespace: --namespace, else HELM_NAMESPACE, else unknown (""), and how effective namespaces compare
// while it is unknown.
#include <catch2/catch.hpp>

#include <map>

#include "postrender/namespaces.h"
#include "postrender/pipeline.h"

using namespace capstan::postrender;

namespace {
std::function<const char*(const char*)> Env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> const char* {
    static thread_local std::string value;
    auto it = vars.find(name);
    if (it == vars.end()) return nullptr;
    value = it->second;
    return value.c_str();
  };
}
}  // namespace

TEST_CASE("namespaces: --namespace, then HELM_NAMESPACE, else unknown") {
  PipelineOptions o;
  ResolveReleaseNamespace(o, Env({}));
  CHECK(o.namespace_.empty());
  CHECK(o.namespace_source.empty());

  ResolveReleaseNamespace(o, Env({{"HELM_NAMESPACE", ""}}));  // set but empty: Helm ignores it too
  CHECK(o.namespace_.empty());

  ResolveReleaseNamespace(o, Env({{"HELM_NAMESPACE", "shop"}}));
  CHECK(o.namespace_ == "shop");
  CHECK(o.namespace_source == "HELM_NAMESPACE");

  PipelineOptions given;
  given.namespace_ = "portal";
  ResolveReleaseNamespace(given, Env({{"HELM_NAMESPACE", "shop"}}));
  CHECK(given.namespace_ == "portal");
  CHECK(given.namespace_source == "--namespace");
}

TEST_CASE("namespaces: an unknown release namespace may be any explicit one") {
  CHECK(CompareNamespaces("shop", "shop") == SameNamespace::kYes);
  CHECK(CompareNamespaces("", "") == SameNamespace::kYes);  // both in the release namespace
  CHECK(CompareNamespaces("", "shop") == SameNamespace::kMaybe);
  CHECK(CompareNamespaces("shop", "") == SameNamespace::kMaybe);
  CHECK(CompareNamespaces("shop", "other") == SameNamespace::kNo);
  CHECK(DescribeNamespace("shop") == "namespace shop");
  CHECK_THAT(DescribeNamespace(""), Catch::Contains("unknown"));
}
