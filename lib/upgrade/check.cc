#include "upgrade/check.h"

#include "util/error.h"
#include "util/strings.h"

namespace capstan::upgrade {
namespace {

// Adds downgrade / major-skip findings for one subject; returns the comparison (<0 downgrade, 0 same, >0 up).
int CompareVersions(const std::string& subject, const SemVer& from, const SemVer& to, bool allow_downgrade,
                    int64_t max_major_skip, std::vector<Finding>& out) {
  int c = Compare(to, from);
  if (c < 0 && !allow_downgrade)
    out.push_back({subject, "downgrade",
                   subject + ": downgrade from " + from.text + " to " + to.text +
                       " is not allowed (set allowDowngrade: true in the policy if this is intended, and restore "
                       "data from a backup taken before " + from.text + ")"});
  if (c > 0 && to.major > from.major) {
    uint64_t skipped = to.major - from.major - 1;
    if (skipped > static_cast<uint64_t>(max_major_skip)) {
      std::string chain;
      for (uint64_t m = from.major + 1; m < to.major && m < from.major + 6; ++m)
        chain += (chain.empty() ? "" : ", ") + std::to_string(m) + ".x";
      out.push_back({subject, "major-skip",
                     subject + ": upgrading " + from.text + " -> " + to.text + " skips " + std::to_string(skipped) +
                         " major version" + (skipped == 1 ? "" : "s") + " (allowed: " +
                         std::to_string(max_major_skip) + "); upgrade through " + chain + " first"});
    }
  }
  return c;
}

struct State {
  const Component* c;
  bool pending;  // deployed but below its target: still to be upgraded
};

// "certs", "certs, auth"
std::string Names(const std::vector<const State*>& group) {
  std::vector<std::string> names;
  for (const auto* s : group) names.push_back(s->c->name);
  return Join(names, ", ");
}

// Order: a component may move to a newer version only when every component with a LOWER order is already at its
// target (components of the same order upgrade together). One finding per order group that would move while an
// earlier group is still pending, naming the earliest pending group (what has to go first), so upgrading everything
// at once reports one finding per later group, not one per pair of components; the summary lists the upgrades the
// policy needs, one per order group.
void AddOrderFindings(const std::vector<State>& states, const UpgradeInput& in, UpgradeDecision& d) {
  std::vector<std::vector<const State*>> groups;  // the pending components, by order
  for (const auto& s : states) {
    if (!s.pending) continue;
    if (groups.empty() || groups.back().front()->c->order != s.c->order) groups.emplace_back();
    groups.back().push_back(&s);
  }
  if (groups.size() < 2) return;
  const auto& first = groups.front();
  const Component& e0 = *first.front()->c;
  auto at = [&](const State* s) { return in.deployed.at(s->c->name); };
  for (size_t g = 1; g < groups.size(); ++g) {
    const auto& late = groups[g];
    const Component& l0 = *late.front()->c;
    std::string moves, keeps, waits;
    if (late.size() == 1) {
      moves = l0.name + " (order " + std::to_string(l0.order) + ") would be upgraded " + at(late.front()) + " -> " +
              l0.version.text;
    } else {
      std::vector<std::string> parts;
      for (const auto* s : late) parts.push_back(s->c->name + " " + at(s) + " -> " + s->c->version.text);
      moves = Join(parts, ", ") + " (order " + std::to_string(l0.order) + ") would be upgraded";
    }
    std::vector<std::string> kept;
    for (const auto* s : late) kept.push_back(s->c->name + " at " + at(s));
    keeps = Join(kept, ", ");
    if (first.size() == 1) {
      waits = e0.name + " (order " + std::to_string(e0.order) + ") is still at " + at(first.front()) + " (target " +
              e0.version.text + ")";
    } else {
      std::vector<std::string> parts;
      for (const auto* s : first) parts.push_back(s->c->name + " at " + at(s) + " (target " + s->c->version.text + ")");
      waits = "order " + std::to_string(e0.order) + " is still pending: " + Join(parts, ", ");
    }
    std::string then;  // the groups between the first pending one and this one go in between
    for (size_t m = 1; m < g; ++m) then += ", then " + Names(groups[m]);
    d.findings.push_back({Names(late), "order",
                          moves + " while " + waits + ": upgrade " + Names(first) + " first (keep " + keeps +
                              " in this upgrade)" + then + ", then " + Names(late)});
  }
  std::vector<std::string> steps;
  for (size_t g = 0; g < groups.size(); ++g) {
    std::vector<std::string> parts;
    for (const auto* s : groups[g]) parts.push_back(s->c->name + " " + s->c->version.text);
    steps.push_back(std::to_string(g + 1) + ") " + Join(parts, ", "));
  }
  d.summary = "the policy upgrades in " + std::to_string(groups.size()) + " steps, one helm upgrade each: " +
              Join(steps, "; then ") + " (this upgrade may change only step 1's versions)";
}

}  // namespace

UpgradeDecision CheckUpgrade(const Policy& policy, const UpgradeInput& in) {
  UpgradeDecision d;
  if (!in.chart_deployed.empty() && !in.chart_new.empty()) {
    auto from = ParseSemVer(in.chart_deployed);
    auto to = ParseSemVer(in.chart_new);
    if (!from)
      d.findings.push_back({"chart", "unreadable", "chart: the recorded chart version " + Quote(in.chart_deployed) +
                                                       " is not a semantic version"});
    else if (!to)
      d.findings.push_back({"chart", "unreadable", "chart: the new chart version " + Quote(in.chart_new) +
                                                       " is not a semantic version"});
    else
      CompareVersions("chart", *from, *to, policy.allow_downgrade, policy.max_major_skip, d.findings);
  }
  // Components in policy order (ParsePolicy sorts them).
  std::vector<State> states;
  for (const auto& c : policy.components) {
    ComponentPlan plan{c.name, c.order, "", c.version.text, "install"};
    auto it = in.deployed.find(c.name);
    bool pending = false;
    if (it != in.deployed.end()) {
      plan.deployed = it->second;
      auto from = ParseSemVer(it->second);
      if (!from) {
        d.findings.push_back({c.name, "unreadable",
                              c.name + ": the deployed version " + Quote(it->second) + " (from " + c.deployed.kind +
                                  " " + c.deployed.name + ") is not a semantic version; cannot check the upgrade path"});
        plan.action = "unknown";
      } else {
        int cmp = CompareVersions(c.name, *from, c.version, c.allow_downgrade.value_or(policy.allow_downgrade),
                                  policy.max_major_skip, d.findings);
        plan.action = cmp > 0 ? "upgrade" : cmp < 0 ? "downgrade" : "unchanged";
        pending = cmp > 0;
      }
    }
    states.push_back({&c, pending});
    d.plan.push_back(plan);
  }
  AddOrderFindings(states, in, d);
  return d;
}

std::string ImageTag(const std::string& image) {
  std::string ref = image.substr(0, image.find('@'));
  size_t slash = ref.rfind('/');
  std::string last = slash == std::string::npos ? ref : ref.substr(slash + 1);
  size_t colon = last.rfind(':');
  return colon == std::string::npos ? "" : last.substr(colon + 1);
}

std::optional<std::string> ReadDeployedVersion(kube::Client& client, const std::string& ns, const Component& c) {
  const auto& kind = kube::LookupKind(c.deployed.kind);
  auto obj = client.GetIfExists(kind, ns, c.deployed.name);
  if (!obj) return std::nullopt;
  std::string where = c.deployed.kind + " " + ns + "/" + c.deployed.name + " (component " + c.name + ")";
  if (!c.deployed.image) {
    const kube::Json* labels = kube::Find(*obj, {"metadata", "labels"});
    const kube::Json* v = labels != nullptr && labels->IsObject() && labels->HasMember(c.deployed.label.c_str())
                              ? &(*labels)[c.deployed.label.c_str()]
                              : nullptr;
    if (v == nullptr || !v->IsString())
      throw Error(where + " has no label " + c.deployed.label +
                  "; set it in the chart or read the version from the image (deployed.image)");
    return std::string(v->GetString(), v->GetStringLength());
  }
  const kube::Json* containers = kube::Find(*obj, {"spec", "template", "spec", "containers"});
  if (containers == nullptr || !containers->IsArray() || containers->Empty())
    throw Error(where + " has no containers");
  for (const auto& ct : containers->GetArray()) {
    if (!c.deployed.container.empty() && kube::GetString(ct, {"name"}) != c.deployed.container) continue;
    std::string image = kube::GetString(ct, {"image"});
    std::string tag = ImageTag(image);
    if (tag.empty())
      throw Error(where + ": image " + Quote(image) + " has no tag to read a version from (digest-only or latest)");
    return tag;
  }
  throw Error(where + " has no container " + Quote(c.deployed.container));
}

}  // namespace capstan::upgrade
