// BuildContainer: every injected container has the same key order, the restricted securityContext unless one is
// given, and omits what is empty.
#include <catch2/catch.hpp>

#include "postrender/kit/injected_container.h"
#include "yaml/tree.h"

using namespace capstan;

namespace {

std::string Render(const yaml::Snippet& s) { return s.RenderBlock(0, "\n"); }

}  // namespace

TEST_CASE("injected container: keys in order, restricted securityContext by default") {
  postrender::InjectedContainer c;
  c.name = "capstan-wait";
  c.image = "capstan:1";
  c.args = {"wait", "tcp://db:5432"};
  c.resources.memory_limit = "64Mi";
  c.volume_mounts = yaml::Snippet::List().Push(
      yaml::Snippet::Map().Set("name", yaml::Snippet::String("v")).Set("mountPath", yaml::Snippet::String("/v")));
  CHECK(Render(postrender::BuildContainer(c)) ==
        "name: \"capstan-wait\"\n"
        "image: \"capstan:1\"\n"
        "args:\n"
        "  - \"wait\"\n"
        "  - \"tcp://db:5432\"\n"
        "resources:\n"
        "  requests:\n"
        "    cpu: \"10m\"\n"
        "    memory: \"16Mi\"\n"
        "  limits:\n"
        "    memory: \"64Mi\"\n"
        "volumeMounts:\n"
        "  - name: \"v\"\n"
        "    mountPath: \"/v\"\n"
        "securityContext:\n"
        "  allowPrivilegeEscalation: false\n"
        "  readOnlyRootFilesystem: true\n"
        "  runAsNonRoot: true\n"
        "  capabilities:\n"
        "    drop:\n"
        "      - \"ALL\"\n"
        "  seccompProfile:\n"
        "    type: \"RuntimeDefault\"\n");
}

TEST_CASE("injected container: the restricted securityContext satisfies every restricted Pod Security rule") {
  yaml::Tree t = yaml::Tree::Parse(postrender::RestrictedSecurityContext().RenderBlock(0, "\n"));
  yaml::Node sc = t.root();
  CHECK(sc.Get("runAsNonRoot").scalar() == "true");
  CHECK(sc.Get("readOnlyRootFilesystem").scalar() == "true");
  CHECK(sc.Get("allowPrivilegeEscalation").scalar() == "false");
  REQUIRE(sc.Get("capabilities").Get("drop").Items().size() == 1);
  CHECK(sc.Get("capabilities").Get("drop").At(0).scalar() == "ALL");
  CHECK(sc.Get("seccompProfile").Get("type").scalar() == "RuntimeDefault");
}

TEST_CASE("injected container: env and mounts omitted when empty, a given securityContext replaces the default") {
  postrender::InjectedContainer c;
  c.name = "x";
  c.image = "i";
  c.env = yaml::Snippet::List();
  c.resources = {"", "", ""};
  c.security_context = yaml::Snippet::Map().Set("runAsUser", yaml::Snippet::Int(1000));
  CHECK(Render(postrender::BuildContainer(c)) ==
        "name: \"x\"\nimage: \"i\"\nargs: []\nsecurityContext:\n  runAsUser: 1000\n");
}
