#include "roll/lease.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>

#include "log/log.h"
#include "util/error.h"
#include "util/strings.h"

namespace capstan::roll {
namespace {

const kube::Kind& LeaseKind() { return kube::LookupKind("Lease"); }

}  // namespace

std::string DefaultHolderIdentity() {
  const char* pod = std::getenv("POD_NAME");
  const char* host = std::getenv("HOSTNAME");
  std::string base = pod != nullptr && *pod != '\0' ? pod : host != nullptr && *host != '\0' ? host : "capstan";
  std::random_device rd;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(rd()));
  return base + "-" + buf;
}

std::string MicroTimeNow() {
  auto now = std::chrono::system_clock::now();
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(us / 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(us % 1000000));
  return buf;
}

Lease::Lease(kube::Client& client, LeaseOptions options) : client_(client), options_(std::move(options)) {}

bool Lease::Update(kube::JsonDoc& lease, bool takeover) {
  auto& a = lease.GetAllocator();
  if (!lease.HasMember("spec") || !lease["spec"].IsObject()) {
    lease.RemoveMember("spec");
    lease.AddMember("spec", rapidjson::Value(rapidjson::kObjectType), a);
  }
  kube::Json& spec = lease["spec"];
  std::string now = MicroTimeNow();
  kube::SetString(spec, "holderIdentity", options_.holder, a);
  spec.RemoveMember("leaseDurationSeconds");
  spec.AddMember("leaseDurationSeconds", static_cast<int64_t>(options_.duration.count()), a);
  kube::SetString(spec, "renewTime", now, a);
  if (takeover) {
    kube::SetString(spec, "acquireTime", now, a);
    int64_t transitions = kube::GetIntOr(spec, {"leaseTransitions"}, 0);
    spec.RemoveMember("leaseTransitions");
    spec.AddMember("leaseTransitions", transitions + 1, a);
  }
  try {
    kube::JsonDoc saved = client_.Update(LeaseKind(), options_.ns, options_.name, lease);
    resource_version_ = kube::GetString(saved, {"metadata", "resourceVersion"});
    last_renew_ = Clock::now();
    return true;
  } catch (const kube::ApiError& e) {
    if (e.status() == 409 || e.status() == 404) return false;
    throw;
  }
}

bool Lease::TryAcquire() {
  auto existing = client_.GetIfExists(LeaseKind(), options_.ns, options_.name);
  if (!existing) {
    kube::JsonDoc d(rapidjson::kObjectType);
    auto& a = d.GetAllocator();
    kube::SetString(d, "apiVersion", "coordination.k8s.io/v1", a);
    kube::SetString(d, "kind", "Lease", a);
    rapidjson::Value meta(rapidjson::kObjectType);
    kube::SetString(meta, "name", options_.name, a);
    d.AddMember("metadata", meta, a);
    rapidjson::Value spec(rapidjson::kObjectType);
    std::string now = MicroTimeNow();
    kube::SetString(spec, "holderIdentity", options_.holder, a);
    spec.AddMember("leaseDurationSeconds", static_cast<int64_t>(options_.duration.count()), a);
    kube::SetString(spec, "acquireTime", now, a);
    kube::SetString(spec, "renewTime", now, a);
    spec.AddMember("leaseTransitions", 0, a);
    d.AddMember("spec", spec, a);
    try {
      kube::JsonDoc saved = client_.Create(LeaseKind(), options_.ns, d);
      resource_version_ = kube::GetString(saved, {"metadata", "resourceVersion"});
      last_renew_ = Clock::now();
      held_ = true;
      return true;
    } catch (const kube::ApiError& e) {
      if (e.status() != 409) throw;
      return false;  // someone created it first: read it next time
    }
  }
  std::string holder = kube::GetString(*existing, {"spec", "holderIdentity"});
  if (holder == options_.holder || holder.empty()) {
    held_ = Update(*existing, holder.empty());
    return held_;
  }
  // Someone else's: expired when its record has not changed for its duration, by our clock.
  std::string record = holder + "|" + kube::GetString(*existing, {"spec", "renewTime"}) + "|" +
                       kube::GetString(*existing, {"metadata", "resourceVersion"});
  auto now = Clock::now();
  if (record != observed_record_) {
    observed_record_ = record;
    observed_holder_ = holder;
    observed_at_ = now;
    return false;
  }
  int64_t duration = kube::GetIntOr(*existing, {"spec", "leaseDurationSeconds"}, options_.duration.count());
  if (now - observed_at_ < std::chrono::seconds(duration)) return false;
  log::Info("taking over the expired lease", {{"lease", options_.name}, {"previous_holder", holder},
                                              {"holder", options_.holder}});
  held_ = Update(*existing, true);
  return held_;
}

void Lease::RenewIfDue() {
  if (!held_) return;
  if (Clock::now() - last_renew_ < std::chrono::duration_cast<std::chrono::milliseconds>(options_.duration) / 3) return;
  std::string lost;
  try {
    kube::JsonDoc current = client_.Get(LeaseKind(), options_.ns, options_.name);
    std::string holder = kube::GetString(current, {"spec", "holderIdentity"});
    if (holder != options_.holder)
      lost = "it is now held by " + Quote(holder);
    else if (kube::GetString(current, {"metadata", "resourceVersion"}) != resource_version_)
      lost = "it was changed by someone else";
    else if (!Update(current, false))
      lost = "the renewal conflicted with another writer";
  } catch (const kube::ApiError& e) {
    if (e.status() != 404) throw;
    lost = "it was deleted";
  }
  if (!lost.empty()) {
    held_ = false;
    throw Error("lost the lease " + options_.ns + "/" + options_.name + " (" + lost +
                "): stopped deleting pods; another capstan roll may be running — check it, then run again");
  }
}

void Lease::Release() {
  if (!held_) return;
  held_ = false;
  try {
    kube::JsonDoc current = client_.Get(LeaseKind(), options_.ns, options_.name);
    if (kube::GetString(current, {"spec", "holderIdentity"}) != options_.holder) return;
    current["spec"].RemoveMember("holderIdentity");
    client_.Update(LeaseKind(), options_.ns, options_.name, current);
  } catch (const Error& e) {
    log::Warn("could not release the lease (it expires by itself)", {{"lease", options_.name}, {"error", e.what()}});
  }
}

}  // namespace capstan::roll
