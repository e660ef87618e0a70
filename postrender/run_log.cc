#include "postrender/run_log.h"

#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <filesystem>

#include "log/log.h"
#include "log/terminal.h"
#include "postrender/config.h"
#include "util/error.h"
#include "util/redact.h"
#include "util/strings.h"

namespace capstan::postrender {

namespace {

constexpr const char* kProgram = "capstan-postrender";

std::string Env(const Getenv& getenv, const char* name) {
  const char* v = getenv(name);
  return v ? v : "";
}

// The run whose failures std::terminate reports (one per process).
RunLog* g_terminate_log = nullptr;

[[noreturn]] void OnTerminate() {
  std::string what = "an unknown exception";
  if (std::exception_ptr e = std::current_exception()) {
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& x) {
      what = x.what();
    } catch (...) {
    }
  }
  if (RunLog* run = g_terminate_log) {
    g_terminate_log = nullptr;  // a failure while reporting must not recurse
    try {
      run->Fail("internal error: " + what + " (please report this as a bug)", kExitFailed);
    } catch (...) {
    }
  }
  std::abort();
}

}  // namespace

std::string DefaultLogPath(const Getenv& getenv) {
  std::string state = Env(getenv, "XDG_STATE_HOME");
  if (StartsWith(state, "/")) return state + "/capstan/postrender.log";
  std::string home = Env(getenv, "HOME");
  if (home.empty()) return "";
  while (home.size() > 1 && home.back() == '/') home.pop_back();
  return (home == "/" ? "" : home) + "/.local/state/capstan/postrender.log";
}

bool IsHelm4Plugin(const Getenv& getenv, const std::string& executable) {
  std::string dir = Env(getenv, "HELM_PLUGIN_DIR");
  if (dir.empty()) return false;
  std::error_code ec;
  std::filesystem::path plugin = std::filesystem::canonical(dir, ec);
  if (ec) return false;
  std::filesystem::path exe = std::filesystem::canonical(executable, ec);
  if (ec) return false;
  std::string p = plugin.string(), x = exe.string();
  if (p.back() != '/') p += '/';
  return StartsWith(x, p);
}

RunLog::RunLog(int argc, char** argv, const cli::CommonOptions& common, Getenv getenv)
    : argc_(argc), argv_(argv), common_(common), getenv_(std::move(getenv)) {}

std::string RunLog::Path() const {
  if (std::string flag = FlagValue(argc_, argv_, "--log-file"); !flag.empty()) return flag;
  if (std::string env = Env(getenv_, "CAPSTAN_LOG_FILE"); !env.empty()) return env;
  if (!common_.log_file.empty()) return common_.log_file;
  return DefaultLogPath(getenv_);
}

void RunLog::Configure() {
  configured_ = true;
  log::Options lo;
  std::string format = FlagValue(argc_, argv_, "--log-format");
  if (format.empty()) format = Env(getenv_, "CAPSTAN_LOG_FORMAT");
  if (format.empty()) format = common_.log_format;
  lo.format = format == "json" ? log::Format::kJson : format == "text" ? log::Format::kText : log::DefaultFormat();
  lo.level = common_.quiet ? log::Level::kWarn : (common_.verbose > 0 ? log::Level::kDebug : log::Level::kInfo);
  lo.color = lo.format == log::Format::kText && ::isatty(2) && !getenv_("NO_COLOR");
  lo.file = Path();
  bool named = lo.file != DefaultLogPath(getenv_);
  lo.file_tag = kProgram;
  lo.file_max_bytes = kLogMaxBytes;
  lo.file_make_dirs = !named;  // the default's directories (~/.local/state/capstan) may not exist yet
  lo.file_optional = true;
  try {
    log::Configure(lo);
  } catch (...) {
    return;  // file_optional: only a failure to allocate could get here; stderr still works
  }
  if (named && !lo.file.empty() && !log::FileOpen())
    log::Warn("cannot write the log file: " + log::FileError() + "; logging to stderr only");
}

std::string RunLog::TerminalLine(const std::string& message) const {
  std::string where;
  if (log::FileOpen()) {
    where = "log: " + Path();
  } else {
    std::string why = log::FileError();
    where = Path().empty() ? "no log file: set HOME or --log-file" : "log not written: " + why;
  }
  return std::string(kProgram) + ": error: " + RedactSecrets(message) + " (" + where + ")\n";
}

void RunLog::ToTerminal(const std::string& message) const {
  if (IsHelm4Plugin(getenv_)) log::WriteToTerminal(TerminalLine(message));
}

int RunLog::Fail(const std::string& message, int exit_code) {
  if (!configured_) Configure();
  log::Error(message);
  ToTerminal(message);
  return exit_code;
}

void RunLog::OnFailure(const std::string& message) {
  if (!configured_) {
    Configure();
    log::WriteFile(log::Level::kError, message);
  }
  ToTerminal(message);
}

void RunLog::Note(const std::string& message) {
  if (!configured_) Configure();
  log::WriteFile(log::Level::kError, message);
  ToTerminal(message);
}

void RunLog::InstallTerminateHandler() {
  g_terminate_log = this;
  std::set_terminate(OnTerminate);
}

}  // namespace capstan::postrender
