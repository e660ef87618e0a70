// Logging for every Capstan command: readable text on a terminal, JSON lines in a pod (--log-format json),
// optionally mirrored to a file (--log-file; log_file.h: created 0600, optionally stamped with the time, program and
// pid and rotated at a size limit, as capstan-postrender's default log is). Logs go to stderr;
// stdout carries only a command's result. Never pass a secret value as a message or field; as a second line of
// defence every message and field value is passed through RedactSecrets() (util/redact.h) before it is written.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace capstan::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3, kOff = 4 };
enum class Format { kText, kJson };

// One key/value attached to a log line. Numbers and booleans are written unquoted in JSON.
struct Field {
  Field(std::string k, std::string v) : key(std::move(k)), value(std::move(v)) {}
  Field(std::string k, const char* v) : key(std::move(k)), value(v) {}
  Field(std::string k, std::string_view v) : key(std::move(k)), value(v) {}
  Field(std::string k, long long v) : key(std::move(k)), value(std::to_string(v)), raw(true) {}
  Field(std::string k, int v) : key(std::move(k)), value(std::to_string(v)), raw(true) {}
  Field(std::string k, unsigned long v) : key(std::move(k)), value(std::to_string(v)), raw(true) {}
  Field(std::string k, unsigned long long v) : key(std::move(k)), value(std::to_string(v)), raw(true) {}
  Field(std::string k, unsigned v) : key(std::move(k)), value(std::to_string(v)), raw(true) {}
  Field(std::string k, long v) : key(std::move(k)), value(std::to_string(v)), raw(true) {}
  Field(std::string k, double v);
  Field(std::string k, bool v) : key(std::move(k)), value(v ? "true" : "false"), raw(true) {}
  std::string key;
  std::string value;
  bool raw = false;
};
using Fields = std::vector<Field>;

struct Options {
  Format format = Format::kText;
  Level level = Level::kInfo;
  std::string file;   // also append every line here (created 0600 if missing)
  bool color = false; // colour levels in text format
  // For a file that gathers the lines of many runs (capstan-postrender's): each file line then starts with the
  // time and "TAG[PID]: " in text ("2026-12-07T03:18:47.123Z capstan-postrender[4242]: error: ..."), or carries
  // "program" and "pid" fields in JSON. Empty: file lines are the stderr lines.
  std::string file_tag;
  std::uint64_t file_max_bytes = 0;  // non-zero: rotate the file to FILE.1 when a line would take it past this
  bool file_make_dirs = false;       // create the file's missing directories (0700)
  bool file_optional = false;        // a file that cannot be opened is skipped (FileError() says why), not an error
};

// Picks the default format: json inside a pod (KUBERNETES_SERVICE_HOST set), text otherwise.
Format DefaultFormat();
Format ParseFormat(std::string_view s);  // "text" | "json"; throws UsageError
// Applies options; opens the file (throws UsageError when it cannot be opened, unless file_optional).
void Configure(const Options& options);
const Options& Current();
bool Enabled(Level level);

void Write(Level level, std::string_view msg, const Fields& fields = {});
inline void Debug(std::string_view msg, const Fields& fields = {}) { Write(Level::kDebug, msg, fields); }
inline void Info(std::string_view msg, const Fields& fields = {}) { Write(Level::kInfo, msg, fields); }
inline void Warn(std::string_view msg, const Fields& fields = {}) { Write(Level::kWarn, msg, fields); }
inline void Error(std::string_view msg, const Fields& fields = {}) { Write(Level::kError, msg, fields); }

// A status line (the progress of a long backup or restore) kept below the log lines on stderr: drawn in place with
// "\r" and erased ("\r" + ESC[K) before each log line, then drawn again after it, so that a log line never lands in
// the middle of it. Only for a terminal in text format (the caller decides); never written to the log file.
// Empty text erases it.
void SetStatusLine(std::string_view text);

// Writes a line to the log file only (for a message already shown on stderr some other way); no-op without one.
void WriteFile(Level level, std::string_view msg, const Fields& fields = {});
// Whether lines are being mirrored to a file, and why the file could not be opened or written ("" otherwise).
bool FileOpen();
std::string FileError();

// Formats one line without writing it (used by tests and by Write).
std::string FormatLine(Format format, Level level, std::string_view msg, const Fields& fields, bool color);
// A line of a file with a tag (Options::file_tag): as FormatLine without colour, stamped as described there.
std::string FormatFileLine(Format format, Level level, std::string_view msg, const Fields& fields,
                           std::string_view tag, long pid);

}  // namespace capstan::log
