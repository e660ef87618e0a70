#include "backup/pg_tools.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <regex>

#include "backup/streams.h"
#include "backup/cancel.h"
#include "proc/child_process.h"
#include "util/error.h"
#include "util/strings.h"

namespace capstan::backup {

namespace {

std::vector<std::string> ExtraDirs() {
  const char* pg_bin = std::getenv("PG_BIN");
  return pg_bin ? std::vector<std::string>{pg_bin} : std::vector<std::string>{};
}

std::string QuoteConnValue(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

}  // namespace

bool ParsePgToolVersion(const std::string& output, std::string& version, int& major) {
  static const std::regex re(R"(^\S+ \(PostgreSQL\) (\d+)(\.\d+)?(\.\d+)?)");
  std::smatch m;
  std::string first = output.substr(0, output.find('\n'));
  if (!std::regex_search(first, m, re)) return false;
  version = m[1].str() + m[2].str() + m[3].str();
  major = std::atoi(m[1].str().c_str());
  return major > 0;
}

PgTool ProbePgTool(const std::string& name, const std::string& explicit_path) {
  PgTool t;
  t.name = name;
  t.path = proc::FindExecutable(name, explicit_path, ExtraDirs());
  std::string flag = "--" + Split(name, '_')[0] + "-" + Split(name, '_')[1];  // --pg-dump
  if (t.path.empty()) {
    if (!explicit_path.empty()) throw UsageError(flag + " " + explicit_path + " is not an executable file");
    throw UsageError(name + " not found in PG_BIN or PATH: install the PostgreSQL client of the server's major version "
                     "(or newer), or pass " + flag + " PATH");
  }
  proc::ChildOptions o;
  o.argv = {t.path, "--version"};
  auto r = proc::RunCapture(o, 1 << 16);
  if (r.exit_code != 0 || !ParsePgToolVersion(r.out, t.version, t.major))
    throw UsageError(t.path + " --version did not print a " + name + " version (exit " + std::to_string(r.exit_code) +
                     (r.err_tail.empty() ? "" : ": " + r.err_tail) + "): pass a real " + name + " with " + flag);
  return t;
}

void CheckDumpCompatible(const PgTool& pg_dump, int server_version_num, const std::string& flag) {
  int server_major = server_version_num >= 100000 ? server_version_num / 10000 : server_version_num / 100 / 100;
  if (pg_dump.major < server_major)
    throw Error(pg_dump.name + " " + std::to_string(pg_dump.major) + " cannot dump server " + std::to_string(server_major) +
                ": use a " + pg_dump.name + " of major version >= " + std::to_string(server_major) + " (" + flag +
                " PATH); " + pg_dump.path + " is version " + pg_dump.version);
}

ChildConnection ChildConnectionFor(const pg::Settings& settings) {
  ChildConnection c;
  std::string password;
  std::string conninfo;
  auto add = [&](const std::string& k, const std::string& v) {
    if (k == "password") {
      password = v;
      return;
    }
    conninfo += (conninfo.empty() ? "" : " ") + k + "=" + QuoteConnValue(v);
  };
  for (const auto& [k, v] : pg::ConnectParams(settings)) {
    if (k == "dbname" && v == settings.url && !settings.url.empty()) {
      // The URL may carry the password: expand it here and keep the password out of argv.
      char* err = nullptr;
      PQconninfoOption* opts = PQconninfoParse(v.c_str(), &err);
      if (!opts) {
        if (err) PQfreemem(err);
        throw UsageError("invalid database URL " + pg::RedactConnInfo(v));
      }
      for (PQconninfoOption* o = opts; o->keyword; ++o)
        if (o->val && *o->val) add(o->keyword, o->val);
      PQconninfoFree(opts);
      continue;
    }
    if (k == "application_name") continue;
    add(k, v);
  }
  add("application_name", "capstan-backup");
  c.conninfo = conninfo;
  if (!password.empty()) c.env.push_back("PGPASSWORD=" + password);
  auto eff = pg::EffectiveParams(settings);
  c.dbname = eff.count("dbname") ? eff["dbname"] : "";
  c.description = pg::Describe(settings);
  return c;
}

DumpOutcome RunDump(const PgTool& pg_dump, const ChildConnection& conn, const std::string& path, int compress_level,
                    std::atomic<uint64_t>* progress) {
  proc::ChildOptions o;
  o.argv = {pg_dump.path, "--format=custom", "--compress=" + std::to_string(compress_level), "--no-password",
            "--dbname=" + conn.conninfo};
  o.set_env = conn.env;
  o.pipe_stdout = true;
  FileSink sink(path, 0600, progress);
  proc::Child child(o);
  std::unique_ptr<char[]> buf(new char[1 << 20]);
  while (true) {
    if (Cancelled()) {
      child.Kill();
      ThrowIfCancelled();
    }
    ssize_t n = ::read(child.stdout_fd(), buf.get(), 1 << 20);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error("cannot read the output of pg_dump: " + std::string(std::strerror(errno)));
    }
    if (n == 0) break;
    sink.Write(buf.get(), static_cast<size_t>(n));  // throws on a full disk; the child is killed by ~Child
  }
  child.CloseStdout();
  int rc = child.Wait();
  if (rc != 0)
    throw Error("pg_dump of " + conn.description + " failed (exit " + std::to_string(rc) + "): " +
                (child.StderrTail().empty() ? "no message" : child.StderrTail()) + "; no restore point was made");
  sink.Finish();
  if (sink.size() < 5)
    throw Error("pg_dump of " + conn.description + " wrote " + std::to_string(sink.size()) +
                " bytes: an empty dump; no restore point was made");
  {
    FileSource head(path);
    char magic[5];
    size_t got = head.Read(magic, 5);
    if (got != 5 || std::memcmp(magic, "PGDMP", 5) != 0)
      throw Error("pg_dump of " + conn.description + " did not write a custom-format archive; no restore point was made");
  }
  return {sink.size(), sink.sha256()};
}

uint64_t ListDump(const PgTool& pg_restore, const std::string& path) {
  proc::ChildOptions o;
  o.argv = {pg_restore.path, "--list", path};
  o.pipe_stdout = true;
  proc::Child child(o);
  uint64_t entries = 0;
  bool line_start = true;
  char buf[1 << 16];
  while (true) {
    ssize_t n = ::read(child.stdout_fd(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    for (ssize_t i = 0; i < n; ++i) {
      if (line_start && buf[i] != ';' && buf[i] != '\n') ++entries;
      line_start = buf[i] == '\n';
    }
  }
  child.CloseStdout();
  int rc = child.Wait();
  if (rc != 0)
    throw Error(path + ": pg_restore --list failed (exit " + std::to_string(rc) + "): " + child.StderrTail() +
                ": the dump is unreadable");
  return entries;
}

void RestoreDump(const PgTool& pg_restore, const ChildConnection& conn, const std::string& path, bool no_owner) {
  proc::ChildOptions o;
  o.argv = {pg_restore.path, "--clean", "--if-exists", "--single-transaction", "--exit-on-error", "--no-password",
            "--dbname=" + conn.conninfo};
  if (no_owner) o.argv.push_back("--no-owner");
  o.argv.push_back(path);
  o.set_env = conn.env;
  proc::Child child(o);
  int rc = child.Wait();
  if (rc != 0)
    throw Error("pg_restore of " + path + " into " + conn.description + " failed (exit " + std::to_string(rc) + "): " +
                child.StderrTail() + "; the transaction was rolled back and the database is unchanged");
}

}  // namespace capstan::backup
