// A simulated StatefulSet controller and kubelet on the local Kubernetes API test server (kube_test_server.h), for
// the `capstan roll` tests: a StatefulSet (OnDelete, optionally ordered-start) with its pods, and a thread that plays
// realistic lifecycles. Upgrade() changes the template and, a moment later, the controller observes it
// (status.observedGeneration, updateRevision). A deleted pod is recreated after a delay (same name, new uid) at the
// update revision and goes Pending -> Running -> Ready over a few hundred ms, emitting Events; per-ordinal scripted
// outcomes make the next new pod never Ready, crash-loop with a rising restartCount, fail its image pull
// (ErrImagePull -> ImagePullBackOff) or stay Unschedulable. The sim samples how many pods are unavailable (missing
// or not Ready) at each tick, so tests can assert maxUnavailable from the server's side.
// Given a rendered StatefulSet (SimOptions::statefulset, Apply) it plays that object instead of a synthesized one:
// the revision is a digest of its pod template (the same template gives the same revision, as a rollback gets from
// the controller's ControllerRevisions), pods carry its template labels and its main container's name and image
// (kubectl.kubernetes.io/default-container, else the first), and with podManagementPolicy OrderedReady (the
// default) a missing pod is created only once every lower ordinal is Ready.
#pragma once
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "kube/kube_test_server.h"

namespace capstan::test {

enum class PodOutcome { kReady, kNeverReady, kCrashLoop, kImagePull, kUnschedulable };

struct SimOptions {
  std::string ns = "shop";
  std::string name = "web";
  int replicas = 3;
  bool ordered = true;
  std::string max_unavailable_annotation;  // capstan.dev/roll-max-unavailable ("" none)
  std::chrono::milliseconds recreate_delay{100};
  std::chrono::milliseconds step{80};  // between lifecycle steps
  std::chrono::milliseconds observe_delay{50};  // from a new generation to the controller's observing it
  // A rendered StatefulSet (JSON; helm template output converted) to play instead of the synthesized one: name and
  // replicas come from it, namespace from ns.
  std::string statefulset;
  // Install: no pod exists yet; the controller creates them (in order, under OrderedReady).
  bool install = false;
};

class ClusterSim {
 public:
  ClusterSim(KubeTestServer& server, SimOptions options);
  ~ClusterSim();
  ClusterSim(const ClusterSim&) = delete;
  ClusterSim& operator=(const ClusterSim&) = delete;

  // A new template revision (generation + 1); the controller observes it observe_delay later.
  void Upgrade(const std::string& revision);
  // The outcome of the pods created at this ordinal from now on (default kReady).
  void Script(int ordinal, PodOutcome outcome);
  // The outcome of the pods created from now on whose first container runs this image (an ordinal's script wins).
  void ScriptImage(const std::string& image, PodOutcome outcome);
  // Applies a rendered StatefulSet as `helm upgrade` or `helm rollback` does: a changed template is a new
  // generation, observed by the controller observe_delay later with the revision of that template.
  void Apply(const std::string& statefulset_json);
  // Pod creations as the controller made them, in order (pod names).
  std::vector<std::string> Creations();

  std::string SetPath() const;
  std::string PodPath(int ordinal) const;
  std::string PodName(int ordinal) const { return options_.name + "-" + std::to_string(ordinal); }
  // Successful pod DELETEs as the server saw them, in order (pod names).
  std::vector<std::string> Deletions();
  // The most pods unavailable at once (missing or not Ready) since the last ResetMax().
  int MaxUnavailable() const { return max_unavailable_.load(); }
  // The controller-revision-hash of each pod 0..replicas-1 ("" when missing), and whether it is Ready.
  std::string Revision(int ordinal);
  bool Ready(int ordinal);
  std::string update_revision();

 private:
  struct Life {
    std::string uid;
    std::string revision;
    PodOutcome outcome;
    std::chrono::steady_clock::time_point born;
    int step = -1;
    std::string container = "app", image = "registry.invalid/app";
  };
  void StartRendered();
  void Loop();
  void Tick();
  std::string PodJson(int ordinal, const Life& life, int step);
  void Event(int ordinal, const std::string& type, const std::string& reason, const std::string& message);

  KubeTestServer& server_;
  SimOptions options_;
  std::mutex mu_;
  std::map<int, PodOutcome> script_;
  std::map<std::string, PodOutcome> image_script_;
  std::vector<std::string> creations_;
  bool rendered_ = false, ordered_ready_ = false;
  std::string pod_labels_;  // the template's labels as JSON members ("app":"web")
  std::map<int, std::chrono::steady_clock::time_point> missing_since_;
  std::map<int, Life> lives_;
  std::chrono::steady_clock::time_point upgraded_at_{};
  int generation_ = 1;
  std::string revision_ = "rev1";
  int uid_counter_ = 0, event_counter_ = 0;
  std::atomic<int> max_unavailable_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace capstan::test
