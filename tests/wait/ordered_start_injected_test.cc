// Ordered start end to end: a StatefulSet post-rendered by the real filters, whose injected containers' command
// lines and environment (resolved as the kubelet does: the downward API's metadata.name and
// metadata.annotations['...'], then $(VAR) expansion) run through the real `capstan mark-ready` and `capstan wait`
// processes (and the marker container's readinessProbe `mark-ready --probe`, with that container's env), with the
// volume's mountPath mapped to a temporary directory. Whether or not the pods consume a ConfigMap,
// the digest is never empty, pod 0's marker releases pod 1, and after a change of the template the old marker does not.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "postrender/postrender_testing.h"
#include "support/test_support.h"
#include "wait/ordered_start.h"
#include "yaml/tree.h"

using namespace capstan;
using namespace capstan::test;

namespace {

std::string Sts(const std::string& image, bool consumes_config) {
  std::string out;
  if (consumes_config) out = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: profile\ndata:\n  a: \"1\"\n---\n";
  return out + R"(apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: content
  annotations:
    capstan.dev/ordered-start: "true"
    capstan.dev/ordered-start-volume: shared
spec:
  serviceName: content
  replicas: 3
  template:
    spec:
      containers:
        - name: cms
          image: )" + image + "\n" +
         (consumes_config ? "          envFrom: [{configMapRef: {name: profile}}]\n" : "") + R"(          volumeMounts: [{name: shared, mountPath: /data}]
      volumes: [{name: shared, nfs: {server: nfs, path: /}}]
)";
}

// One injected container as the kubelet would start it in pod `pod`.
struct Started {
  std::vector<std::string> args;
  std::map<std::string, std::string> env;
};

std::string Expand(const std::string& value, const std::map<std::string, std::string>& env) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    size_t close = value.find(')', i);
    if (value.compare(i, 2, "$(") == 0 && close != std::string::npos && env.count(value.substr(i + 2, close - i - 2))) {
      out += env.at(value.substr(i + 2, close - i - 2));
      i = close;
    } else {
      out += value[i];
    }
  }
  return out;
}

Started Start(const yaml::Node& tmpl, const yaml::Node& container, const std::string& pod, const std::string& volume_dir) {
  Started s;
  yaml::Node annotations = tmpl.Get("metadata").Get("annotations");
  for (const auto& e : container.Get("env").Items()) {
    std::string name(e.Get("name").scalar()), value;
    if (e.Get("value")) {
      value = Expand(std::string(e.Get("value").scalar()), s.env);
    } else {
      std::string field(e.Get("valueFrom").Get("fieldRef").Get("fieldPath").scalar());
      const std::string prefix = "metadata.annotations['";
      if (field == "metadata.name") value = pod;
      else if (field.rfind(prefix, 0) == 0)
        value = std::string(annotations.Get(field.substr(prefix.size(), field.size() - prefix.size() - 2)).scalar());
      else FAIL("unexpected fieldRef " << field);
    }
    s.env[name] = value;
  }
  std::string mount(container.Get("volumeMounts").At(0).Get("mountPath").scalar());
  for (const auto& a : container.Get("args").Items()) {
    std::string arg(a.scalar());
    if (arg.rfind(mount, 0) == 0) arg = volume_dir + arg.substr(mount.size());
    if (arg != "--keep-running") s.args.push_back(arg);  // the sidecar idles after marking; the test does not
  }
  return s;
}

// The marker container's exec readinessProbe, as the kubelet runs it: in that container, with its env; the hook
// image's /capstan is the built binary here.
Started Probe(const yaml::Node& tmpl, const yaml::Node& container, const std::string& pod, const std::string& volume_dir) {
  Started s = Start(tmpl, container, pod, volume_dir);
  std::string mount(container.Get("volumeMounts").At(0).Get("mountPath").scalar());
  s.args.clear();
  auto command = container.Get("readinessProbe").Get("exec").Get("command").Items();
  REQUIRE(command.size() > 1);
  CHECK(command[0].scalar() == "/capstan");
  for (size_t i = 1; i < command.size(); ++i) {
    std::string arg(command[i].scalar());
    if (arg.rfind(mount, 0) == 0) arg = volume_dir + arg.substr(mount.size());
    s.args.push_back(arg);
  }
  return s;
}

ProcessResult Exec(const Started& s, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> argv = {Binary("capstan")};
  argv.insert(argv.end(), s.args.begin(), s.args.end());
  argv.insert(argv.end(), extra.begin(), extra.end());
  ProcessOptions o;
  o.env = s.env;
  o.unset_env = {"KUBERNETES_SERVICE_HOST", "CAPSTAN_LOG_FORMAT", "CAPSTAN_TIMEOUT", "CAPSTAN_MARKER_DIR"};
  o.timeout = std::chrono::milliseconds(60000);
  return Run(argv, o);
}

struct Rendered {
  std::string out;
  std::vector<yaml::Tree> docs;
  yaml::Node tmpl, waiter, marker;
};

void Render(const std::string& input, Rendered& r) {
  postrender::Config cfg;
  cfg.waits.enabled = true;
  cfg.waits.image = "capstan:test";
  r.out = PostRender(input, cfg);
  r.docs = yaml::Tree::ParseAll(r.out);
  for (const auto& d : r.docs)
    if (d.root().Get("kind").scalar() == "StatefulSet") r.tmpl = d.root().Get("spec").Get("template");
  REQUIRE(r.tmpl);
  r.waiter = r.tmpl.Get("spec").Get("initContainers").At(0);
  r.marker = r.tmpl.Get("spec").Get("containers").At(0);
  REQUIRE(r.waiter.Get("name").scalar() == "capstan-ordered-start");
  REQUIRE(r.marker.Get("name").scalar() == "capstan-mark-ready");
}

}  // namespace

TEST_CASE("ordered start, injected: the post-rendered command lines run through capstan mark-ready and wait") {
  for (bool consumes_config : {false, true}) {
    INFO("consumes a ConfigMap: " << consumes_config);
    TempDir volume;
    Rendered v1;
    Render(Sts("cms:1.0", consumes_config), v1);
    yaml::Node annotations = v1.tmpl.Get("metadata").Get("annotations");
    // Without a ConfigMap there is no config digest (the old marker digest was empty: every pod crash-looped).
    CHECK(annotations.Get("capstan.dev/config-digest").valid() == consumes_config);
    std::string template_digest(annotations.Get("capstan.dev/ordered-start-digest").scalar());
    REQUIRE_FALSE(template_digest.empty());

    Started pod0 = Start(v1.tmpl, v1.marker, "content-0", volume.path());
    std::string expected = wait::MarkerDigest(template_digest,
                                              std::string(annotations.Get("capstan.dev/config-digest").scalar()),
                                              consumes_config);
    CHECK(pod0.env.at("CAPSTAN_DIGEST") == expected);
    // Before the marker, pod 0's readiness probe fails (pod 1's passes: it writes no marker).
    Started probe0 = Probe(v1.tmpl, v1.marker, "content-0", volume.path());
    ProcessResult not_ready = Exec(probe0);
    CHECK(not_ready.exit_code == 1);
    CHECK_THAT(not_ready.err, Catch::Contains("not written yet"));
    CHECK(Exec(Probe(v1.tmpl, v1.marker, "content-1", volume.path())).exit_code == 0);
    ProcessResult marked = Exec(pod0);
    INFO(marked.err);
    REQUIRE(marked.exit_code == 0);
    ProcessResult ready = Exec(probe0);
    INFO(ready.err);
    CHECK(ready.exit_code == 0);
    CHECK(Slurp(volume.path() + "/.capstan/content.ready") == expected + "\n");

    // Pod 1's init container is released by that marker (and pod 0's own init container never waits).
    ProcessResult pod1 = Exec(Start(v1.tmpl, v1.waiter, "content-1", volume.path()));
    INFO(pod1.err);
    CHECK(pod1.exit_code == 0);
    CHECK(Exec(Start(v1.tmpl, v1.waiter, "content-0", volume.path())).exit_code == 0);

    // A new template: pod 1 of the new generation is not released by the old marker...
    Rendered v2;
    Render(Sts("cms:1.1", consumes_config), v2);
    Started new_pod1 = Start(v2.tmpl, v2.waiter, "content-1", volume.path());
    CHECK(new_pod1.env.at("CAPSTAN_DIGEST") != expected);
    Started impatient = new_pod1;  // the injected 30m timeout, shortened for the test
    auto timeout = std::find(impatient.args.begin(), impatient.args.end(), "--timeout");
    REQUIRE(timeout + 1 < impatient.args.end());
    *(timeout + 1) = "1s";
    ProcessResult stale = Exec(impatient, {"--initial-interval", "100ms", "--max-interval", "200ms"});
    CHECK(stale.exit_code == 1);
    CHECK_THAT(stale.err, Catch::Contains("stale marker"));
    // The new pod 0 is not Ready on the old marker...
    Started new_probe0 = Probe(v2.tmpl, v2.marker, "content-0", volume.path());
    ProcessResult stale_probe = Exec(new_probe0);
    CHECK(stale_probe.exit_code == 1);
    CHECK_THAT(stale_probe.err, Catch::Contains("not this pod's digest"));
    // ...until the new pod 0 marks it.
    REQUIRE(Exec(Start(v2.tmpl, v2.marker, "content-0", volume.path())).exit_code == 0);
    CHECK(Exec(new_probe0).exit_code == 0);
    CHECK(Exec(new_pod1).exit_code == 0);
  }
}
