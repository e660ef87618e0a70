// The coordination.k8s.io/v1 Lease that makes `capstan roll` exclusive: one driver per StatefulSet deletes pods;
// a second one (another hook run, a person at a terminal) waits. Acquired by create (409 AlreadyExists: re-read) or
// by update with the resourceVersion read (409 Conflict: re-read). A lease held by someone else is taken over once
// it has not been renewed for leaseDurationSeconds as observed on this machine's clock (as client-go's leader
// election does: no trust in the other machine's clock), incrementing leaseTransitions. Renewed by the driver every
// duration/3; a renewal that finds another holder or fails with a conflict means the lease is lost.
#pragma once
#include <chrono>
#include <optional>
#include <string>

#include "kube/client.h"

namespace capstan::roll {

struct LeaseOptions {
  std::string ns, name, holder;
  std::chrono::seconds duration{30};
};

class Lease {
 public:
  using Clock = std::chrono::steady_clock;
  Lease(kube::Client& client, LeaseOptions options);

  // One attempt: true when we hold the lease now. Otherwise holder() names who does.
  bool TryAcquire();
  // Renews when due (duration/3 since the last renewal); throws Error (exit 1) when the lease was lost.
  void RenewIfDue();
  // Clears holderIdentity (best effort: logs and continues on failure).
  void Release();

  bool held() const { return held_; }
  const std::string& holder() const { return observed_holder_; }
  const LeaseOptions& options() const { return options_; }

 private:
  bool Update(kube::JsonDoc& lease, bool takeover);
  kube::Client& client_;
  LeaseOptions options_;
  bool held_ = false;
  std::string resource_version_;
  Clock::time_point last_renew_{};
  // What we last saw of someone else's lease, and when we first saw it so (expiry by our own clock).
  std::string observed_holder_, observed_record_;
  Clock::time_point observed_at_{};
};

// "<POD_NAME or HOSTNAME or 'capstan'>-<8 random hex digits>".
std::string DefaultHolderIdentity();
// RFC 3339 with microseconds, as Kubernetes writes MicroTime: "2026-12-07T06:55:26.123456Z".
std::string MicroTimeNow();

}  // namespace capstan::roll
