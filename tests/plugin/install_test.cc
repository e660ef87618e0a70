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
  SECTION("zsh: the candidates _describe gets at each level (zsh and fish come from scripts/setup.sh)") {
    std::string zsh = p + "/share/zsh/site-functions/_capstan";
    CHECK_THAT(test::Slurp(zsh), Catch::StartsWith("#compdef capstan\n"));
    auto at = [&](const std::string& words, int current) {
      // _describe and _files stubbed: the script's own part is choosing the candidates for the words typed.
      std::string script = "words=(" + words + "); CURRENT=" + std::to_string(current) +
                           "; _describe() { print -l -- ${(P)4}; }; _files() { }; source " + zsh;
      auto r = test::Run({"zsh", "-f", "-c", script});
      INFO(r.err);
      CHECK(r.exit_code == 0);
      return r.out;
    };
    CHECK_THAT(at("capstan val", 2), Catch::Contains("\nvalues:"));
    CHECK_THAT(at("capstan values li", 3), Catch::Contains("\nlint:Lint values"));
    CHECK_THAT(at("capstan values lint --sch", 4), Catch::Contains("\n--schema:"));
  }
  SECTION("fish: complete -C completes subcommands and flags") {
    std::string fish = p + "/share/fish/vendor_completions.d/capstan.fish";
    auto complete = [&](const std::string& line) {
      test::TempDir fish_home;
      test::ProcessOptions o;
      o.env = {{"HOME", fish_home.path()}, {"XDG_CONFIG_HOME", fish_home.path()},
               {"XDG_DATA_HOME", fish_home.path()}};
      auto r = test::Run({"fish", "--no-config", "-c", "source " + fish + "; complete -C'" + line + "'"}, o);
      INFO(r.err);
      CHECK(r.exit_code == 0);
      return r.out;
    };
    CHECK_THAT(complete("capstan val"), Catch::StartsWith("values\t"));
    CHECK_THAT(complete("capstan values li"), Catch::StartsWith("lint\t"));
    CHECK_THAT(complete("capstan values lint --sch"), Catch::StartsWith("--schema\t"));
    CHECK_THAT(complete("capstan --log-format json migrate pl"), Catch::StartsWith("plan\t"));
  }
  SECTION("an unknown shell is a usage error") {
    auto bad = test::Run({p + "/bin/capstan", "completion", "tcsh"});
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.err, Catch::Contains("bash, zsh or fish"));
  }
}
