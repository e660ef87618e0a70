#include "kube/wait_kinds.h"

#include <mutex>

#include "kube/rollout.h"
#include "util/strings.h"
#include "wait/condition.h"

namespace capstan::kube {
namespace {

std::unique_ptr<Client> DefaultClient() {
  ClientOptions o;
  o.max_attempts = 2;
  o.hook = "wait";
  return std::make_unique<Client>(Load(LoadOptions{}), o);
}

class ApiCondition : public wait::Condition {
 public:
  ApiCondition(std::string kind, std::string target, const Kind& api_kind, std::string name, std::string ns,
               ClientMaker maker)
      : Condition(std::move(kind), std::move(target)),
        api_kind_(api_kind),
        name_(std::move(name)),
        ns_(std::move(ns)),
        maker_(std::move(maker)) {
    if (!ns_.empty()) AddCanonicalOption("namespace", "=", ns_);
  }

  wait::AttemptResult Check(const wait::AttemptContext&) override {
    try {
      if (!client_) client_ = maker_();
      std::string ns = ns_.empty() ? (client_->default_namespace().empty() ? "default" : client_->default_namespace())
                                   : ns_;
      auto obj = client_->GetIfExists(api_kind_, ns, name_);
      if (!obj) return wait::AttemptResult::NotYet(api_kind_.kind + " " + ns + "/" + name_ + " does not exist (yet)");
      if (!obj->HasMember("kind"))
        obj->AddMember("kind", rapidjson::Value(api_kind_.kind.c_str(), obj->GetAllocator()), obj->GetAllocator());
      RolloutStatus s = WorkloadRollout(*obj);
      if (s.state == RolloutState::kFailed) throw Error(s.message + " (it cannot complete: fix it and re-run)");
      if (s.done()) return wait::AttemptResult::Held(s.message);
      return wait::AttemptResult::NotYet(s.message);
    } catch (const ApiError& e) {
      if (e.status() == 401 || e.status() == 403) throw;  // retrying does not help
      return wait::AttemptResult::NotYet(e.what());
    } catch (const PreconditionError& e) {
      return wait::AttemptResult::NotYet(e.what());  // API unreachable for now
    }
  }

 private:
  const Kind& api_kind_;
  std::string name_, ns_;
  ClientMaker maker_;
  std::unique_ptr<Client> client_;
};

bool ValidName(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
  return true;
}

}  // namespace

void RegisterWaitKinds(ClientMaker make_client) {
  ClientMaker maker = make_client ? std::move(make_client) : ClientMaker(DefaultClient);
  wait::RegisterConditionKind(
      "job",
      [maker](wait::OptionReader& r) -> std::unique_ptr<wait::Condition> {
        std::string name(r.spec().body);
        if (!ValidName(name)) r.FailTarget("expected job:NAME with a Kubernetes object name (lower-case, digits, '-', '.')");
        std::string ns = r.Take("namespace").value_or("");
        if (!ns.empty() && !ValidName(ns)) r.FailTarget("namespace= is not a valid namespace name");
        return std::make_unique<ApiCondition>("job", "job:" + name, LookupKind("Job"), name, ns, maker);
      },
      "job:NAME (namespace=NS)  a Kubernetes Job completed (a failed Job fails the wait)");
  wait::RegisterConditionKind(
      "rollout",
      [maker](wait::OptionReader& r) -> std::unique_ptr<wait::Condition> {
        std::string body(r.spec().body);
        size_t slash = body.find('/');
        if (slash == std::string::npos)
          r.FailTarget("expected rollout:KIND/NAME, e.g. rollout:deployment/web or rollout:statefulset/db");
        const Kind* kind = nullptr;
        try {
          kind = &LookupKind(body.substr(0, slash));
        } catch (const UsageError&) {
        }
        if (kind == nullptr ||
            (kind->kind != "Deployment" && kind->kind != "StatefulSet" && kind->kind != "DaemonSet"))
          r.FailTarget("rollout: takes deployment/, statefulset/ or daemonset/ (got " + Quote(body.substr(0, slash)) + ")");
        std::string name = body.substr(slash + 1);
        if (!ValidName(name)) r.FailTarget("expected a Kubernetes object name after '/'", slash + 1);
        std::string ns = r.Take("namespace").value_or("");
        if (!ns.empty() && !ValidName(ns)) r.FailTarget("namespace= is not a valid namespace name");
        std::string target = "rollout:" + ToLower(kind->kind) + "/" + name;
        return std::make_unique<ApiCondition>("rollout", target, *kind, name, ns, maker);
      },
      "rollout:KIND/NAME (namespace=NS)  a Deployment, StatefulSet or DaemonSet rolled out (as kubectl rollout "
      "status)");
}

}  // namespace capstan::kube
