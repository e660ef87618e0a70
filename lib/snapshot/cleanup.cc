#include "snapshot/cleanup.h"

#include "log/log.h"
#include "snapshot/volume_snapshot.h"
#include "util/error.h"

namespace capstan::snapshot {

backup::SnapshotCleanup DeleteRecorded(kube::Client* client, const std::vector<backup::VolumeSnapshotRecord>& records,
                                       const std::string& no_client_reason) {
  backup::SnapshotCleanup c;
  for (const auto& r : records) {
    std::string id = r.namespace_name + "/" + r.name;
    if (client == nullptr) {
      c.left.push_back(id);
      continue;
    }
    try {
      DeleteSnapshot(*client, r.namespace_name, r.name);
      c.deleted.push_back(id);
    } catch (const Error& e) {
      c.left.push_back(id);
      if (c.why_left.empty()) c.why_left = e.what();
    }
  }
  if (client == nullptr && !c.left.empty()) c.why_left = no_client_reason;
  if (!c.left.empty())
    log::Warn("volume snapshots left in the cluster: delete them by hand (kubectl delete volumesnapshot -n NS NAME)",
              {{"snapshots", [&] {
                  std::string s;
                  for (const auto& n : c.left) s += (s.empty() ? "" : ", ") + n;
                  return s;
                }()},
               {"reason", c.why_left}});
  return c;
}

}  // namespace capstan::snapshot
