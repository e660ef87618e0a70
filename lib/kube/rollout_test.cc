// Rollout status as kubectl computes it, and pod diagnosis, over JSON objects.
#include <catch2/catch.hpp>

#include "kube/pod_health.h"
#include "kube/rollout.h"

using namespace capstan::kube;

namespace {
RolloutStatus D(const std::string& json) { return WorkloadRollout(ParseJson(json, "test")); }
}  // namespace

TEST_CASE("rollout: Deployment", "[kube][rollout]") {
  const std::string meta = R"("kind":"Deployment","metadata":{"name":"web","generation":3},)";
  struct Case {
    std::string spec_status;
    RolloutState state;
    std::string contains;
  } cases[] = {
      {R"("spec":{"replicas":3},"status":{"observedGeneration":2,"replicas":3,"updatedReplicas":3,"availableReplicas":3})",
       RolloutState::kProgressing, "spec update to be observed"},
      {R"("spec":{"replicas":3},"status":{"observedGeneration":3,"replicas":3,"updatedReplicas":1,"availableReplicas":3})",
       RolloutState::kProgressing, "1 out of 3 new replicas have been updated"},
      {R"("spec":{"replicas":3},"status":{"observedGeneration":3,"replicas":4,"updatedReplicas":3,"availableReplicas":3})",
       RolloutState::kProgressing, "1 old replicas are pending termination"},
      {R"("spec":{"replicas":3},"status":{"observedGeneration":3,"replicas":3,"updatedReplicas":3,"availableReplicas":2})",
       RolloutState::kProgressing, "2 of 3 updated replicas are available"},
      {R"("spec":{"replicas":3},"status":{"observedGeneration":3,"replicas":3,"updatedReplicas":3,"availableReplicas":3})",
       RolloutState::kDone, "successfully rolled out"},
      {R"("spec":{},"status":{"observedGeneration":3,"replicas":1,"updatedReplicas":1,"availableReplicas":1})",
       RolloutState::kDone, "successfully rolled out"},  // replicas defaults to 1
      {R"("spec":{"replicas":0},"status":{"observedGeneration":3})", RolloutState::kDone, "successfully"},
      {R"("spec":{"replicas":3},"status":{"observedGeneration":3,"replicas":3,"updatedReplicas":1,
          "conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded"}]})",
       RolloutState::kFailed, "exceeded its progress deadline"},
  };
  for (const auto& c : cases) {
    auto s = D("{" + meta + c.spec_status + "}");
    INFO(c.spec_status << " -> " << s.message);
    CHECK(s.state == c.state);
    CHECK(s.message.find(c.contains) != std::string::npos);
  }
}

TEST_CASE("rollout: StatefulSet with revisions and partitions", "[kube][rollout]") {
  auto S = [](const std::string& spec, const std::string& status, int gen = 2) {
    return D(R"({"kind":"StatefulSet","metadata":{"name":"db","generation":)" + std::to_string(gen) +
             R"(},"spec":)" + spec + R"(,"status":)" + status + "}");
  };
  CHECK(S(R"({"replicas":3})", R"({"observedGeneration":0})").message.find("observed") != std::string::npos);
  CHECK(S(R"({"replicas":3})", R"({"observedGeneration":1,"readyReplicas":3})", 2).state == RolloutState::kProgressing);
  auto notready = S(R"({"replicas":3})", R"({"observedGeneration":2,"readyReplicas":1})");
  CHECK(notready.message.find("Waiting for 2 pods") != std::string::npos);
  auto rolling = S(R"({"replicas":3})",
                   R"({"observedGeneration":2,"readyReplicas":3,"updatedReplicas":1,"currentRevision":"db-a","updateRevision":"db-b"})");
  CHECK(rolling.state == RolloutState::kProgressing);
  CHECK(rolling.message.find("revision db-b") != std::string::npos);
  auto done = S(R"({"replicas":3})",
                R"({"observedGeneration":2,"readyReplicas":3,"currentReplicas":3,"currentRevision":"db-b","updateRevision":"db-b"})");
  CHECK(done.done());
  const std::string part = R"({"replicas":4,"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":2}}})";
  auto p1 = S(part, R"({"observedGeneration":2,"readyReplicas":4,"updatedReplicas":1,"currentRevision":"a","updateRevision":"b"})");
  CHECK(p1.state == RolloutState::kProgressing);
  CHECK(p1.message.find("1 out of 2 new pods") != std::string::npos);
  auto p2 = S(part, R"({"observedGeneration":2,"readyReplicas":4,"updatedReplicas":2,"currentRevision":"a","updateRevision":"b"})");
  CHECK(p2.done());  // revisions differ, but the partition is honoured
  CHECK(p2.message.find("partitioned roll out") != std::string::npos);
  auto ondelete = S(R"({"replicas":2,"updateStrategy":{"type":"OnDelete"}})",
                    R"({"observedGeneration":2,"readyReplicas":2,"currentRevision":"a","updateRevision":"b"})");
  CHECK(ondelete.done());
  CHECK(ondelete.message.find("OnDelete") != std::string::npos);
}

TEST_CASE("rollout: DaemonSet and Job", "[kube][rollout]") {
  auto DS = [](const std::string& status) {
    return D(R"({"kind":"DaemonSet","metadata":{"name":"agent","generation":5},"spec":{},"status":)" + status + "}");
  };
  CHECK(DS(R"({"observedGeneration":4,"desiredNumberScheduled":3,"updatedNumberScheduled":3,"numberAvailable":3})").state ==
        RolloutState::kProgressing);
  CHECK(DS(R"({"observedGeneration":5,"desiredNumberScheduled":3,"updatedNumberScheduled":2,"numberAvailable":3})")
            .message.find("2 out of 3 new pods") != std::string::npos);
  CHECK(DS(R"({"observedGeneration":5,"desiredNumberScheduled":3,"updatedNumberScheduled":3,"numberAvailable":1})")
            .message.find("1 of 3 updated pods are available") != std::string::npos);
  CHECK(DS(R"({"observedGeneration":5,"desiredNumberScheduled":3,"updatedNumberScheduled":3,"numberAvailable":3})").done());

  auto J = [](const std::string& status) {
    return D(R"({"kind":"Job","metadata":{"name":"migrate"},"spec":{"completions":1},"status":)" + status + "}");
  };
  CHECK(J(R"({"active":1})").state == RolloutState::kProgressing);
  CHECK(J(R"({"succeeded":1,"conditions":[{"type":"Complete","status":"True"}]})").done());
  auto failed = J(R"({"failed":6,"conditions":[{"type":"Failed","status":"True","reason":"BackoffLimitExceeded","message":"Job has reached the specified backoff limit"}]})");
  CHECK(failed.state == RolloutState::kFailed);
  CHECK(failed.message.find("BackoffLimitExceeded") != std::string::npos);
  CHECK(D(R"({"kind":"ConfigMap","metadata":{"name":"x"}})").done());
  CHECK(D("[]").done());  // not an object: no kind, nothing to wait for
}

TEST_CASE("pod health: container states, restart reasons", "[kube][rollout]") {
  auto list = ParseJson(R"({"items":[
    {"metadata":{"name":"web-1"},"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}],
      "containerStatuses":[{"name":"app","ready":true,"restartCount":0,"state":{"running":{}}}]}},
    {"metadata":{"name":"web-2"},"status":{"phase":"Running","conditions":[{"type":"Ready","status":"False"}],
      "containerStatuses":[{"name":"app","ready":false,"restartCount":7,
        "state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 5m0s restarting failed container"}},
        "lastState":{"terminated":{"reason":"OOMKilled","exitCode":137}}}]}},
    {"metadata":{"name":"web-3"},"status":{"phase":"Pending","conditions":[{"type":"Ready","status":"False"}],
      "containerStatuses":[{"name":"app","ready":false,"restartCount":0,
        "state":{"waiting":{"reason":"ImagePullBackOff","message":"Back-off pulling image \"web:9.9\""}}}]}},
    {"metadata":{"name":"web-4"},"status":{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False",
      "message":"0/3 nodes are available: 3 Insufficient memory."}]}},
    {"metadata":{"name":"web-5"},"status":{"phase":"Running","conditions":[{"type":"Ready","status":"False"}],
      "containerStatuses":[{"name":"app","ready":false,"restartCount":0,"state":{"running":{}}}]}},
    {"metadata":{"name":"job-1"},"status":{"phase":"Succeeded"}}
  ]})", "t");
  auto problems = UnhealthyPods(list);
  REQUIRE(problems.size() == 4);
  CHECK(problems[0].pod == "web-2");
  CHECK(problems[0].summary.find("CrashLoopBackOff") != std::string::npos);
  CHECK(problems[0].summary.find("last terminated OOMKilled exit 137") != std::string::npos);
  CHECK(problems[0].summary.find("7 restarts") != std::string::npos);
  CHECK(problems[1].summary.find("ImagePullBackOff") != std::string::npos);
  CHECK(problems[2].summary.find("Insufficient memory") != std::string::npos);
  CHECK(problems[3].summary.find("readiness") != std::string::npos);
}
