#include "kube/cluster_sim.h"

#include "digest/sha256.h"
#include "kube/pod_health.h"

namespace capstan::test {
namespace {
using Clock = std::chrono::steady_clock;

// The revision of a pod template, as the controller names ControllerRevisions: a digest of the template.
std::string TemplateRevision(const kube::Json& set) {
  const kube::Json* t = kube::Find(set, {"spec", "template"});
  return Sha256::Hex(t == nullptr ? "" : kube::ToJson(*t)).substr(0, 10);
}

// A field of the pod's main container: the one kubectl.kubernetes.io/default-container names (the post-renderer
// sets it when it adds a container before the chart's), else the first.
std::string MainContainer(const kube::Json& set, const char* field) {
  const kube::Json* c = kube::Find(set, {"spec", "template", "spec", "containers"});
  if (c == nullptr || !c->IsArray() || c->Empty() || !(*c)[0].IsObject()) return "";
  std::string main = kube::GetString(set, {"spec", "template", "metadata", "annotations", "kubectl.kubernetes.io/default-container"});
  for (const auto& container : c->GetArray())
    if (!main.empty() && container.IsObject() && kube::GetString(container, {"name"}) == main)
      return kube::GetString(container, {field});
  return kube::GetString((*c)[0], {field});
}
}  // namespace

ClusterSim::ClusterSim(KubeTestServer& server, SimOptions options) : server_(server), options_(std::move(options)) {
  if (!options_.statefulset.empty()) {
    StartRendered();
    thread_ = std::thread([this] { Loop(); });
    return;
  }
  pod_labels_ = R"("app":")" + options_.name + "\"";
  std::string annotations = options_.ordered ? R"("capstan.dev/ordered-start":"true")" : "";
  if (!options_.max_unavailable_annotation.empty())
    annotations += std::string(annotations.empty() ? "" : ",") + R"("capstan.dev/roll-max-unavailable":")" +
                   options_.max_unavailable_annotation + "\"";
  server_.Put(SetPath(), R"({"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":")" + options_.name +
                             R"(","namespace":")" + options_.ns + R"(","generation":1,"annotations":{)" + annotations +
                             R"(}},"spec":{"replicas":)" + std::to_string(options_.replicas) +
                             R"(,"selector":{"matchLabels":{"app":")" + options_.name +
                             R"("}},"updateStrategy":{"type":"OnDelete"},"template":{"metadata":{"labels":{"app":")" +
                             options_.name + R"("},"annotations":{"capstan.dev/ordered-start-digest":"rev1"}}}},)" +
                             R"("status":{"observedGeneration":1,"replicas":)" + std::to_string(options_.replicas) +
                             R"(,"currentRevision":")" + options_.name + R"(-rev1","updateRevision":")" +
                             options_.name + R"(-rev1"}})");
  auto now = Clock::now();
  for (int i = 0; i < options_.replicas; ++i) {
    Life life{"uid-" + PodName(i) + "-" + std::to_string(++uid_counter_), options_.name + "-rev1", PodOutcome::kReady,
              now - std::chrono::hours(1), 99};
    server_.Put(PodPath(i), PodJson(i, life, 99));
    lives_[i] = life;
  }
  thread_ = std::thread([this] { Loop(); });
}

void ClusterSim::StartRendered() {
  rendered_ = true;
  kube::JsonDoc d = kube::ParseJson(options_.statefulset, "the rendered StatefulSet");
  auto& a = d.GetAllocator();
  options_.name = kube::GetString(d, {"metadata", "name"});
  options_.replicas = static_cast<int>(kube::GetIntOr(d, {"spec", "replicas"}, 1));
  ordered_ready_ = kube::GetString(d, {"spec", "podManagementPolicy"}, "OrderedReady") == "OrderedReady";
  if (const kube::Json* labels = kube::Find(d, {"spec", "template", "metadata", "labels"}); labels && labels->IsObject())
    for (const auto& m : labels->GetObject())
      if (m.value.IsString())
        pod_labels_ += (pod_labels_.empty() ? "\"" : ",\"") + std::string(m.name.GetString()) + "\":\"" +
                       m.value.GetString() + "\"";
  kube::SetString(d["metadata"], "namespace", options_.ns, a);
  d["metadata"].RemoveMember("generation");
  d["metadata"].AddMember("generation", 1, a);
  revision_ = TemplateRevision(d);
  d.RemoveMember("status");
  rapidjson::Value status(rapidjson::kObjectType);
  status.AddMember("observedGeneration", 1, a);
  status.AddMember("replicas", options_.replicas, a);
  kube::SetString(status, "currentRevision", options_.name + "-" + revision_, a);
  kube::SetString(status, "updateRevision", options_.name + "-" + revision_, a);
  d.AddMember("status", status, a);
  server_.Put(SetPath(), kube::ToJson(d));
  if (options_.install) return;
  auto now = Clock::now();
  for (int i = 0; i < options_.replicas; ++i) {
    Life life{"uid-" + PodName(i) + "-" + std::to_string(++uid_counter_), options_.name + "-" + revision_,
              PodOutcome::kReady, now - std::chrono::hours(1), 99, MainContainer(d, "name"), MainContainer(d, "image")};
    server_.Put(PodPath(i), PodJson(i, life, 99));
    lives_[i] = life;
  }
}

void ClusterSim::Apply(const std::string& statefulset_json) {
  std::lock_guard<std::mutex> g(mu_);
  kube::JsonDoc stored = kube::ParseJson(server_.Object(SetPath()), "sts");
  kube::JsonDoc next = kube::ParseJson(statefulset_json, "the rendered StatefulSet");
  auto& a = stored.GetAllocator();
  std::string before = kube::ToJson(stored["spec"]);
  stored["spec"].CopyFrom(next["spec"], a);
  if (kube::ToJson(stored["spec"]) != before) {
    ++generation_;
    upgraded_at_ = Clock::now();
    stored["metadata"]["generation"].SetInt(generation_);
  }
  revision_ = TemplateRevision(stored);
  server_.Put(SetPath(), kube::ToJson(stored));
}

void ClusterSim::ScriptImage(const std::string& image, PodOutcome outcome) {
  std::lock_guard<std::mutex> g(mu_);
  image_script_[image] = outcome;
}

std::vector<std::string> ClusterSim::Creations() {
  std::lock_guard<std::mutex> g(mu_);
  return creations_;
}

ClusterSim::~ClusterSim() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

std::string ClusterSim::SetPath() const {
  return "/apis/apps/v1/namespaces/" + options_.ns + "/statefulsets/" + options_.name;
}
std::string ClusterSim::PodPath(int i) const { return "/api/v1/namespaces/" + options_.ns + "/pods/" + PodName(i); }

void ClusterSim::Upgrade(const std::string& revision) {
  std::lock_guard<std::mutex> g(mu_);
  revision_ = revision;
  ++generation_;
  upgraded_at_ = Clock::now();
  kube::JsonDoc d = kube::ParseJson(server_.Object(SetPath()), "sts");
  d["metadata"]["generation"].SetInt(generation_);
  kube::SetString(d["spec"]["template"]["metadata"]["annotations"], "capstan.dev/ordered-start-digest", revision,
                  d.GetAllocator());
  server_.Put(SetPath(), kube::ToJson(d));
}

void ClusterSim::Script(int ordinal, PodOutcome outcome) {
  std::lock_guard<std::mutex> g(mu_);
  script_[ordinal] = outcome;
}

std::string ClusterSim::update_revision() {
  kube::JsonDoc d = kube::ParseJson(server_.Object(SetPath()), "sts");
  return kube::GetString(d, {"status", "updateRevision"});
}

std::string ClusterSim::Revision(int i) {
  std::string o = server_.Object(PodPath(i));
  if (o.empty()) return "";
  return kube::GetString(kube::ParseJson(o, "pod"), {"metadata", "labels", "controller-revision-hash"});
}

bool ClusterSim::Ready(int i) {
  std::string o = server_.Object(PodPath(i));
  return !o.empty() && kube::PodReady(kube::ParseJson(o, "pod"));
}

std::vector<std::string> ClusterSim::Deletions() {
  std::vector<std::string> out;
  for (const auto& r : server_.Requests())
    if (r.method == "DELETE" && r.resource == "pods" && r.status == 200) out.push_back(r.path.substr(r.path.rfind('/') + 1));
  return out;
}

void ClusterSim::Event(int ordinal, const std::string& type, const std::string& reason, const std::string& message) {
  std::string name = PodName(ordinal) + "." + std::to_string(++event_counter_);
  server_.Put("/api/v1/namespaces/" + options_.ns + "/events/" + name,
              R"({"apiVersion":"v1","kind":"Event","metadata":{"name":")" + name + R"(","namespace":")" + options_.ns +
                  R"("},"involvedObject":{"kind":"Pod","name":")" + PodName(ordinal) + R"(","namespace":")" +
                  options_.ns + R"("},"type":")" + type + R"(","reason":")" + reason + R"(","message":")" + message +
                  R"(","count":1})");
}

std::string ClusterSim::PodJson(int i, const Life& life, int step) {
  // step 0: Pending (scheduled unless Unschedulable), 1: Running, 2+: Ready or the scripted trouble.
  const std::string& revision = life.revision;
  std::string phase = "Pending", ready = "False", scheduled = R"({"type":"PodScheduled","status":"True"})";
  std::string state = R"({"waiting":{"reason":"ContainerCreating"}})", last = "{}";
  int restarts = 0;
  switch (life.outcome) {
    case PodOutcome::kReady:
      if (step >= 1) phase = "Running", state = R"({"running":{}})";
      if (step >= 2) ready = "True";
      break;
    case PodOutcome::kNeverReady:
      if (step >= 1) phase = "Running", state = R"({"running":{}})";
      break;
    case PodOutcome::kCrashLoop:
      if (step >= 1) {
        phase = "Running";
        restarts = step;
        state = R"({"waiting":{"reason":"CrashLoopBackOff","message":"back-off 10s restarting failed container=app"}})";
        last = R"({"terminated":{"reason":"Error","exitCode":1}})";
      }
      break;
    case PodOutcome::kImagePull:
      if (step == 1)
        state = R"({"waiting":{"reason":"ErrImagePull","message":"pull access denied for )" + life.image + R"("}})";
      if (step >= 2)
        state = R"({"waiting":{"reason":"ImagePullBackOff","message":"Back-off pulling image \")" + life.image +
                R"(\""}})";
      break;
    case PodOutcome::kUnschedulable:
      scheduled = R"({"type":"PodScheduled","status":"False","reason":"Unschedulable","message":"0/3 nodes are available: 3 Insufficient memory."})";
      state = "";
      break;
  }
  std::string statuses =
      state.empty() ? "" : R"(,"containerStatuses":[{"name":")" + life.container + R"(","ready":)" + std::string(ready == "True" ? "true" : "false") +
                               R"(,"restartCount":)" + std::to_string(restarts) + R"(,"state":)" + state +
                               R"(,"lastState":)" + last + "}]";
  return R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + PodName(i) + R"(","namespace":")" + options_.ns +
         R"(","uid":")" + life.uid + R"(","labels":{)" + pod_labels_ + R"(,"controller-revision-hash":")" +
         revision + R"("}},"spec":{"containers":[{"name":")" + life.container + R"(","image":")" + life.image +
         R"("}]},"status":{"phase":")" + phase +
         R"(","conditions":[)" + scheduled + R"(,{"type":"Ready","status":")" + ready + R"("}])" + statuses + "}}";
}

void ClusterSim::Tick() {
  std::lock_guard<std::mutex> g(mu_);
  auto now = Clock::now();
  // The controller observes a new generation a moment after it was written.
  if (upgraded_at_ != Clock::time_point{} && now - upgraded_at_ >= options_.observe_delay) {
    kube::JsonDoc d = kube::ParseJson(server_.Object(SetPath()), "sts");
    if (kube::GetIntOr(d, {"status", "observedGeneration"}, 0) < generation_) {
      d["status"]["observedGeneration"].SetInt(generation_);
      kube::SetString(d["status"], "updateRevision", options_.name + "-" + revision_, d.GetAllocator());
      server_.Put(SetPath(), kube::ToJson(d));
    }
  }
  int unavailable = 0;
  for (int i = 0; i < options_.replicas; ++i) {
    std::string obj = server_.Object(PodPath(i));
    if (obj.empty()) {
      ++unavailable;
      auto [it, fresh] = missing_since_.emplace(i, now);
      (void)fresh;
      if (now - it->second < options_.recreate_delay) continue;
      // OrderedReady: the controller creates a pod only once every lower ordinal is Running and Ready.
      bool lower_ready = true;
      for (int j = 0; j < i && ordered_ready_; ++j) {
        std::string lower = server_.Object(PodPath(j));
        lower_ready = lower_ready && !lower.empty() && kube::PodReady(kube::ParseJson(lower, "pod"));
      }
      if (!lower_ready) continue;
      missing_since_.erase(i);
      kube::JsonDoc set = kube::ParseJson(server_.Object(SetPath()), "sts");
      std::string current = kube::GetString(set, {"status", "updateRevision"});
      Life life{"uid-" + PodName(i) + "-" + std::to_string(++uid_counter_), current, PodOutcome::kReady, now, 0};
      if (rendered_) life.container = MainContainer(set, "name"), life.image = MainContainer(set, "image");
      if (auto sc = script_.find(i); sc != script_.end()) life.outcome = sc->second;
      else if (auto ic = image_script_.find(life.image); ic != image_script_.end()) life.outcome = ic->second;
      creations_.push_back(PodName(i));
      lives_[i] = life;
      server_.Put(PodPath(i), PodJson(i, life, 0));
      Event(i, "Normal", "Scheduled", "Successfully assigned " + options_.ns + "/" + PodName(i) + " to node-1");
      if (life.outcome == PodOutcome::kUnschedulable)
        Event(i, "Warning", "FailedScheduling", "0/3 nodes are available: 3 Insufficient memory.");
      continue;
    }
    if (!kube::PodReady(kube::ParseJson(obj, "pod"))) ++unavailable;
    Life& life = lives_[i];
    int step = static_cast<int>((now - life.born) / options_.step);
    if (life.step >= 99 || step == life.step) continue;
    int cap = life.outcome == PodOutcome::kCrashLoop ? 50 : 3;
    if (step > cap) continue;
    life.step = step;
    server_.Put(PodPath(i), PodJson(i, life, step));
    if (step == 1 && life.outcome != PodOutcome::kUnschedulable && life.outcome != PodOutcome::kImagePull)
      Event(i, "Normal", "Started", "Started container app");
    if (step == 1 && life.outcome == PodOutcome::kImagePull)
      Event(i, "Warning", "Failed", "Failed to pull image " + life.image + ": pull access denied");
    if (step >= 1 && life.outcome == PodOutcome::kCrashLoop)
      Event(i, "Warning", "BackOff", "Back-off restarting failed container app in pod " + PodName(i));
    if (step == 2 && life.outcome == PodOutcome::kNeverReady)
      Event(i, "Warning", "Unhealthy", "Readiness probe failed: marker not written");
  }
  int seen = max_unavailable_.load();
  while (unavailable > seen && !max_unavailable_.compare_exchange_weak(seen, unavailable)) {
  }
}

void ClusterSim::Loop() {
  while (!stop_.load()) {
    Tick();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace capstan::test
