#include "snapshot/volume_snapshot.h"

#include <condition_variable>
#include <mutex>

#include "backup/cancel.h"
#include "kube/watch.h"
#include "log/log.h"
#include "util/duration.h"
#include "util/error.h"
#include "util/strings.h"

namespace capstan::snapshot {
namespace {

std::string ToLowerAscii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// A label value: at most 63 characters of [A-Za-z0-9._-], alphanumeric at both ends; "" when s cannot be one.
std::string LabelValue(const std::string& s) {
  if (s.empty() || s.size() > 63) return "";
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  if (!alnum(s.front()) || !alnum(s.back())) return "";
  for (char c : s)
    if (!alnum(c) && c != '-' && c != '_' && c != '.') return "";
  return s;
}

std::string Where(const backup::VolumeSnapshotRecord& r) {
  return "VolumeSnapshot " + Quote(r.name) + " (of PVC " + Quote(r.pvc) + ") in namespace " + Quote(r.namespace_name);
}

// Errors the snapshot controller reports and then retries by itself (optimistic concurrency on its own updates).
bool TransientControllerError(const std::string& message) {
  return message.find("the object has been modified") != std::string::npos ||
         message.find("please apply your changes") != std::string::npos;
}

std::string ErrorHint(const std::string& message, const backup::VolumeSnapshotRecord& r) {
  std::string m = ToLowerAscii(message);
  if (m.find("default snapshot class") != std::string::npos || m.find("default volumesnapshotclass") != std::string::npos)
    return "the cluster has no default VolumeSnapshotClass for this claim's CSI driver: pass --snapshot-class with a "
           "class of that driver (kubectl get volumesnapshotclass)";
  if ((m.find("snapshot class") != std::string::npos || m.find("volumesnapshotclass") != std::string::npos) &&
      m.find("not found") != std::string::npos)
    return "VolumeSnapshotClass " + Quote(r.class_name) + " does not exist: pass --snapshot-class with one of "
           "`kubectl get volumesnapshotclass` (its driver must be the claim's CSI driver)";
  return "see `kubectl describe volumesnapshot " + r.name + " -n " + r.namespace_name +
         "` and the logs of the CSI driver's snapshotter sidecar; the backup's snapshots are deleted";
}

}  // namespace

const kube::Kind& VolumeSnapshotKind() {
  static const kube::Kind k{"VolumeSnapshot", kSnapshotGroup, "v1", "volumesnapshots"};
  return k;
}

const kube::Kind& ClaimKind() {
  static const kube::Kind k{"PersistentVolumeClaim", "", "v1", "persistentvolumeclaims"};
  return k;
}

std::string SnapshotName(const std::string& pvc, const std::string& point_id) {
  std::string suffix = "-" + ToLowerAscii(point_id);
  for (char& c : suffix)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) c = '-';
  std::string base = pvc.substr(0, 253 - std::min<size_t>(suffix.size(), 200));
  while (!base.empty() && (base.back() == '-' || base.back() == '.')) base.pop_back();
  return base + suffix;
}

std::string ExplainApiError(const kube::ApiError& e, const std::string& doing) {
  std::string what = e.what();
  if (e.status() == 404 && what.find("\" not found") == std::string::npos)
    return doing + ": the cluster has no CSI snapshot support (the snapshot.storage.k8s.io/v1 API answers 404: the "
           "VolumeSnapshot CRDs are not installed): install the external-snapshotter CRDs and snapshot controller "
           "(https://github.com/kubernetes-csi/external-snapshotter) with a CSI driver that supports snapshots, or "
           "drop --snapshot-pvc";
  if (e.status() == 403)
    return doing + ": " + what + "; with the example chart, set hooks.backup.snapshots.enabled=true (it grants "
           "these rules)";
  return doing + ": " + what;
}

backup::VolumeSnapshotRecord CreateSnapshot(kube::Client& client, const SnapshotRequest& q) {
  if (!backup::ValidKubeName(q.pvc))
    throw UsageError("--snapshot-pvc " + Quote(q.pvc) + " is not a valid PersistentVolumeClaim name");
  if (!q.class_name.empty() && !backup::ValidKubeName(q.class_name))
    throw UsageError("--snapshot-class " + Quote(q.class_name) + " is not a valid VolumeSnapshotClass name");
  backup::VolumeSnapshotRecord r;
  r.pvc = q.pvc;
  r.namespace_name = q.ns;
  r.class_name = q.class_name;
  r.name = SnapshotName(q.pvc, q.point_id);
  kube::JsonDoc claim;
  try {
    claim = client.Get(ClaimKind(), q.ns, q.pvc);
  } catch (const kube::ApiError& e) {
    if (e.status() == 404)
      throw Error("PVC " + Quote(q.pvc) + " does not exist in namespace " + Quote(q.ns) +
                  ": nothing to snapshot; pass an existing claim to --snapshot-pvc (kubectl get pvc -n " + q.ns + ")");
    throw Error(ExplainApiError(e, "reading PVC " + Quote(q.pvc) + " in namespace " + Quote(q.ns)), e.exit_code());
  }
  std::string phase = kube::GetString(claim, {"status", "phase"});
  if (phase != "Bound")
    throw Error("PVC " + Quote(q.pvc) + " in namespace " + Quote(q.ns) + " is " +
                (phase.empty() ? std::string("not bound") : phase) +
                ", not Bound: it has no volume to snapshot yet; back it up once a volume is bound to it");
  r.pvc_storage_class = kube::GetString(claim, {"spec", "storageClassName"});
  r.pvc_size = kube::GetString(claim, {"spec", "resources", "requests", "storage"});
  r.pvc_volume_mode = kube::GetString(claim, {"spec", "volumeMode"});
  if (const kube::Json* modes = kube::Find(claim, {"spec", "accessModes"}); modes != nullptr && modes->IsArray())
    for (const auto& m : modes->GetArray())
      if (m.IsString()) r.pvc_access_modes.emplace_back(m.GetString(), m.GetStringLength());

  kube::JsonDoc body(rapidjson::kObjectType);
  auto& a = body.GetAllocator();
  kube::SetString(body, "apiVersion", std::string(kSnapshotGroup) + "/v1", a);
  kube::SetString(body, "kind", "VolumeSnapshot", a);
  kube::Json meta(rapidjson::kObjectType), labels(rapidjson::kObjectType), spec(rapidjson::kObjectType),
      source(rapidjson::kObjectType);
  kube::SetString(meta, "name", r.name, a);
  kube::SetString(meta, "namespace", q.ns, a);
  kube::SetString(labels, kLabelManagedBy, "capstan", a);
  if (!LabelValue(q.release).empty()) kube::SetString(labels, kLabelRelease, q.release, a);
  if (!LabelValue(q.point_id).empty()) kube::SetString(labels, kLabelPoint, q.point_id, a);
  if (!LabelValue(q.pvc).empty()) kube::SetString(labels, kLabelPvc, q.pvc, a);
  meta.AddMember("labels", labels, a);
  body.AddMember("metadata", meta, a);
  if (!q.class_name.empty()) kube::SetString(spec, "volumeSnapshotClassName", q.class_name, a);
  kube::SetString(source, "persistentVolumeClaimName", q.pvc, a);
  spec.AddMember("source", source, a);
  body.AddMember("spec", spec, a);
  // A name already taken (a snapshot of a pruned restore point with the same id was left in the cluster): -2, -3...
  const std::string base = r.name;
  for (int n = 2;; ++n) {
    try {
      client.Create(VolumeSnapshotKind(), q.ns, body);
      break;
    } catch (const kube::ApiError& e) {
      if (e.status() == 409 && n <= 10) {
        r.name = SnapshotName(q.pvc, q.point_id + "-" + std::to_string(n));
        kube::SetString(body["metadata"], "name", r.name, a);
        continue;
      }
      if (e.status() == 409)
        throw Error("VolumeSnapshot " + Quote(base) + " and 9 more of that name already exist in namespace " +
                    Quote(q.ns) + ": delete the VolumeSnapshots of restore points that no longer exist");
      throw Error(
          ExplainApiError(e, "creating a VolumeSnapshot of PVC " + Quote(q.pvc) + " in namespace " + Quote(q.ns)),
          e.exit_code());
    }
  }
  log::Info("volume snapshot created", {{"snapshot", r.name}, {"pvc", q.pvc}, {"namespace", q.ns},
                                        {"class", q.class_name.empty() ? "(default)" : q.class_name}});
  return r;
}

void WaitReady(kube::Client& client, backup::VolumeSnapshotRecord& r, std::chrono::milliseconds timeout) {
  std::mutex mu;
  std::condition_variable cv;
  kube::JsonDoc latest;
  bool seen = false, deleted = false, failed = false;
  kube::WatchTarget target;
  target.kind = VolumeSnapshotKind();
  target.ns = r.namespace_name;
  target.field_selector = "metadata.name=" + r.name;
  target.timeout = std::chrono::seconds(std::max<long long>(
      30, std::min<long long>(300, std::chrono::duration_cast<std::chrono::seconds>(timeout).count() + 5)));
  kube::Reflector reflector(client, target, [&](const std::string& type, const kube::Json& object, bool) {
    std::lock_guard<std::mutex> g(mu);
    if (type == "FAILED") {
      failed = true;
    } else if (kube::GetString(object, {"metadata", "name"}) == r.name) {
      seen = true;
      deleted = type == "DELETED";
      latest.CopyFrom(object, latest.GetAllocator());
    }
    cv.notify_all();
  });
  reflector.Start();
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string last_state = "no status yet (is the snapshot controller running?)";
  std::unique_lock<std::mutex> lock(mu);
  while (true) {
    if (backup::Cancelled())  // SIGTERM/SIGINT (a Job's deadline): the caller deletes the snapshots it took
      throw Error("interrupted while waiting for " + Where(r) + " to become ready");
    if (failed) {
      lock.unlock();
      reflector.Stop();
      throw Error("waiting for " + Where(r) + ": " + reflector.failure(),
                  reflector.failure_exit_code() != 0 ? reflector.failure_exit_code() : kExitFailed);
    }
    if (deleted)
      throw Error(Where(r) + " was deleted while Capstan waited for it to become ready: something else removed it "
                  "(kubectl get events -n " + r.namespace_name + "); run the backup again");
    if (seen) {
      std::string error = kube::GetString(latest, {"status", "error", "message"});
      std::optional<bool> ready = kube::GetBool(latest, {"status", "readyToUse"});
      std::string content = kube::GetString(latest, {"status", "boundVolumeSnapshotContentName"});
      if (ready.value_or(false)) {
        r.ready_to_use = true;
        r.restore_size = kube::GetString(latest, {"status", "restoreSize"});
        r.content_name = content;
        r.creation_time = kube::GetString(latest, {"status", "creationTime"});
        break;
      }
      if (!error.empty() && !TransientControllerError(error))
        throw Error(Where(r) + " failed: " + kube::ServerText(error) + " (status.error, reported by the snapshot "
                    "controller or the CSI driver): " + ErrorHint(error, r));
      std::string state = !error.empty()       ? "status.error " + Quote(kube::ServerText(error)) + " (retried by the controller)"
                          : !content.empty()   ? "bound to VolumeSnapshotContent " + content + ", readyToUse false (the "
                                                 "storage is still cutting the snapshot)"
                          : kube::Find(latest, {"status"}) ? "not bound to a VolumeSnapshotContent yet"
                                                          : last_state;
      if (state != last_state) log::Info("waiting for the volume snapshot", {{"snapshot", r.name}, {"state", state}});
      last_state = state;
    }
    if (std::chrono::steady_clock::now() >= deadline)
      throw Error(Where(r) + " is not ready after " + FormatDuration(timeout) + ": " + last_state + "; see `kubectl "
                  "describe volumesnapshot " + r.name + " -n " + r.namespace_name + "`, or raise --snapshot-timeout");
    cv.wait_for(lock, std::chrono::milliseconds(200));
  }
  lock.unlock();
  reflector.Stop();
  log::Info("volume snapshot ready", {{"snapshot", r.name}, {"pvc", r.pvc}, {"restore_size", r.restore_size},
                                      {"content", r.content_name}});
}

bool DeleteSnapshot(kube::Client& client, const std::string& ns, const std::string& name) {
  try {
    client.Delete(VolumeSnapshotKind(), ns, name);
  } catch (const kube::ApiError& e) {
    if (e.status() == 404 && std::string(e.what()).find("\" not found") != std::string::npos) {
      log::Info("volume snapshot already gone", {{"snapshot", name}, {"namespace", ns}});
      return false;
    }
    throw Error(ExplainApiError(e, "deleting VolumeSnapshot " + Quote(name) + " in namespace " + Quote(ns)),
                e.exit_code());
  }
  log::Info("volume snapshot deleted", {{"snapshot", name}, {"namespace", ns}});
  return true;
}

}  // namespace capstan::snapshot
