#include "log/log.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "log/log_file.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/redact.h"
#include "util/strings.h"

namespace capstan::log {

namespace {
std::mutex g_mu;
Options g_options{};
// Never destroyed: a line logged while the process exits (another static's destructor, the terminate handler) still
// finds it.
LogFile& g_file = *new LogFile;
std::string& g_status = *new std::string;  // the status line on stderr (SetStatusLine)
constexpr const char* kEraseLine = "\r\x1b[K";

const char* LevelName(Level l) {
  switch (l) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
    case Level::kOff: return "off";
  }
  return "info";
}

std::string Timestamp() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

bool NeedsQuotes(std::string_view v) {
  if (v.empty()) return true;
  for (unsigned char c : v)
    if (c <= ' ' || c == '"' || c == '=' || c == 0x7f) return true;
  return false;
}
}  // namespace

Field::Field(std::string k, double v) : key(std::move(k)), raw(true) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  value = buf;
}

Format DefaultFormat() { return std::getenv("KUBERNETES_SERVICE_HOST") ? Format::kJson : Format::kText; }

Format ParseFormat(std::string_view s) {
  if (s == "text") return Format::kText;
  if (s == "json") return Format::kJson;
  throw UsageError("invalid --log-format " + Quote(s) + ": use text or json");
}

void Configure(const Options& options) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_options = options;
  g_file.Close();
  if (!options.file.empty()) {
    LogFile::Options fo;
    fo.path = options.file;
    fo.max_bytes = options.file_max_bytes;
    fo.make_dirs = options.file_make_dirs;
    if (!g_file.Open(fo) && !options.file_optional)
      throw UsageError("cannot open --log-file " + options.file + " for appending (" + g_file.error() + ")");
  }
}

bool FileOpen() {
  std::lock_guard<std::mutex> lock(g_mu);
  return g_file.is_open();
}

std::string FileError() {
  std::lock_guard<std::mutex> lock(g_mu);
  return g_file.error();
}

const Options& Current() { return g_options; }

bool Enabled(Level level) { return level >= g_options.level && g_options.level != Level::kOff; }

std::string FormatLine(Format format, Level level, std::string_view raw_msg, const Fields& raw_fields, bool color) {
  // Every line passes here: credentials in a message or a field (a URL with a password, a token a server echoed)
  // never reach stderr or the --log-file.
  const std::string msg = RedactSecrets(raw_msg);
  Fields fields = raw_fields;
  for (auto& f : fields)
    if (!f.raw) f.value = RedactSecrets(f.value);
  if (format == Format::kJson) {
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    w.StartObject();
    w.Key("time");
    std::string ts = Timestamp();
    w.String(ts.c_str(), static_cast<rapidjson::SizeType>(ts.size()));
    w.Key("level");
    w.String(LevelName(level));
    w.Key("msg");
    w.String(msg.data(), static_cast<rapidjson::SizeType>(msg.size()));
    for (const auto& f : fields) {
      w.Key(f.key.c_str(), static_cast<rapidjson::SizeType>(f.key.size()));
      if (f.raw) w.RawValue(f.value.c_str(), f.value.size(), rapidjson::kNumberType);
      else w.String(f.value.c_str(), static_cast<rapidjson::SizeType>(f.value.size()));
    }
    w.EndObject();
    return std::string(sb.GetString(), sb.GetSize()) + "\n";
  }
  std::string line;
  const char* tag = "";
  const char* on = "";
  const char* off = color ? "\x1b[0m" : "";
  switch (level) {
    case Level::kError: tag = "error: "; on = "\x1b[31m"; break;
    case Level::kWarn: tag = "warning: "; on = "\x1b[33m"; break;
    case Level::kDebug: tag = "debug: "; on = "\x1b[2m"; break;
    default: break;
  }
  if (color && *tag) line += on;
  line += tag;
  if (color && *tag) line += off;
  line += msg;
  for (const auto& f : fields) {
    line += ' ';
    line += f.key;
    line += '=';
    line += (!f.raw && NeedsQuotes(f.value)) ? Quote(f.value) : f.value;
  }
  line += '\n';
  return line;
}

std::string FormatFileLine(Format format, Level level, std::string_view msg, const Fields& fields,
                           std::string_view tag, long pid) {
  if (format == Format::kJson) {
    Fields tagged = fields;
    tagged.emplace_back("program", tag);
    tagged.emplace_back("pid", pid);
    return FormatLine(format, level, msg, tagged, false);
  }
  return Timestamp() + " " + std::string(tag) + "[" + std::to_string(pid) + "]: " +
         FormatLine(format, level, msg, fields, false);
}

namespace {
// The file's form of a line; called with g_mu held.
void WriteFileLocked(Level level, std::string_view msg, const Fields& fields, const std::string& stderr_line) {
  if (!g_file.is_open()) return;
  if (!g_options.file_tag.empty())
    g_file.Append(FormatFileLine(g_options.format, level, msg, fields, g_options.file_tag, ::getpid()));
  else if (g_options.color || stderr_line.empty())
    g_file.Append(FormatLine(g_options.format, level, msg, fields, false));
  else
    g_file.Append(stderr_line);
}
}  // namespace

void Write(Level level, std::string_view msg, const Fields& fields) {
  if (!Enabled(level)) return;
  std::string line = FormatLine(g_options.format, level, msg, fields, g_options.color);
  std::lock_guard<std::mutex> lock(g_mu);
  try {
    WriteAll(2, g_status.empty() ? line : kEraseLine + line + g_status);
  } catch (...) {
  }
  WriteFileLocked(level, msg, fields, line);
}

void SetStatusLine(std::string_view text) {
  std::lock_guard<std::mutex> lock(g_mu);
  if (text.empty() && g_status.empty()) return;
  g_status = text;
  try {
    WriteAll(2, kEraseLine + g_status);
  } catch (...) {
  }
}

void WriteFile(Level level, std::string_view msg, const Fields& fields) {
  if (!Enabled(level)) return;
  std::lock_guard<std::mutex> lock(g_mu);
  WriteFileLocked(level, msg, fields, "");
}

}  // namespace capstan::log
