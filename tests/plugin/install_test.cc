// `cmake --install`: binaries, the Helm plugin folder, the docs and the shell completions where a packager expects
// them (GNUInstallDirs under the prefix); the installed binaries run and the bash completion completes.
#include <catch2/catch.hpp>

#include <filesystem>

#include "capstan_version.h"
#include "support/test_support.h"

using namespace capstan;
namespace fs = std::filesystem;

namespace {

std::string InstallTo(const test::TempDir& prefix) {
  auto r = test::Run({CAPSTAN_CMAKE_COMMAND, "--install", test::BinaryDir(), "--prefix", prefix.path()});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  return prefix.path();
}

}  // namespace

TEST_CASE("cmake --install lays out binaries, the helm plugin folder, docs and completions") {
  test::TempDir prefix;
  std::string p = InstallTo(prefix);
  for (const char* f : {"bin/capstan", "bin/capstan-postrender", "share/capstan/helm-plugin/capstan/plugin.yaml",
                        "share/capstan/helm-plugin/capstan/bin/capstan-postrender", "share/doc/capstan/README.md",
                        "share/doc/capstan/docs/postrender.md", "share/bash-completion/completions/capstan",
                        "share/bash-completion/completions/capstan-postrender", "share/zsh/site-functions/_capstan",
                        "share/zsh/site-functions/_capstan-postrender", "share/fish/vendor_completions.d/capstan.fish",
                        "share/fish/vendor_completions.d/capstan-postrender.fish"}) {
    INFO(f);
    CHECK(fs::is_regular_file(p + "/" + f));
  }
  for (const char* exe :
       {"bin/capstan", "bin/capstan-postrender", "share/capstan/helm-plugin/capstan/bin/capstan-postrender"}) {
    INFO(exe);
    CHECK((fs::status(p + "/" + exe).permissions() & fs::perms::owner_exec) != fs::perms::none);
  }
  // Every docs/*.md is there.
  for (const auto& e : fs::directory_iterator(test::SourceDir() + "/docs"))
    if (e.path().extension() == ".md") CHECK(fs::exists(p + "/share/doc/capstan/docs/" + e.path().filename().string()));
  CHECK(test::Slurp(p + "/share/capstan/helm-plugin/capstan/plugin.yaml") ==
        test::Slurp(test::SourceDir() + "/postrender/helm-plugin/plugin.yaml"));
  CHECK_THAT(test::Slurp(p + "/share/capstan/helm-plugin/capstan/plugin.yaml"),
             Catch::Contains(std::string("\nversion: ") + CAPSTAN_VERSION + "\n"));  // the tarball's name follows it

  for (const char* exe : {"capstan", "capstan-postrender"}) {
    auto v = test::Run({p + "/bin/" + exe, "--version"});
    INFO(v.out << v.err);
    CHECK(v.exit_code == 0);
    CHECK_THAT(v.out, Catch::Contains(CAPSTAN_VERSION));
  }
  auto pv = test::Run({p + "/share/capstan/helm-plugin/capstan/bin/capstan-postrender", "--version"});
  CHECK(pv.exit_code == 0);

  SECTION("the bash completion: registered for capstan, completes subcommands and flags") {
    std::string script =
        "source " + p + "/share/bash-completion/completions/capstan\n"
        "source " + p + "/share/bash-completion/completions/capstan-postrender\n"
        "complete -p capstan\n"
        "complete -p capstan-postrender\n"
        "COMP_WORDS=(capstan val); COMP_CWORD=1; _capstan; echo \"1:${COMPREPLY[*]}\"\n"
        "COMP_WORDS=(capstan values l); COMP_CWORD=2; _capstan; echo \"2:${COMPREPLY[*]}\"\n"
        "COMP_WORDS=(capstan --log-format json migrate pl); COMP_CWORD=4; _capstan; echo \"3:${COMPREPLY[*]}\"\n"
        "COMP_WORDS=(capstan-postrender --rel); COMP_CWORD=1; _capstan_postrender; echo \"4:${COMPREPLY[*]}\"\n";
    auto r = test::Run({"bash", "--norc", "--noprofile", "-c", script});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("complete -o default -F _capstan capstan\n"));
    CHECK_THAT(r.out, Catch::Contains("complete -o default -F _capstan_postrender capstan-postrender\n"));
    CHECK_THAT(r.out, Catch::Contains("\n1:values\n"));
    CHECK_THAT(r.out, Catch::Contains("\n2:lint\n"));
    CHECK_THAT(r.out, Catch::Contains("\n3:plan\n"));
    CHECK_THAT(r.out, Catch::Contains("\n4:--release\n"));
  }
  SECTION("zsh and fish scripts name every subcommand; an unknown shell is a usage error") {
    CHECK_THAT(test::Slurp(p + "/share/zsh/site-functions/_capstan"), Catch::StartsWith("#compdef capstan\n"));
    std::string fish = test::Slurp(p + "/share/fish/vendor_completions.d/capstan.fish");
    for (const char* sub : {"'values'", "'migrate'", "'backup'", "'wait'"}) CHECK_THAT(fish, Catch::Contains(sub));
    auto bad = test::Run({p + "/bin/capstan", "completion", "tcsh"});
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.err, Catch::Contains("bash, zsh or fish"));
  }
}
