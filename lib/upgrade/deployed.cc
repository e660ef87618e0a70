#include "upgrade/deployed.h"

#include <algorithm>

#include "util/error.h"
#include "util/strings.h"
#include "util/suggest.h"
#include "yaml/tree.h"

namespace capstan::upgrade {
namespace {

struct Reader {
  const std::string& origin;

  [[noreturn]] void Fail(const yaml::Node& at, const std::string& why) const {
    std::string where = origin;
    if (at && at.has_position()) where += ":" + std::to_string(at.start().line + 1);
    throw UsageError(where + ": " + why);
  }

  std::string Unknown(const std::string& what, const std::string& word, const std::vector<std::string>& known) const {
    std::string best = SuggestClosest(word, known);
    return "unknown " + what + " " + Quote(word) + (best.empty() ? "" : " (did you mean " + Quote(best) + "?)") +
           "; expected one of: " + Join(known, ", ");
  }
};

std::vector<std::string> ComponentNames(const Policy& policy) {
  std::vector<std::string> names;
  for (const auto& c : policy.components) names.push_back(c.name);
  return names;
}

// The small YAML file: chartVersion and components (name -> version).
DeployedFile ReadVersions(const yaml::Node& root, const Reader& r, const Policy& policy) {
  DeployedFile out;
  out.format = "versions";
  const std::vector<std::string> top = {"chartVersion", "components"};
  for (const auto& [k, v] : root.MergedEntries()) {
    std::string key(k.scalar());
    if (std::find(top.begin(), top.end(), key) == top.end()) r.Fail(k, r.Unknown("key", key, top));
  }
  if (yaml::Node chart = root.Get("chartVersion"); chart && !chart.IsNull()) {
    if (!chart.IsScalar()) r.Fail(chart, "chartVersion must be a version such as 1.4.0");
    if (!ParseSemVer(std::string(chart.scalar())))
      r.Fail(chart, "chartVersion " + Quote(std::string(chart.scalar())) +
                        " is not a semantic version (MAJOR.MINOR.PATCH[-pre])");
    out.input.chart_deployed = std::string(chart.scalar());
  }
  yaml::Node comps = root.Get("components");
  if (!comps || !comps.IsMapping())
    r.Fail(comps ? comps : root, "expected components: a mapping of the policy's component names to the versions "
                                 "deployed now (e.g. components: {" + policy.components.front().name + ": 1.4.0})");
  std::vector<std::string> names = ComponentNames(policy);
  for (const auto& [k, v] : comps.MergedEntries()) {
    std::string name(k.scalar());
    if (std::find(names.begin(), names.end(), name) == names.end())
      r.Fail(k, r.Unknown("component", name, names) + " (the policy's components)");
    if (v.IsNull()) continue;  // not deployed
    if (!v.IsScalar()) r.Fail(v, name + ": expected a version such as 1.4.0, or ~ when it is not deployed");
    std::string version(v.scalar());
    if (!ParseSemVer(version))
      r.Fail(v, name + ": " + Quote(version) +
                    " is not a semantic version (MAJOR.MINOR.PATCH[-pre]); ~ when not deployed");
    out.input.deployed[name] = version;
  }
  return out;
}

std::string Str(const yaml::Node& n) { return n.IsScalar() ? std::string(n.scalar()) : ""; }

// A capstan-postrender report: each component's workload, read as in the cluster.
DeployedFile ReadReport(const yaml::Node& root, const Reader& r, const Policy& policy, const std::string& ns) {
  DeployedFile out;
  out.format = "report";
  yaml::Node workloads = root.Get("workloads");
  if (!workloads.IsSequence())
    r.Fail(workloads ? workloads : root, "workloads must be a list (a capstan-postrender --report file)");
  for (const auto& c : policy.components) {
    std::vector<yaml::Node> found;
    for (const auto& w : workloads.Items())
      if (Str(w.Get("kind")) == c.deployed.kind && Str(w.Get("name")) == c.deployed.name &&
          (ns.empty() || Str(w.Get("namespace")).empty() || Str(w.Get("namespace")) == ns))
        found.push_back(w);
    if (found.empty()) continue;  // not deployed: a new component
    std::string what = c.deployed.kind + " " + c.deployed.name + " (component " + c.name + ")";
    if (found.size() > 1)
      r.Fail(found[1], what + " appears " + std::to_string(found.size()) +
                           " times in the report (in several namespaces?): pass --namespace to choose one");
    const yaml::Node& w = found.front();
    if (!c.deployed.image) {
      yaml::Node v = w.Get("labels").Get(c.deployed.label);
      if (!v.IsScalar() || v.IsNull())
        r.Fail(w, what + " has no label " + c.deployed.label +
                      " in this report (set it in the chart, or read the version from the image: deployed.image; a "
                      "report written before reports carried labels needs rewriting)");
      out.input.deployed[c.name] = std::string(v.scalar());
      continue;
    }
    yaml::Node containers = w.Get("containers");
    if (!containers.IsSequence() || containers.size() == 0)
      r.Fail(w, what + " has no containers in this report (a report written before reports listed containers "
                    "needs rewriting)");
    bool done = false;
    for (const auto& ct : containers.Items()) {
      if (!c.deployed.container.empty() && Str(ct.Get("name")) != c.deployed.container) continue;
      std::string image = Str(ct.Get("image"));
      std::string tag = ImageTag(image);
      if (tag.empty())
        r.Fail(ct, what + ": image " + Quote(image) + " has no tag to read a version from (digest-only or latest)");
      out.input.deployed[c.name] = tag;
      done = true;
      break;
    }
    if (!done) r.Fail(w, what + " has no container " + Quote(c.deployed.container));
  }
  return out;
}

}  // namespace

DeployedFile ReadDeployed(const std::string& text, const std::string& origin, const Policy& policy,
                          const std::string& ns) {
  Reader r{origin};
  yaml::Tree tree;
  try {
    tree = yaml::Tree::Parse(text);
  } catch (const yaml::ParseError& e) {
    throw UsageError(origin + ":" + std::to_string(e.line() + 1) + ": " + e.reason() +
                     " (expected a capstan-postrender report or a YAML file: components: {NAME: VERSION})");
  }
  yaml::Node root = tree.root();
  if (!root || !root.IsMapping())
    r.Fail(root, "expected a capstan-postrender report (--report JSON) or a mapping with components: "
                 "{NAME: VERSION}");
  if (root.Get("workloads") || Str(root.Get("tool")) == "capstan-postrender") return ReadReport(root, r, policy, ns);
  return ReadVersions(root, r, policy);
}

}  // namespace capstan::upgrade
