#include "kube/wait_probes.h"

#include "kube/rollout.h"
#include "util/strings.h"
#include "wait/kinds.h"

namespace capstan::kube {
namespace {

std::unique_ptr<Client> DefaultClient() {
  ClientOptions o;
  o.max_attempts = 2;
  o.hook = "wait";
  return std::make_unique<Client>(Load(LoadOptions{}), o);
}

class ApiProbe : public wait::Probe {
 public:
  ApiProbe(const wait::ApiCondition& c, ClientMaker maker)
      : api_kind_(LookupKind(c.api_kind())), name_(c.name()), ns_(c.ns()), maker_(std::move(maker)) {}

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

}  // namespace

void AttachWaitProbes(ClientMaker make_client) {
  ClientMaker maker = make_client ? std::move(make_client) : ClientMaker(DefaultClient);
  wait::ProbeFactory factory = [maker](const wait::Condition& c) -> std::unique_ptr<wait::Probe> {
    return std::make_unique<ApiProbe>(dynamic_cast<const wait::ApiCondition&>(c), maker);
  };
  wait::AttachProbe("job", factory);
  wait::AttachProbe("rollout", factory);
}

}  // namespace capstan::kube
