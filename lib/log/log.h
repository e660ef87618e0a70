// Logging for every Capstan command: readable text on a terminal, JSON lines in a pod (--log-format json),
// optionally mirrored to a file (--log-file; Helm 4 discards a post-renderer's stderr). Logs go to stderr;
// stdout carries only a command's result. Never pass a secret value as a message or field; as a second line of
// defence every message and field value is passed through RedactSecrets() (util/redact.h) before it is written.
#pragma once
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
  std::string file;   // also append every line here (created if missing)
  bool color = false; // colour levels in text format
};

// Picks the default format: json inside a pod (KUBERNETES_SERVICE_HOST set), text otherwise.
Format DefaultFormat();
Format ParseFormat(std::string_view s);  // "text" | "json"; throws UsageError
void Configure(const Options& options);
const Options& Current();
bool Enabled(Level level);

void Write(Level level, std::string_view msg, const Fields& fields = {});
inline void Debug(std::string_view msg, const Fields& fields = {}) { Write(Level::kDebug, msg, fields); }
inline void Info(std::string_view msg, const Fields& fields = {}) { Write(Level::kInfo, msg, fields); }
inline void Warn(std::string_view msg, const Fields& fields = {}) { Write(Level::kWarn, msg, fields); }
inline void Error(std::string_view msg, const Fields& fields = {}) { Write(Level::kError, msg, fields); }

// Formats one line without writing it (used by tests and by Write).
std::string FormatLine(Format format, Level level, std::string_view msg, const Fields& fields, bool color);

}  // namespace capstan::log
