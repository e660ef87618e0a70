#include "snapshot/restore_claim.h"

#include "log/log.h"
#include "snapshot/quantity.h"
#include "snapshot/volume_snapshot.h"
#include "util/error.h"
#include "util/strings.h"

namespace capstan::snapshot {

std::string RestoredClaimName(const std::string& pvc, const std::string& suffix) {
  std::string name = pvc + "-" + suffix;
  if (suffix.empty() || !backup::ValidKubeName(name))
    throw UsageError("the restored claim's name " + Quote(name) + " (PVC name + \"-\" + " + Quote(suffix) +
                     ") is not a valid PersistentVolumeClaim name: use a suffix of lower-case letters, digits and '-'");
  return name;
}

RestoredClaim RestoreClaim(kube::Client& client, const backup::VolumeSnapshotRecord& r, const std::string& suffix,
                           bool dry_run) {
  RestoredClaim c;
  c.ns = r.namespace_name;
  c.name = RestoredClaimName(r.pvc, suffix);
  c.snapshot = r.name;
  const std::string where = "VolumeSnapshot " + Quote(r.name) + " in namespace " + Quote(r.namespace_name);
  kube::JsonDoc snap;
  try {
    snap = client.Get(VolumeSnapshotKind(), r.namespace_name, r.name);
  } catch (const kube::ApiError& e) {
    if (e.status() == 404 && std::string(e.what()).find("\" not found") != std::string::npos)
      throw Error(where + " (of PVC " + Quote(r.pvc) + ") no longer exists: it was deleted (by retention, or by "
                  "hand); restore the claim from another restore point (capstan backup list)");
    throw Error(ExplainApiError(e, "reading " + where), e.exit_code());
  }
  if (!kube::GetBool(snap, {"status", "readyToUse"}).value_or(false))
    throw Error(where + " is not readyToUse (" +
                (kube::GetString(snap, {"status", "error", "message"}).empty()
                     ? std::string("no error reported")
                     : "status.error: " + kube::ServerText(kube::GetString(snap, {"status", "error", "message"}))) +
                "): a claim cannot be created from it; see kubectl describe volumesnapshot " + r.name + " -n " +
                r.namespace_name);
  std::string restore_size = kube::GetString(snap, {"status", "restoreSize"}, r.restore_size);

  c.storage_class = r.pvc_storage_class;
  c.access_modes = r.pvc_access_modes;
  std::string size = r.pvc_size, volume_mode = r.pvc_volume_mode;
  if (c.access_modes.empty() || size.empty()) {
    // Restore points recorded without the claim's spec: the original claim, when it still exists.
    if (auto orig = client.GetIfExists(ClaimKind(), r.namespace_name, r.pvc)) {
      if (c.storage_class.empty()) c.storage_class = kube::GetString(*orig, {"spec", "storageClassName"});
      if (size.empty()) size = kube::GetString(*orig, {"spec", "resources", "requests", "storage"});
      if (volume_mode.empty()) volume_mode = kube::GetString(*orig, {"spec", "volumeMode"});
      if (const kube::Json* modes = kube::Find(*orig, {"spec", "accessModes"}); c.access_modes.empty() && modes &&
                                                                                  modes->IsArray())
        for (const auto& m : modes->GetArray())
          if (m.IsString()) c.access_modes.emplace_back(m.GetString(), m.GetStringLength());
    }
  }
  if (c.access_modes.empty()) c.access_modes = {"ReadWriteOnce"};
  // At least the snapshot's restoreSize: a smaller claim cannot hold the snapshot's data (the driver refuses it).
  auto want = QuantityBytes(size), need = QuantityBytes(restore_size);
  c.size = !want ? restore_size : (need && *need > *want ? restore_size : size);
  if (c.size.empty())
    throw Error("cannot tell the size of the claim to create from " + where + ": neither the restore point nor the "
                "snapshot records one (status.restoreSize)");

  if (client.GetIfExists(ClaimKind(), c.ns, c.name))
    throw Error("PVC " + Quote(c.name) + " already exists in namespace " + Quote(c.ns) + ": nothing is "
                "overwritten; delete it or choose another --restore-snapshots-as suffix");
  if (dry_run) return c;

  kube::JsonDoc body(rapidjson::kObjectType);
  auto& a = body.GetAllocator();
  kube::SetString(body, "apiVersion", "v1", a);
  kube::SetString(body, "kind", "PersistentVolumeClaim", a);
  kube::Json meta(rapidjson::kObjectType), labels(rapidjson::kObjectType), spec(rapidjson::kObjectType),
      modes(rapidjson::kArrayType), resources(rapidjson::kObjectType), requests(rapidjson::kObjectType),
      source(rapidjson::kObjectType);
  kube::SetString(meta, "name", c.name, a);
  kube::SetString(meta, "namespace", c.ns, a);
  kube::SetString(labels, kLabelManagedBy, "capstan", a);
  if (r.name.size() <= 63) kube::SetString(labels, "capstan.dev/restored-from", r.name, a);
  meta.AddMember("labels", labels, a);
  body.AddMember("metadata", meta, a);
  for (const auto& m : c.access_modes) modes.PushBack(kube::Json(m.c_str(), static_cast<rapidjson::SizeType>(m.size()), a), a);
  spec.AddMember("accessModes", modes, a);
  if (!c.storage_class.empty()) kube::SetString(spec, "storageClassName", c.storage_class, a);
  if (!volume_mode.empty()) kube::SetString(spec, "volumeMode", volume_mode, a);
  kube::SetString(requests, "storage", c.size, a);
  resources.AddMember("requests", requests, a);
  spec.AddMember("resources", resources, a);
  kube::SetString(source, "apiGroup", kSnapshotGroup, a);
  kube::SetString(source, "kind", "VolumeSnapshot", a);
  kube::SetString(source, "name", r.name, a);
  spec.AddMember("dataSource", source, a);
  body.AddMember("spec", spec, a);
  try {
    client.Create(ClaimKind(), c.ns, body);
  } catch (const kube::ApiError& e) {
    throw Error(ExplainApiError(e, "creating PVC " + Quote(c.name) + " from " + where), e.exit_code());
  }
  c.created = true;
  log::Info("claim created from volume snapshot", {{"pvc", c.name}, {"namespace", c.ns}, {"snapshot", r.name},
                                                   {"size", c.size}});
  return c;
}

}  // namespace capstan::snapshot
