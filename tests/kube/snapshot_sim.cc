#include "kube/snapshot_sim.h"

#include "snapshot/quantity.h"

namespace capstan::test {
namespace {
using Clock = std::chrono::steady_clock;
const char* kBase = "/apis/snapshot.storage.k8s.io/v1/namespaces/";
const std::string kContents = "/apis/snapshot.storage.k8s.io/v1/volumesnapshotcontents/";

std::string Now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Replaces the object's status with the given JSON object text.
std::string WithStatus(const std::string& object, const std::string& status_json) {
  kube::JsonDoc d = kube::ParseJson(object, "object");
  kube::JsonDoc s = kube::ParseJson(status_json, "status");
  d.RemoveMember("status");
  d.AddMember("status", kube::Json(s, d.GetAllocator()), d.GetAllocator());
  return kube::ToJson(d);
}

std::string Quoted(const std::string& s) {
  rapidjson::Document d;
  d.SetString(s.c_str(), static_cast<rapidjson::SizeType>(s.size()), d.GetAllocator());
  return kube::ToJson(d);
}
}  // namespace

SnapshotSim::SnapshotSim(KubeTestServer& server, SnapshotSimOptions options)
    : server_(server), options_(std::move(options)) {
  for (const auto& c : options_.classes)
    server_.Put("/apis/snapshot.storage.k8s.io/v1/volumesnapshotclasses/" + c,
                R"({"apiVersion":"snapshot.storage.k8s.io/v1","kind":"VolumeSnapshotClass","metadata":{"name":")" + c +
                    R"("},"driver":"rbd.csi.ceph.com","deletionPolicy":"Delete"})");
  thread_ = std::thread([this] { Loop(); });
}

SnapshotSim::~SnapshotSim() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

std::string SnapshotSim::SnapshotPath(const std::string& ns, const std::string& name) {
  return kBase + ns + "/volumesnapshots/" + name;
}
std::string SnapshotSim::ClaimPath(const std::string& ns, const std::string& name) {
  return "/api/v1/namespaces/" + ns + "/persistentvolumeclaims/" + name;
}

void SnapshotSim::AddClaim(const std::string& name, const std::string& size, const std::string& storage_class,
                           const std::string& phase) {
  server_.Put(ClaimPath(options_.ns, name),
              R"({"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":")" + name + R"(","namespace":")" +
                  options_.ns + R"(","uid":"pvc-uid-)" + name + R"("},"spec":{"accessModes":["ReadWriteMany"],)" +
                  R"("storageClassName":")" + storage_class + R"(","volumeMode":"Filesystem","resources":{"requests":)" +
                  R"({"storage":")" + size + R"("}},"volumeName":"pv-)" + name + R"("},"status":{"phase":")" + phase +
                  R"(","capacity":{"storage":")" + size + R"("}}})");
}

void SnapshotSim::Script(const std::string& pvc, SnapshotOutcome outcome) {
  std::lock_guard<std::mutex> g(mu_);
  script_[pvc] = outcome;
}

void SnapshotSim::Loop() {
  while (!stop_) {
    Tick();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void SnapshotSim::Tick() {
  auto now = Clock::now();
  for (const auto& [path, json] : server_.Objects(kBase)) {
    if (path.find("/volumesnapshots/") == std::string::npos) continue;
    kube::JsonDoc d = kube::ParseJson(json, path);
    std::string name = kube::GetString(d, {"metadata", "name"});
    std::string pvc = kube::GetString(d, {"spec", "source", "persistentVolumeClaimName"});
    std::string cls = kube::GetString(d, {"spec", "volumeSnapshotClassName"});
    SnapshotOutcome outcome;
    Life* life;
    {
      std::lock_guard<std::mutex> g(mu_);
      auto it = script_.find(pvc);
      outcome = it == script_.end() ? SnapshotOutcome::kReady : it->second;
      auto [lit, fresh] = lives_.try_emplace(path + "#" + kube::GetString(d, {"metadata", "uid"}));
      if (fresh) lit->second.born = now;
      life = &lit->second;
    }
    if (life->step < 0) continue;  // finished
    std::string content = "snapcontent-" + kube::GetString(d, {"metadata", "uid"});
    std::string error;
    if (cls.empty() && options_.default_class.empty())
      error = "Failed to get default snapshot class with error cannot find default snapshot class";
    else if (!cls.empty() && !options_.classes.count(cls))
      error = "Failed to get snapshot class with error volumesnapshotclass.snapshot.storage.k8s.io \"" + cls +
              "\" not found";
    if (!error.empty()) {
      server_.PutIfExists(path, WithStatus(json, R"({"readyToUse":false,"error":{"message":)" + Quoted(error) +
                                             R"(,"time":")" + Now() + "\"}}"));
      life->step = -1;
      continue;
    }
    std::string claim = server_.Object(ClaimPath(options_.ns, pvc));
    std::string size = claim.empty() ? "1Gi" : kube::GetString(kube::ParseJson(claim, "claim"), {"status", "capacity", "storage"}, "1Gi");
    auto age = now - life->born;
    if (life->step == 0 && age >= options_.step) {
      if (outcome == SnapshotOutcome::kTransientConflict) {
        server_.PutIfExists(path, WithStatus(json, R"({"readyToUse":false,"error":{"message":"Failed to update snapshot )" + name +
                                               R"(: Operation cannot be fulfilled on volumesnapshots.snapshot.storage.k8s.io \")" +
                                               name + R"(\": the object has been modified; please apply your changes to )"
                                               R"(the latest version and try again","time":")" + Now() + "\"}}"));
      } else {
        // The controller binds a cluster-scoped VolumeSnapshotContent (deletionPolicy Delete) to the snapshot.
        server_.Put(kContents + content,
                    R"({"apiVersion":"snapshot.storage.k8s.io/v1","kind":"VolumeSnapshotContent","metadata":{"name":")" +
                        content + R"("},"spec":{"deletionPolicy":"Delete","driver":"rbd.csi.ceph.com",)" +
                        R"("source":{"volumeHandle":"pv-)" + pvc + R"("},"volumeSnapshotClassName":")" +
                        (cls.empty() ? options_.default_class : cls) + R"(","volumeSnapshotRef":{"kind":"VolumeSnapshot",)" +
                        R"("name":")" + name + R"(","namespace":")" + options_.ns + R"("}},"status":{"readyToUse":false}})");
        server_.PutIfExists(path, WithStatus(json, R"({"boundVolumeSnapshotContentName":")" + content +
                                               R"(","creationTime":")" + Now() + R"(","readyToUse":false})"));
      }
      life->step = 1;
    } else if (life->step == 1 && age >= 2 * options_.step) {
      if (outcome == SnapshotOutcome::kNeverReady) {
        life->step = -1;
        continue;
      }
      if (outcome == SnapshotOutcome::kDriverError) {
        server_.PutIfExists(path, WithStatus(json, R"({"boundVolumeSnapshotContentName":")" + content +
                                               R"(","readyToUse":false,"error":{"message":"Failed to check and update )"
                                               R"(snapshot content: failed to take snapshot of the volume pv-)" + pvc +
                                               R"(: \"rpc error: code = Internal desc = rbd: image is busy\"","time":")" +
                                               Now() + "\"}}"));
      } else {
        std::string c = server_.Object(kContents + content);
        if (!c.empty())
          server_.PutIfExists(kContents + content, WithStatus(c, R"({"readyToUse":true,"snapshotHandle":"snap-)" + content +
                                                                    R"(","restoreSize":)" + std::to_string(static_cast<long long>(
                                                                        *snapshot::QuantityBytes(size))) + "}"));
        server_.PutIfExists(path, WithStatus(json, R"({"boundVolumeSnapshotContentName":")" + content +
                                               R"(","creationTime":")" + Now() + R"(","readyToUse":true,"restoreSize":")" +
                                               size + "\"}"));
      }
      life->step = -1;
    }
  }
  // Contents whose snapshot is gone are deleted with it (deletionPolicy Delete).
  for (const auto& [path, json] : server_.Objects(kContents)) {
    kube::JsonDoc d = kube::ParseJson(json, path);
    std::string snap = SnapshotPath(kube::GetString(d, {"spec", "volumeSnapshotRef", "namespace"}),
                                    kube::GetString(d, {"spec", "volumeSnapshotRef", "name"}));
    if (server_.Object(snap).empty()) server_.Remove(path);
  }
  // Claims restored from a ready snapshot are provisioned and bound.
  for (const auto& [path, json] : server_.Objects("/api/v1/namespaces/" + options_.ns + "/persistentvolumeclaims/")) {
    kube::JsonDoc d = kube::ParseJson(json, path);
    if (kube::GetString(d, {"spec", "dataSource", "kind"}) != "VolumeSnapshot" ||
        kube::GetString(d, {"status", "phase"}) == "Bound")
      continue;
    std::string snap = server_.Object(SnapshotPath(options_.ns, kube::GetString(d, {"spec", "dataSource", "name"})));
    if (snap.empty() || !kube::GetBool(kube::ParseJson(snap, "snap"), {"status", "readyToUse"}).value_or(false)) continue;
    server_.PutIfExists(path, WithStatus(json, R"({"phase":"Bound","capacity":{"storage":")" +
                                           kube::GetString(d, {"spec", "resources", "requests", "storage"}) + "\"}}"));
  }
}

}  // namespace capstan::test
