#include "chart_testing.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

namespace capstan::test::chart {

std::string ChartDir() { return SourceDir() + "/charts/example-portal"; }
std::string ValuesDir() { return SourceDir() + "/values"; }
std::vector<std::string> Environments() { return {"dev", "staging", "production"}; }
std::string EnvFile(const std::string& env) { return ValuesDir() + "/env/" + env + ".yaml"; }
std::string K8sSchemas() { return SharedDir() + "/testdata/k8s-schemas-v1.31"; }
std::string V2Values() { return SourceDir() + "/tests/chart/fixtures/v2/values.yaml"; }

HelmHome::HelmHome(int helm) : helm_(helm) {
  if (helm != 4) return;
  ProcessOptions o;
  o.env = env();
  auto r = Run({Helm(4), "plugin", "install", BinaryDir() + "/helm-plugin/capstan"}, o);
  INFO("helm plugin install: " << r.out << r.err);
  REQUIRE(r.exit_code == 0);
}

std::map<std::string, std::string> HelmHome::env() const {
  return {{"HELM_CONFIG_HOME", home_.path() + "/config"},
          {"HELM_DATA_HOME", home_.path() + "/data"},
          {"HELM_CACHE_HOME", home_.path() + "/cache"}};
}

V2Chart::V2Chart() {
  namespace fs = std::filesystem;
  fs::copy(ChartDir(), dir(), fs::copy_options::recursive);
  fs::copy(SourceDir() + "/tests/chart/fixtures/v2/chart", dir(),
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

namespace {
std::vector<std::string> RenderArgv(const HelmHome& home, const RenderOptions& options) {
  std::vector<std::string> argv = {Helm(home.helm()), "template", options.release, options.chart, "-n", options.ns};
  for (const auto& f : options.values) argv.insert(argv.end(), {"-f", f});
  for (const auto& s : options.set) argv.insert(argv.end(), {"--set", s});
  if (options.post_render) {
    argv.insert(argv.end(), {"--post-renderer", home.helm() == 3 ? Binary("capstan-postrender") : "capstan"});
    std::vector<std::string> args = {"--release=" + options.release, "--namespace=" + options.ns};
    args.insert(args.end(), options.post_args.begin(), options.post_args.end());
    for (const auto& a : args) argv.insert(argv.end(), {"--post-renderer-args", a});
  }
  return argv;
}
}  // namespace

ProcessResult RenderResult(const HelmHome& home, const RenderOptions& options) {
  ProcessOptions o;
  o.env = home.env();
  return Run(RenderArgv(home, options), o);
}

std::string Render(const HelmHome& home, const RenderOptions& options) {
  std::vector<std::string> argv = RenderArgv(home, options);
  auto r = RenderResult(home, options);
  std::ostringstream cmd;
  for (const auto& a : argv) cmd << a << ' ';
  INFO(cmd.str() << "\nexit " << r.exit_code << ", stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(!r.out.empty());
  return r.out;
}

ProcessResult ManifestTool(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) {
  std::vector<std::string> argv = {"python3", SourceDir() + "/tests/chart/manifest_tool.py"};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessOptions o;
  o.env = env;
  return Run(argv, o);
}

std::map<std::string, std::string> Digests(const std::string& stream) {
  TempDir t;
  auto r = ManifestTool({"digests", t.Write("stream.yaml", stream)});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::map<std::string, std::string> out;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    auto tab = line.find('\t');
    if (tab != std::string::npos) out[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return out;
}

std::vector<std::string> Strings(const yaml::Node& list) {
  std::vector<std::string> out;
  for (const auto& n : list.Items()) out.emplace_back(n.scalar());
  return out;
}

std::set<std::string> CapstanGrants(const std::vector<std::string>& hooks) {
  std::vector<std::string> argv = {Binary("capstan"), "rbac", "-n", "shop"};
  for (const auto& h : hooks) argv.insert(argv.end(), {"--hook", h});
  auto r = Run(argv);
  REQUIRE(r.exit_code == 0);
  return Grants(yaml::Tree::Parse(r.out).root());
}

yaml::Node FindDoc(const std::vector<yaml::Tree>& docs, const std::string& kind, const std::string& name) {
  for (const auto& d : docs)
    if (d.root().Get("kind").scalar() == kind && d.root().Get("metadata").Get("name").scalar() == name)
      return d.root();
  return {};
}

std::set<std::string> Grants(const yaml::Node& role) {
  std::set<std::string> out;
  for (const auto& rule : role.Get("rules").Items())
    for (const auto& g : Strings(rule.Get("apiGroups")))
      for (const auto& r : Strings(rule.Get("resources")))
        for (const auto& v : Strings(rule.Get("verbs"))) out.insert(g + "/" + r + ":" + v);
  return out;
}

}  // namespace capstan::test::chart
