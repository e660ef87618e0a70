#include "cli/cli.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <sstream>

#include "capstan_version.h"
#include "log/log.h"
#include "util/error.h"
#include "util/redact.h"

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
  return binary + " " + CAPSTAN_VERSION + " (commit " + CAPSTAN_GIT_COMMIT + ")";
}

int RunMain(CLI::App& app, int argc, char** argv, const std::function<int()>& body) {
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
    std::ostringstream out, err;
    app.exit(e, out, err);
    std::cout << RedactSecrets(out.str()) << std::flush;
    std::cerr << RedactSecrets(err.str()) << std::flush;
    return kExitUsage;
  } catch (const Error& e) {
    log::Error(e.what());
    return e.exit_code();
  }
  try {
    return body();
  } catch (const Error& e) {
    log::Error(e.what());
    return e.exit_code();
  } catch (const std::bad_alloc&) {
    log::Error("out of memory");
    return kExitPrecondition;
  } catch (const std::exception& e) {
    log::Error(std::string("internal error: ") + e.what() + " (please report this as a bug)");
    return kExitFailed;
  }
}

}  // namespace capstan::cli
