#include "upgrade/run.h"


#include "log/log.h"
#include "release/record.h"
#include "util/json_writer.h"
#include "util/strings.h"

namespace capstan::upgrade {

UpgradeDecision CheckUpgradeInCluster(kube::Client& client, const std::string& ns, const std::string& release,
                                      const Policy& policy, const std::string& new_chart_version) {
  UpgradeInput in;
  in.chart_new = new_chart_version;
  if (auto rec = release::ReadRecord(client, ns, release)) {
    if (const auto* e = release::DeployedEntry(*rec)) {
      in.chart_deployed = e->Get("chartVersion");
      log::Info("release record found", {{"release", release}, {"deployed_revision", static_cast<long long>(e->revision)},
                                         {"chart_version", in.chart_deployed}});
    }
  } else {
    log::Info("no release record yet (first install or installed before capstan): chart version not compared",
              {{"release", release}, {"configmap", release::RecordName(release)}});
  }
  for (const auto& c : policy.components) {
    auto v = ReadDeployedVersion(client, ns, c);
    if (v) in.deployed[c.name] = *v;
  }
  return CheckUpgrade(policy, in);
}

std::string DecisionText(const UpgradeDecision& d) {
  std::string out;
  for (const auto& p : d.plan)
    out += "  " + p.name + " (order " + std::to_string(p.order) + "): " +
           (p.deployed.empty() ? std::string("not deployed") : p.deployed) + " -> " + p.target + " [" + p.action + "]\n";
  if (d.findings.empty()) return "upgrade allowed\n" + out;
  std::string head = "upgrade REFUSED (" + std::to_string(d.findings.size()) + " problem" +
                     (d.findings.size() == 1 ? "" : "s") + ")\n";
  for (const auto& f : d.findings) head += "  " + f.message + "\n";
  if (!d.summary.empty()) head += "  " + d.summary + "\n";
  return head + out;
}

std::string DecisionJson(const UpgradeDecision& d) {
  JsonWriter w;
  w.StartObject();
  w.Key("allowed");
  w.Bool(d.findings.empty());
  w.Key("findings");
  w.StartArray();
  for (const auto& f : d.findings) {
    w.StartObject();
    w.Key("subject");
    w.String(f.subject);
    w.Key("rule");
    w.String(f.rule);
    w.Key("message");
    w.String(f.message);
    w.EndObject();
  }
  w.EndArray();
  if (!d.summary.empty()) {
    w.Key("summary");
    w.String(d.summary);
  }
  w.Key("components");
  w.StartArray();
  for (const auto& p : d.plan) {
    w.StartObject();
    w.Key("name");
    w.String(p.name);
    w.Key("order");
    w.Int(p.order);
    w.Key("deployed");
    w.String(p.deployed);
    w.Key("target");
    w.String(p.target);
    w.Key("action");
    w.String(p.action);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.str() + "\n";
}

}  // namespace capstan::upgrade
