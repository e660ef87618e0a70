// The annotation is the opt-in: with no option at all, capstan.dev/wait-for is injected with the Capstan hook image
// of this version; the image is --wait-image (or its variable or file key), else the workload's
// capstan.dev/wait-image, else that default, for the wait and the ordered-start containers alike. Switched off
// explicitly, nothing is injected, the output is the input, and each workload whose annotation was ignored is a
// wait-ignored finding.
#include <catch2/catch.hpp>

#include "capstan_version.h"
#include "manifest/stream.h"
#include "postrender/kit/injected_container.h"
#include "postrender/postrender_testing.h"
#include "support/test_support.h"
#include "yaml/tree.h"

using namespace capstan;

namespace {

const char* kRelease = R"Y(---
# Source: app/templates/web.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    capstan.dev/wait-for: "tcp://db:5432"
spec:
  template:
    spec:
      containers: [{name: web, image: nginx}]
---
# Source: app/templates/api.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    metadata:
      annotations:
        capstan.dev/wait-for: "dns:db"
        capstan.dev/wait-image: "mirror.example/capstan:7"
    spec:
      containers: [{name: api, image: api}]
---
# Source: app/templates/content.yaml
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: content
  annotations: {capstan.dev/ordered-start: "true", capstan.dev/ordered-start-volume: shared}
spec:
  serviceName: content
  template:
    spec:
      containers:
        - name: cms
          image: cms
          volumeMounts: [{name: shared, mountPath: /data}]
      volumes: [{name: shared, persistentVolumeClaim: {claimName: content-shared}}]
---
# Source: app/templates/plain.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: plain
spec:
  template:
    spec:
      containers: [{name: p, image: p}]
)Y";

// The image of the named container (init containers first, then containers) of document i of a stream.
std::string ImageOf(const std::string& stream, size_t i, const std::string& container) {
  yaml::Tree t = yaml::Tree::Parse(manifest::Split(stream)[i].text);
  yaml::Node spec = t.root().Get("spec").Get("template").Get("spec");
  for (const char* list : {"initContainers", "containers"})
    for (const auto& c : spec.Get(list).Items())
      if (c.Get("name").scalar() == container) return std::string(c.Get("image").scalar());
  return "";
}

}  // namespace

TEST_CASE("waits: on by default, with the Capstan hook image of this version") {
  postrender::Config c;  // no option at all
  c.summary = false;
  std::string out = test::PostRender(kRelease, c);
  std::string image = std::string("ghcr.io/capstan-dev/capstan:") + CAPSTAN_VERSION;
  CHECK(postrender::DefaultHookImage() == image);
  CHECK(ImageOf(out, 0, "capstan-wait") == image);
  CHECK(ImageOf(out, 1, "capstan-wait") == "mirror.example/capstan:7");  // the workload's capstan.dev/wait-image
  CHECK(ImageOf(out, 2, "capstan-ordered-start") == image);
  CHECK(ImageOf(out, 2, "capstan-mark-ready") == image);
  CHECK(manifest::Split(out)[3].text == manifest::Split(kRelease)[3].text);  // no annotation: untouched
}

TEST_CASE("waits: --wait-image wins over the workload's annotation, for every injected container") {
  postrender::Config c;
  c.summary = false;
  c.waits.image = "registry.example/capstan:1";
  std::string out = test::PostRender(kRelease, c);
  CHECK(ImageOf(out, 0, "capstan-wait") == "registry.example/capstan:1");
  CHECK(ImageOf(out, 1, "capstan-wait") == "registry.example/capstan:1");
  CHECK(ImageOf(out, 2, "capstan-ordered-start") == "registry.example/capstan:1");
  CHECK(ImageOf(out, 2, "capstan-mark-ready") == "registry.example/capstan:1");
  CHECK(postrender::HookImage("", "  ") == postrender::DefaultHookImage());  // an empty annotation is not set
}

TEST_CASE("waits: switched off, nothing is injected and each ignored annotation is a finding") {
  postrender::Config c;
  c.summary = false;
  c.waits.enabled = false;
  c.checksum.enabled = false;
  postrender::Report report;
  CHECK(test::PostRender(kRelease, c, &report) == kRelease);  // byte for byte
  std::map<std::string, std::string> ignored;
  for (const auto& f : report.Findings()) {
    CHECK(f.rule == "wait-ignored");
    CHECK(f.severity == findings::Severity::kWarning);
    ignored[f.object] = f.message;
  }
  REQUIRE(ignored.size() == 3);  // web, api, content; not plain
  CHECK_THAT(ignored["Deployment/web"], Catch::Contains("capstan.dev/wait-for annotation was ignored"));
  CHECK_THAT(ignored["Deployment/api"], Catch::Contains("--waits=false"));
  CHECK_THAT(ignored["StatefulSet/content"], Catch::Contains("capstan.dev/ordered-start annotation was ignored"));

  SECTION("the same from the environment and the configuration file") {
    test::TempDir t;
    postrender::Config from_file;
    postrender::LoadConfigFile(t.Write("c.yaml", "waits: false\n"), from_file);
    CHECK_FALSE(from_file.waits.enabled);
    auto r = test::Run({test::Binary("capstan-postrender"), "--no-checksum"},
                       [&] {
                         test::ProcessOptions o;
                         o.stdin_data = kRelease;
                         o.env = {{"CAPSTAN_WAITS", "false"}};
                         return o;
                       }());
    CHECK(r.exit_code == 0);
    CHECK(r.out == kRelease);
    CHECK_THAT(r.err, Catch::Contains("[wait-ignored]"));
  }
}
