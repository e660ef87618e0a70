// The shell completion scripts made from a CLI11 app (what `capstan completion bash|zsh|fish` prints).
#include "cli/completion.h"

#include <catch2/catch.hpp>

#include "util/error.h"

using namespace capstan;

namespace {

struct Tool {
  CLI::App app{"tool", "tool"};
  std::string level, out;
  bool force = false;
  Tool() {
    app.add_option("--level", level, "Log level\nsecond line");
    auto* values = app.add_subcommand("values", "Values commands");
    values->add_subcommand("lint", "Lint values")->add_flag("-f,--force", force, "Force it");
    values->add_option("--out", out, "Output")->group("");  // hidden
    app.add_subcommand("secret", "hidden")->group("");
    app.add_option("file", out, "A positional");
  }
};

}  // namespace

TEST_CASE("completion scripts list each level's subcommands and flags, without hidden ones or positionals") {
  Tool t;
  std::string bash = cli::CompletionScript(t.app, "tool", "bash");
  CHECK_THAT(bash, Catch::Contains("    \"\") words='values --help -h --level' ;;\n"));
  CHECK_THAT(bash, Catch::Contains("    \" values\") words='lint --help -h' ;;\n"));
  CHECK_THAT(bash, Catch::Contains("    \" values lint\") words='--help -h --force -f' ;;\n"));
  CHECK_THAT(bash, Catch::Contains("      \" values\"|\" values lint\") cpath="));
  CHECK_THAT(bash, Catch::EndsWith("complete -o default -F _tool tool\n"));
  CHECK(bash.find("secret") == std::string::npos);
  CHECK(bash.find("--out") == std::string::npos);
  CHECK(bash.find("file") == std::string::npos);

  std::string zsh = cli::CompletionScript(t.app, "tool", "zsh");
  CHECK_THAT(zsh, Catch::StartsWith("#compdef tool\n"));
  CHECK_THAT(zsh, Catch::Contains("'--level:Log level'"));  // first line of the description only
  std::string fish = cli::CompletionScript(t.app, "tool", "fish");
  CHECK_THAT(fish,
             Catch::Contains("complete -c tool -n 'test (__tool_path) = \"root values lint\"' -s 'f' -d 'Force it'\n"));
  CHECK_THAT(fish, Catch::Contains("-a 'values' -d 'Values commands'\n"));

  CHECK_THROWS_AS(cli::CompletionScript(t.app, "tool", "tcsh"), UsageError);
}

TEST_CASE("a description with a quote stays one shell word") {
  CLI::App app{"x", "x"};
  app.add_subcommand("it", "it's here");
  CHECK_THAT(cli::CompletionScript(app, "x", "fish"), Catch::Contains("-d 'it'\\''s here'"));
}
