// Helpers of the charts/example-portal tests: private Helm homes (with the Helm 4 post-renderer plugin), rendering
// the chart (version 1, or version 2 built from tests/chart/fixtures/v2) with real Helm 3/4 with or without
// capstan-postrender, and tests/chart/manifest_tool.py (Kubernetes schema validation, digests, hook Jobs).
#pragma once
#include <map>
#include <set>
#include <string>
#include <vector>

#include "support/test_support.h"
#include "yaml/tree.h"

namespace capstan::test::chart {

std::string ChartDir();                              // charts/example-portal
std::string ValuesDir();                             // values/
std::vector<std::string> Environments();             // dev, staging, production
std::string EnvFile(const std::string& env);         // values/env/<env>.yaml
std::string K8sSchemas();                            // ../shared/testdata/k8s-schemas-v1.31

// A private HELM_*_HOME; for Helm 4 the capstan post-renderer plugin is installed into it.
class HelmHome {
 public:
  explicit HelmHome(int helm);
  int helm() const { return helm_; }
  std::map<std::string, std::string> env() const;

 private:
  int helm_;
  TempDir home_;
};

// Chart version 2: a copy of the chart with fixtures/v2/chart laid over it; render it with V2Values() as well.
class V2Chart {
 public:
  V2Chart();
  std::string dir() const { return tmp_.path() + "/example-portal"; }

 private:
  TempDir tmp_;
};
std::string V2Values();

struct RenderOptions {
  std::string chart = ChartDir();
  std::vector<std::string> values;      // -f files, in order
  std::vector<std::string> set;         // --set entries
  bool post_render = true;              // through capstan-postrender
  std::vector<std::string> post_args;   // extra --post-renderer-args
  std::string release = "portal";
  std::string ns = "shop";
};

// `helm template`; fails the test (with Helm's stderr) on a non-zero exit.
std::string Render(const HelmHome& home, const RenderOptions& options);
// The same, whatever the exit code (for charts that must refuse values).
ProcessResult RenderResult(const HelmHome& home, const RenderOptions& options);

// Runs tests/chart/manifest_tool.py with the given arguments.
ProcessResult ManifestTool(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {});

// "<Kind>/<name>" -> capstan.dev/config-digest of each pod template in the stream.
std::map<std::string, std::string> Digests(const std::string& stream);

// The scalars of a YAML list, in order.
std::vector<std::string> Strings(const yaml::Node& list);
// "group/resource:verb" for every rule of a Role.
std::set<std::string> Grants(const yaml::Node& role);
// What `capstan rbac -n shop --hook ...` prints (docs/rbac.md) as grants: the rules the client really uses, so the
// chart's Role is neither short of nor wider than them.
std::set<std::string> CapstanGrants(const std::vector<std::string>& hooks);
// The document of kind/name in a rendered stream; invalid when absent.
yaml::Node FindDoc(const std::vector<yaml::Tree>& docs, const std::string& kind, const std::string& name);

}  // namespace capstan::test::chart
