// FatalPodProblem: the pod states `capstan roll` fails fast on, and the ones it keeps waiting through.
#include <catch2/catch.hpp>

#include "kube/pod_health.h"

using namespace capstan;

namespace {
std::optional<kube::PodFailure> Fatal(const std::string& status, int restarts_limit = 3) {
  kube::JsonDoc pod = kube::ParseJson(R"({"metadata":{"name":"web-0"},"status":)" + status + "}", "pod");
  return kube::FatalPodProblem(pod, restarts_limit);
}
std::string Waiting(const std::string& reason, int restarts, bool init = false) {
  return std::string(R"({"phase":"Pending",")") + (init ? "initContainerStatuses" : "containerStatuses") +
         R"(":[{"name":"app","restartCount":)" + std::to_string(restarts) + R"(,"state":{"waiting":{"reason":")" +
         reason + R"(","message":"details"}},"lastState":{"terminated":{"reason":"OOMKilled","exitCode":137}}}]})";
}
}  // namespace

TEST_CASE("pod health: fatal states name the pod, container and reason", "[kube][pod_health]") {
  for (const char* reason : {"ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CreateContainerConfigError",
                             "CreateContainerError"}) {
    INFO(reason);
    auto f = Fatal(Waiting(reason, 0));
    REQUIRE(f);
    CHECK(f->container == "app");
    CHECK(f->reason == reason);
    CHECK(f->Describe() == std::string("pod web-0 container app: ") + reason + " (details)");
  }
  auto init = Fatal(Waiting("ErrImagePull", 0, true));
  REQUIRE(init);
  CHECK(init->Describe() == "pod web-0 init container app: ErrImagePull (details)");
}

TEST_CASE("pod health: CrashLoopBackOff is fatal from the restart threshold on", "[kube][pod_health]") {
  CHECK_FALSE(Fatal(Waiting("CrashLoopBackOff", 2), 3));
  auto f = Fatal(Waiting("CrashLoopBackOff", 3), 3);
  REQUIRE(f);
  CHECK(f->restarts == 3);
  CHECK(f->Describe() == "pod web-0 container app: CrashLoopBackOff after 3 restarts (last terminated OOMKilled exit "
                         "137; details)");
}

TEST_CASE("pod health: unschedulable is reported as such, transient states are not fatal", "[kube][pod_health]") {
  auto f = Fatal(R"({"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"Unschedulable",
      "message":"0/3 nodes are available"}]})");
  REQUIRE(f);
  CHECK(f->unschedulable);
  CHECK(f->container.empty());
  CHECK(f->Describe() == "pod web-0: Unschedulable (0/3 nodes are available)");
  CHECK_FALSE(Fatal(Waiting("ContainerCreating", 0)));
  CHECK_FALSE(Fatal(Waiting("PodInitializing", 0)));
  CHECK_FALSE(Fatal(R"({"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"SchedulerError"}]})"));
  CHECK_FALSE(Fatal(R"({"phase":"Running","conditions":[{"type":"Ready","status":"True"}]})"));
  CHECK_FALSE(Fatal("3"));
}
