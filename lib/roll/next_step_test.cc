// The rollout step logic's rules (step.h), without a cluster: order, budget, idempotency, waiting for the controller.
#include <catch2/catch.hpp>

#include "roll/next_step.h"
#include "util/error.h"

using namespace capstan;
using namespace capstan::roll;

namespace {

SetView Set(int replicas, bool ordered, const std::string& rev = "new") {
  SetView s;
  s.name = "web";
  s.replicas = replicas;
  s.generation = 2;
  s.observed_generation = 2;
  s.update_revision = rev;
  s.ordered_start = ordered;
  return s;
}

PodView Pod(int ordinal, const std::string& rev, bool ready = true, bool terminating = false) {
  PodView p;
  p.ordinal = ordinal;
  p.name = "web-" + std::to_string(ordinal);
  p.uid = "uid-" + std::to_string(ordinal) + "-" + rev;
  p.revision = rev;
  p.ready = ready;
  p.terminating = terminating;
  p.phase = "Running";
  return p;
}

StepInput Input(SetView s, std::vector<PodView> pods, int max_unavailable = 1) {
  StepInput in;
  in.set = std::move(s);
  in.pods = std::move(pods);
  in.max_unavailable = max_unavailable;
  return in;
}

}  // namespace

TEST_CASE("roll step: ordered start replaces pod 0 first, then highest ordinal first", "[roll][step]") {
  auto step = NextStep(Input(Set(3, true), {Pod(0, "old"), Pod(1, "old"), Pod(2, "old")}));
  REQUIRE(step.action == Step::Action::kDelete);
  CHECK(step.delete_pods == std::vector<std::string>{"web-0"});
  CHECK(step.delete_uids == std::vector<std::string>{"uid-0-old"});
  // pod 0 recreated but not Ready yet: nothing else is touched.
  step = NextStep(Input(Set(3, true), {Pod(0, "new", false), Pod(1, "old"), Pod(2, "old")}, 5));
  CHECK(step.action == Step::Action::kWait);
  CHECK_THAT(step.waiting_for, Catch::Contains("web-0"));
  // pod 0 missing (deleted, not yet recreated): wait.
  step = NextStep(Input(Set(3, true), {Pod(1, "old"), Pod(2, "old")}, 5));
  CHECK(step.action == Step::Action::kWait);
  // pod 0 current and Ready: pod 2 next, then pod 1.
  step = NextStep(Input(Set(3, true), {Pod(0, "new"), Pod(1, "old"), Pod(2, "old")}));
  REQUIRE(step.action == Step::Action::kDelete);
  CHECK(step.delete_pods == std::vector<std::string>{"web-2"});
  step = NextStep(Input(Set(3, true), {Pod(0, "new"), Pod(1, "old"), Pod(2, "new")}));
  CHECK(step.delete_pods == std::vector<std::string>{"web-1"});
  CHECK(step.current == 2);
}

TEST_CASE("roll step: without ordered start pod 0 goes last, highest ordinal first", "[roll][step]") {
  auto step = NextStep(Input(Set(3, false), {Pod(0, "old"), Pod(1, "old"), Pod(2, "old")}));
  CHECK(step.delete_pods == std::vector<std::string>{"web-2"});
  step = NextStep(Input(Set(3, false), {Pod(0, "old"), Pod(1, "new"), Pod(2, "new")}));
  CHECK(step.delete_pods == std::vector<std::string>{"web-0"});
}

TEST_CASE("roll step: max unavailable bounds deletions, counting pods not Ready or deleted", "[roll][step]") {
  auto step = NextStep(Input(Set(4, false), {Pod(0, "old"), Pod(1, "old"), Pod(2, "old"), Pod(3, "old")}, 2));
  CHECK(step.delete_pods == std::vector<std::string>{"web-3", "web-2"});
  // One replacement not Ready yet: one more may go.
  step = NextStep(Input(Set(4, false), {Pod(0, "old"), Pod(1, "old"), Pod(2, "new"), Pod(3, "new", false)}, 2));
  CHECK(step.delete_pods == std::vector<std::string>{"web-1"});
  CHECK(step.unavailable == 1);
  // Two unavailable (one terminating, one missing): nothing more.
  step = NextStep(Input(Set(4, false), {Pod(0, "old"), Pod(1, "old"), Pod(2, "old", true, true)}, 2));
  CHECK(step.action == Step::Action::kWait);
  CHECK(step.unavailable == 2);
  // An old pod that is not Ready costs nothing to replace.
  step = NextStep(Input(Set(3, false), {Pod(0, "old"), Pod(1, "old", false), Pod(2, "new", false)}, 1));
  CHECK(step.delete_pods == std::vector<std::string>{"web-1"});
}

TEST_CASE("roll step: done when every pod is current and Ready, current pods never deleted", "[roll][step]") {
  auto step = NextStep(Input(Set(2, true), {Pod(0, "new"), Pod(1, "new")}));
  CHECK(step.action == Step::Action::kDone);
  CHECK(step.current == 2);
  // A current pod that is not Ready is waited for, never deleted (a rerun after a crash continues).
  step = NextStep(Input(Set(2, false), {Pod(0, "new"), Pod(1, "new", false)}, 3));
  CHECK(step.action == Step::Action::kWait);
  CHECK(step.delete_pods.empty());
  // Pods beyond replicas (scale-down leftovers) and of other sets are ignored.
  PodView other = Pod(7, "old");
  other.ordinal = -1;
  step = NextStep(Input(Set(1, false), {Pod(0, "new"), Pod(3, "old"), other}));
  CHECK(step.action == Step::Action::kDone);
}

TEST_CASE("roll step: nothing happens before the controller observed the generation", "[roll][step]") {
  SetView s = Set(2, true);
  s.observed_generation = 1;
  auto step = NextStep(Input(s, {Pod(0, "old"), Pod(1, "old")}));
  CHECK(step.action == Step::Action::kWaitController);
  s = Set(2, true, "");
  CHECK(NextStep(Input(s, {Pod(0, "old")})).action == Step::Action::kWaitController);
}

TEST_CASE("roll step: reading pods and sets", "[roll][step]") {
  CHECK(PodOrdinal("web", "web-0") == 0);
  CHECK(PodOrdinal("web", "web-12") == 12);
  CHECK(PodOrdinal("web", "web-db-1") == -1);
  CHECK(PodOrdinal("web", "web-01") == -1);
  CHECK(PodOrdinal("web", "web-") == -1);
  CHECK(PodOrdinal("web", "webx-1") == -1);
  kube::JsonDoc sts = kube::ParseJson(R"({"metadata":{"name":"web","generation":3,"annotations":
      {"capstan.dev/roll-max-unavailable":"2"}},"spec":{"replicas":4,"selector":{"matchLabels":{"app":"web","tier":"x"}},
      "template":{"metadata":{"annotations":{"capstan.dev/ordered-start":"True"}}}},
      "status":{"observedGeneration":3,"updateRevision":"web-abc"}})", "sts");
  SetView s = ReadSet(sts);
  CHECK(s.replicas == 4);
  CHECK(s.ordered_start);
  CHECK(s.max_unavailable_annotation == 2);
  CHECK(s.pod_selector == "app=web,tier=x");
  CHECK(s.update_revision == "web-abc");
  kube::JsonDoc bad = kube::ParseJson(R"({"metadata":{"name":"web","annotations":{"capstan.dev/roll-max-unavailable":"0"}},
      "spec":{"selector":{"matchLabels":{"app":"web"}}}})", "sts");
  CHECK_THROWS_WITH(ReadSet(bad), Catch::Contains("roll-max-unavailable"));
  kube::JsonDoc noselector = kube::ParseJson(R"({"metadata":{"name":"web"},"spec":{}})", "sts");
  CHECK_THROWS_WITH(ReadSet(noselector), Catch::Contains("matchLabels"));
  kube::JsonDoc pod = kube::ParseJson(R"({"metadata":{"name":"web-1","uid":"u1","labels":{"controller-revision-hash":"web-abc"},
      "deletionTimestamp":"2026-01-01T00:00:00Z"},"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}})", "pod");
  PodView p = ReadPod("web", pod);
  CHECK(p.ordinal == 1);
  CHECK(p.ready);
  CHECK(p.terminating);
  CHECK(p.revision == "web-abc");
}
