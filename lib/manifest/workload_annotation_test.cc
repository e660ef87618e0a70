// WorkloadAnnotation: the pod template's annotation wins over the workload's; blank values count as absent.
#include <catch2/catch.hpp>

#include "manifest/workload_annotation.h"

using namespace capstan;

namespace {

std::string Read(const std::string& doc, const char* key) {
  yaml::Tree t = yaml::Tree::Parse(doc);
  manifest::ObjectInfo info = manifest::Describe(t.root());
  manifest::PodTemplate tmpl = manifest::FindPodTemplate(t.root(), info);
  return std::string(manifest::WorkloadAnnotation(t.root(), tmpl, key));
}

std::string Deployment(const std::string& workload_annotations, const std::string& template_annotations) {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations: " + workload_annotations +
         "\nspec:\n  template:\n    metadata:\n      annotations: " + template_annotations +
         "\n    spec: {containers: [{name: w, image: w}]}\n";
}

}  // namespace

TEST_CASE("workload annotation: the pod template's value wins, else the workload's") {
  CHECK(Read(Deployment("{a: workload}", "{a: template}"), "a") == "template");
  CHECK(Read(Deployment("{a: workload}", "{}"), "a") == "workload");
  CHECK(Read(Deployment("{}", "{a: template}"), "a") == "template");
  CHECK(Read(Deployment("{}", "{}"), "a").empty());
  CHECK(Read(Deployment("{b: x}", "{c: y}"), "a").empty());
}

TEST_CASE("workload annotation: an empty or blank value counts as absent") {
  CHECK(Read(Deployment("{a: workload}", "{a: \"\"}"), "a") == "workload");
  CHECK(Read(Deployment("{a: workload}", "{a: \"  \"}"), "a") == "workload");
  CHECK(Read(Deployment("{a: \" \"}", "{}"), "a").empty());
}

TEST_CASE("workload annotation: a bare Pod is its own template, a non-workload reads its own metadata") {
  CHECK(Read("apiVersion: v1\nkind: Pod\nmetadata: {name: p, annotations: {a: pod}}\nspec: {}\n", "a") == "pod");
  CHECK(Read("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, annotations: {a: cm}}\n", "a") == "cm");
}
