#include "postrender/config.h"

#include <set>

#include "util/duration.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/strings.h"
#include "yaml/tree.h"
#include "yaml/yaml11.h"

namespace capstan::postrender {

namespace {

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  [[noreturn]] void Fail(const yaml::Node& n, const std::string& msg) const {
    throw UsageError(path_ + ":" + std::to_string(n.start().line + 1) + ": " + msg);
  }
  void Keys(const yaml::Node& map, std::initializer_list<const char*> allowed) const {
    if (!map.IsMapping()) Fail(map, "expected a mapping");
    for (const auto& [k, v] : map.Entries()) {
      std::string key(k.scalar());
      bool ok = false;
      std::string best;
      size_t best_d = 99;
      for (const char* a : allowed) {
        if (key == a) ok = true;
        size_t d = EditDistance(key, a);
        if (d < best_d) best_d = d, best = a;
      }
      if (!ok)
        Fail(k, "unknown key " + Quote(key) + (best_d <= 3 ? " (did you mean " + Quote(best) + "?)" : "") +
                    "; allowed: " + [&] {
                      std::string s;
                      for (const char* a : allowed) s += (s.empty() ? "" : ", ") + std::string(a);
                      return s;
                    }());
    }
  }
  std::string Str(const yaml::Node& n) const {
    if (!n.IsScalar()) Fail(n, "expected a string");
    return std::string(n.scalar());
  }
  bool Bool(const yaml::Node& n) const {
    yaml::ResolvedScalar r = yaml::Resolve(n);
    if (!n.IsScalar() || r.type != yaml::ScalarType::kBool) Fail(n, "expected true or false");
    return r.boolean;
  }

 private:
  std::string path_;
};

}  // namespace

manifest::WorkloadKind ParseWorkloadKind(const std::string& spec) {
  size_t eq = spec.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
    throw UsageError("invalid workload kind " + Quote(spec) + ": use GROUP/KIND=PATH, e.g. example.com/Foo=spec.template");
  std::string gk = spec.substr(0, eq);
  manifest::WorkloadKind k;
  size_t slash = gk.rfind('/');
  k.group = slash == std::string::npos ? "*" : gk.substr(0, slash);
  k.kind = slash == std::string::npos ? gk : gk.substr(slash + 1);
  for (const auto& part : Split(spec.substr(eq + 1), '.', true)) k.template_path.push_back(part);
  if (k.kind.empty()) throw UsageError("invalid workload kind " + Quote(spec) + ": the kind is empty");
  return k;
}

void LoadConfigFile(const std::string& path, Config& config) {
  std::string text = ReadFile(path);
  yaml::Tree tree = [&] {
    try {
      return yaml::Tree::Parse(text);
    } catch (const yaml::ParseError& e) {
      throw UsageError(path + ":" + std::to_string(e.line() + 1) + ": invalid YAML: " + e.reason());
    }
  }();
  yaml::Node root = tree.root();
  if (!root) return;
  Reader r(path);
  r.Keys(root, {"release", "namespace", "maxDocumentSize", "threads", "report", "checksum", "safety", "waits"});
  if (auto n = root.Get("release")) config.pipeline.release = r.Str(n);
  if (auto n = root.Get("namespace")) config.pipeline.namespace_ = r.Str(n);
  if (auto n = root.Get("maxDocumentSize")) config.pipeline.max_document_size = ParseSize(r.Str(n));
  if (auto n = root.Get("report")) config.report_file = r.Str(n);
  if (auto n = root.Get("threads")) config.pipeline.threads = static_cast<unsigned>(std::stoul(r.Str(n)));
  if (auto c = root.Get("safety")) {
    r.Keys(c, {"podDisruptionBudgets", "preStopDelay", "keepPersistentVolumeClaims", "safeRollingUpdate"});
    if (auto n = c.Get("podDisruptionBudgets")) config.safety.pdb = r.Bool(n);
    if (auto n = c.Get("preStopDelay"))
      config.safety.prestop_seconds = static_cast<int>(ParseDuration(r.Str(n)).count() / 1000);
    if (auto n = c.Get("keepPersistentVolumeClaims")) config.safety.keep_pvcs = r.Bool(n);
    if (auto n = c.Get("safeRollingUpdate")) config.safety.rolling_update = r.Bool(n);
  }
  if (auto c = root.Get("waits")) {
    r.Keys(c, {"enabled", "image", "annotation", "timeout", "containerName", "orderedStartTimeout", "rules"});
    for (const auto& rule : c.Get("rules").Items()) {
      r.Keys(rule, {"kind", "name", "labels", "waitFor"});
      WaitRule w;
      if (auto n = rule.Get("kind")) w.kind = r.Str(n);
      if (auto n = rule.Get("name")) w.name = r.Str(n);
      for (const auto& [k, v] : rule.Get("labels").Entries()) w.labels[std::string(k.scalar())] = r.Str(v);
      if (!rule.Get("waitFor")) r.Fail(rule, "a wait rule needs waitFor (the conditions, as in capstan.dev/wait-for)");
      w.wait_for = r.Str(rule.Get("waitFor"));
      config.waits.rules.push_back(std::move(w));
    }
    if (auto n = c.Get("orderedStartTimeout")) config.ordered_start_timeout = r.Str(n);
    if (auto n = c.Get("enabled")) config.waits.enabled = r.Bool(n);
    if (auto n = c.Get("image")) config.waits.image = r.Str(n);
    if (auto n = c.Get("annotation")) config.waits.annotation = r.Str(n);
    if (auto n = c.Get("timeout")) config.waits.timeout = r.Str(n);
    if (auto n = c.Get("containerName")) config.waits.container_name = r.Str(n);
  }
  if (auto c = root.Get("checksum")) {
    r.Keys(c, {"enabled", "annotation", "optOutAnnotation", "optIn", "env", "hmacKeyFile", "strict", "workloadKinds"});
    if (auto n = c.Get("enabled")) config.checksum.enabled = r.Bool(n);
    if (auto n = c.Get("annotation")) config.checksum.annotation = r.Str(n);
    if (auto n = c.Get("optOutAnnotation")) config.checksum.opt_out_annotation = r.Str(n);
    if (auto n = c.Get("optIn")) config.checksum.opt_in = r.Bool(n);
    if (auto n = c.Get("env")) config.checksum.env_name = r.Str(n);
    if (auto n = c.Get("hmacKeyFile")) config.hmac_key_file = r.Str(n);
    if (auto n = c.Get("strict")) config.checksum.strict = r.Bool(n);
    for (const auto& k : c.Get("workloadKinds").Items()) {
      r.Keys(k, {"group", "kind", "path"});
      manifest::WorkloadKind wk;
      wk.group = k.Get("group") ? r.Str(k.Get("group")) : "*";
      wk.kind = r.Str(k.Get("kind"));
      for (const auto& part : Split(r.Str(k.Get("path")), '.', true)) wk.template_path.push_back(part);
      config.checksum.extra_kinds.push_back(wk);
    }
  }
}

}  // namespace capstan::postrender
