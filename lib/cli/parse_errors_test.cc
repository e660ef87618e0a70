// ExplainParseError: unknown flags and subcommands get a did-you-mean naming the command; other parse errors
// keep CLI11's message.
#include <catch2/catch.hpp>

#include "cli/cli.h"

using capstan::cli::ExplainParseError;

namespace {

// A command line shaped like capstan's: capstan values lint CHART -f FILE, capstan migrate plan.
struct Tool {
  CLI::App app{"test", "capstan"};
  std::string chart, values, dir;
  Tool() {
    app.require_subcommand(1);
    app.fallthrough();
    app.add_option("--log-format", dir, "log format");
    CLI::App* v = app.add_subcommand("values", "values");
    v->require_subcommand(1);
    v->fallthrough();
    CLI::App* lint = v->add_subcommand("lint", "lint");
    lint->fallthrough();
    lint->add_option("chart", chart, "chart")->required();
    lint->add_option("-f,--values", values, "values file");
    CLI::App* m = app.add_subcommand("migrate", "migrate");
    m->require_subcommand(1);
    m->add_subcommand("plan", "plan");
  }
  // With a top-level `plan` too (capstan plan OLD NEW), so `capstan migrat plan` selects it and leaves 'migrat' over.
  explicit Tool(bool top_level_plan) : Tool() {
    if (!top_level_plan) return;
    CLI::App* p = app.add_subcommand("plan", "plan");
    p->add_option("old", chart, "old")->required();
  }
  // The explanation of the parse error of argv ("" when it parses or CLI11 keeps its own message).
  std::string Explain(std::vector<std::string> args) {
    const std::vector<std::string> typed = args;
    std::reverse(args.begin(), args.end());  // CLI11 takes the arguments reversed
    try {
      app.parse(args);
    } catch (const CLI::ParseError& e) {
      return ExplainParseError(app, e, typed);
    }
    return "parsed";
  }
};

}  // namespace

TEST_CASE("cli: an unknown flag names the closest flag of the subcommand and its parents") {
  CHECK(Tool().Explain({"values", "lint", "chart", "--vaules", "x"}) ==
        "unknown flag --vaules (did you mean --values?); run 'capstan values lint --help' for its flags");
  CHECK(Tool().Explain({"values", "lint", "chart", "--log-formt=json"}) ==
        "unknown flag --log-formt (did you mean --log-format?); run 'capstan values lint --help' for its flags");
  CHECK(Tool().Explain({"values", "lint", "chart", "--nothing-like-it"}) ==
        "unknown flag --nothing-like-it; run 'capstan values lint --help' for its flags");
}

TEST_CASE("cli: an unknown subcommand names the closest command") {
  CHECK(Tool().Explain({"migrat", "plan"}) ==
        "unknown command 'migrat' for capstan (did you mean 'migrate'?); commands: values, migrate");
  CHECK(Tool().Explain({"values", "lnit", "chart"}) ==
        "unknown command 'lnit' for capstan values (did you mean 'lint'?); commands: lint");
  CHECK(Tool().Explain({"frobnicate"}) == "unknown command 'frobnicate' for capstan; commands: values, migrate");
  // A typo followed by a word that is a command of its own: the typo is what the user meant to fix.
  CHECK(Tool(true).Explain({"migrat", "plan"}) ==
        "unknown command 'migrat' for capstan (did you mean 'migrate'?); commands: values, migrate, plan");
  CHECK(Tool(true).Explain({"--log-format", "json", "migrat", "plan"}) ==
        "unknown command 'migrat' for capstan (did you mean 'migrate'?); commands: values, migrate, plan");
  CHECK(Tool(true).Explain({"plan"}).empty());  // plan's own OLD is missing: CLI11 says so
  CHECK(Tool(true).Explain({"plan", "a", "b"}).find("unknown command") == std::string::npos);  // an extra argument
}

TEST_CASE("cli: other parse errors keep CLI11's message") {
  CHECK(Tool().Explain({"values", "lint", "chart", "-f", "x"}) == "parsed");
  CHECK(Tool().Explain({"values", "lint"}).empty());  // the chart is missing: CLI11 says so
  CHECK(Tool().Explain({}).empty());                   // no subcommand at all
}
