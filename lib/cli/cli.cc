#include "cli/cli.h"

#include <algorithm>

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <sstream>

#include "capstan_version.h"
#include "log/log.h"
#include "util/error.h"
#include "util/redact.h"
#include "util/strings.h"
#include "util/suggest.h"

namespace capstan::cli {

void AddCommonFlags(CLI::App& app, CommonOptions& options) {
  app.add_option("--log-format", options.log_format, "Log format: text or json (default: json in a pod, else text)")
      ->envname("CAPSTAN_LOG_FORMAT")
      ->check(CLI::IsMember({"text", "json"}));
  app.add_option("--log-file", options.log_file, "Also append logs to this file")->envname("CAPSTAN_LOG_FILE");
  app.add_flag("-v,--verbose", options.verbose, "More detail in logs (repeat for debug)");
  app.add_flag("-q,--quiet", options.quiet, "Only warnings and errors in logs");
}

void ApplyCommonFlags(const CommonOptions& options) {
  log::Options lo;
  lo.format = options.log_format.empty() ? log::DefaultFormat() : log::ParseFormat(options.log_format);
  lo.level = options.quiet ? log::Level::kWarn : (options.verbose > 0 ? log::Level::kDebug : log::Level::kInfo);
  lo.file = options.log_file;
  lo.color = lo.format == log::Format::kText && ::isatty(2) && std::getenv("NO_COLOR") == nullptr;
  log::Configure(lo);
}

std::string VersionString(const std::string& binary) {
  return binary + " " + CAPSTAN_VERSION + " (commit " + CAPSTAN_GIT_COMMIT + ", built " + CAPSTAN_BUILD_DATE + ")";
}

namespace {

// The command line of an app: "capstan values lint".
std::string CommandPath(const CLI::App* app) {
  std::string path;
  for (const CLI::App* a = app; a; a = a->get_parent()) path = a->get_name() + (path.empty() ? "" : " " + path);
  return path;
}

}  // namespace

// The first word of args that is not a flag or a top-level flag's value: where the top-level command must be.
std::string FirstWord(const CLI::App& app, const std::vector<std::string>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") return "";
    if (!StartsWith(a, "-") || a.size() == 1) return a;
    if (a.find('=') != std::string::npos || StartsWith(a, "--") == false) continue;
    for (const CLI::Option* o : app.get_options())
      if (o->check_lname(a.substr(2)) && o->get_expected_min() > 0) ++i;  // its value
  }
  return "";
}

std::string ExplainParseError(CLI::App& app, const CLI::ParseError& error, const std::vector<std::string>& args) {
  bool extras = dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr;
  bool missing_subcommand = dynamic_cast<const CLI::RequiredError*>(&error) != nullptr;
  if (!extras && !missing_subcommand) return "";
  // The word where the top-level command must be is not one: a later word may have selected a command of its own.
  std::string first = FirstWord(app, args);
  std::vector<std::string> top;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* s) { return !s->get_name().empty(); }))
    top.push_back(sub->get_name());
  if (!first.empty() && !top.empty() && std::find(top.begin(), top.end(), first) == top.end()) {
    std::string best = SuggestClosest(first, top);
    return "unknown command " + Quote(first) + " for " + CommandPath(&app) +
           (best.empty() ? "" : " (did you mean " + Quote(best) + "?)") + "; commands: " + Join(top, ", ");
  }
  // The deepest subcommand the user selected; flags of its parents count too (fallthrough).
  CLI::App* cur = &app;
  while (true) {
    auto subs = cur->get_subcommands();
    if (subs.empty()) break;
    cur = subs.front();
  }
  std::vector<std::string> left = app.remaining(true);
  for (const auto& arg : left) {
    if (arg == "--") break;
    if (StartsWith(arg, "-") && arg.size() > 1) {
      std::string flag = arg.substr(0, arg.find('='));
      std::vector<std::string> known;
      for (const CLI::App* a = cur; a; a = a->get_parent())
        for (const CLI::Option* o : a->get_options()) {
          for (const auto& n : o->get_lnames()) known.push_back("--" + n);
          for (const auto& n : o->get_snames()) known.push_back("-" + n);
        }
      std::string best = SuggestClosest(flag, known);
      return "unknown flag " + flag + (best.empty() ? "" : " (did you mean " + best + "?)") + "; run '" +
             CommandPath(cur) + " --help' for its flags";
    }
  }
  // A word where a subcommand was expected.
  std::vector<std::string> commands;
  const CLI::App* ccur = cur;
  for (const CLI::App* sub : ccur->get_subcommands([](const CLI::App* a) { return !a->get_name().empty(); }))
    commands.push_back(sub->get_name());
  if (commands.empty() || left.empty() || !cur->get_subcommands().empty()) return "";
  if (missing_subcommand && cur->get_require_subcommand_min() == 0) return "";
  std::string word = left.front();
  std::string best = SuggestClosest(word, commands);
  return "unknown command " + Quote(word) + " for " + CommandPath(cur) +
         (best.empty() ? "" : " (did you mean " + Quote(best) + "?)") + "; commands: " + Join(commands, ", ");
}

namespace {

// The message as a failure hook gets it: redacted, its lines joined ("...\nRun with --help" -> "...; Run with").
std::string OneLine(std::string_view message) {
  std::string out;
  for (const auto& line : Split(Trim(RedactSecrets(message)), '\n', true)) {
    std::string_view t = Trim(line);
    if (t.empty()) continue;
    if (!out.empty()) out += "; ";
    out += t;
  }
  return out;
}

}  // namespace

int RunMain(CLI::App& app, int argc, char** argv, const std::function<int()>& body, const FailureHook& on_failure) {
  auto fail = [&](const std::string& message, int code) {
    if (on_failure) on_failure(OneLine(message));
    return code;
  };
  auto log_error = [&](const std::string& message, int code) {
    log::Error(message);
    return fail(message, code);
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e) == 0 ? 0 : 0;
  } catch (const CLI::CallForAllHelp& e) {
    app.exit(e);
    return 0;
  } catch (const CLI::CallForVersion& e) {
    app.exit(e);
    return 0;
  } catch (const CLI::ParseError& e) {
    // CLI11 quotes the offending argument, which may be a URL with a password: redact before printing.
    std::string explained = ExplainParseError(app, e, std::vector<std::string>(argv + 1, argv + argc));
    if (explained.empty()) {
      std::ostringstream out, err;
      app.exit(e, out, err);
      std::cout << RedactSecrets(out.str()) << std::flush;
      std::cerr << RedactSecrets(err.str()) << std::flush;
      return fail(err.str().empty() ? e.what() : err.str(), kExitUsage);
    }
    std::cerr << "error: " << RedactSecrets(explained) << "\n";
    return fail(explained, kExitUsage);
  } catch (const Error& e) {
    return log_error(e.what(), e.exit_code());
  }
  try {
    return body();
  } catch (const Error& e) {
    return log_error(e.what(), e.exit_code());
  } catch (const std::bad_alloc&) {
    return log_error("out of memory", kExitPrecondition);
  } catch (const std::exception& e) {
    return log_error(std::string("internal error: ") + e.what() + " (please report this as a bug)", kExitFailed);
  }
}

}  // namespace capstan::cli
