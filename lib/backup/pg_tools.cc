#include "backup/pg_tools.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <cctype>
#include <exception>
#include <functional>
#include <memory>
#include <thread>

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
  // "<name> (PostgreSQL) <major>[.<minor>[.<patch>]][ ...]"
  std::string first = output.substr(0, output.find('\n'));
  const std::string marker = " (PostgreSQL) ";
  size_t at = first.find(marker);
  if (at == std::string::npos || at == 0) return false;
  size_t i = at + marker.size(), start = i;
  while (i < first.size() && (std::isdigit(static_cast<unsigned char>(first[i])) || first[i] == '.')) ++i;
  version = first.substr(start, i - start);
  if (version.empty() || !std::isdigit(static_cast<unsigned char>(version[0]))) return false;
  major = std::atoi(version.c_str());
  return major > 0;
}

PgTool ProbePgTool(const std::string& name, const std::string& explicit_path) {
  PgTool t;
  t.name = name;
  t.path = proc::FindExecutable(name, explicit_path, ExtraDirs());
  std::string flag = "--" + name;  // --pg-dump, --psql
  for (char& c : flag)
    if (c == '_') c = '-';
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

uint64_t RunDump(const PgTool& pg_dump, const ChildConnection& conn, ByteSink& out, int compress_level,
                 std::atomic<uint64_t>* progress) {
  proc::ChildOptions o;
  o.argv = {pg_dump.path, "--format=custom", "--compress=" + std::to_string(compress_level), "--no-password",
            "--dbname=" + conn.conninfo};
  o.set_env = conn.env;
  o.pipe_stdout = true;
  proc::Child child(o);
  std::unique_ptr<char[]> buf(new char[1 << 20]);
  uint64_t size = 0;
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
    if (size == 0 && (n < 5 || std::memcmp(buf.get(), "PGDMP", 5) != 0)) {
      child.Kill();
      child.Wait();
      throw Error("pg_dump of " + conn.description + " did not write a custom-format archive" +
                  (n < 5 ? " (its first read held " + std::to_string(n) + " bytes)" : "") + "; no restore point was made");
    }
    size += static_cast<uint64_t>(n);
    if (progress) *progress += static_cast<uint64_t>(n);
    out.Write(buf.get(), static_cast<size_t>(n));  // throws on a full disk or a failed upload; ~Child kills pg_dump
  }
  child.CloseStdout();
  int rc = child.Wait();
  if (rc != 0)
    throw Error("pg_dump of " + conn.description + " failed (exit " + std::to_string(rc) + "): " +
                (child.StderrTail().empty() ? "no message" : child.StderrTail()) + "; no restore point was made");
  if (size < 5)
    throw Error("pg_dump of " + conn.description + " wrote " + std::to_string(size) +
                " bytes: an empty dump; no restore point was made");
  return size;
}

namespace {

// Writes a source into a child's stdin from a thread. When the child stops reading (EPIPE: pg_restore --list has
// what it needs) the rest of the source is still read to its end, so that a checking source sees every byte.
class Feeder {
 public:
  Feeder(ByteSource& in, int fd) : thread_([this, &in, fd] { Run(in, fd); }) {}
  // Without Finish() (an error elsewhere): stops reading the source at the next block.
  ~Feeder() {
    abandoned_ = true;
    Join();
  }
  // Waits for the thread; rethrows what the source threw (a read error, a checksum mismatch).
  void Finish() {
    Join();
    if (error_) std::rethrow_exception(error_);
  }
  bool child_stopped_reading() const { return stopped_; }

 private:
  void Join() {
    if (thread_.joinable()) thread_.join();
  }
  void Run(ByteSource& in, int fd) {
    try {
      std::unique_ptr<char[]> buf(new char[1 << 20]);
      size_t n;
      while (!abandoned_ && (n = in.Read(buf.get(), 1 << 20)) > 0) {
        const char* p = buf.get();
        while (n > 0 && !stopped_) {
          ssize_t w = ::write(fd, p, n);
          if (w < 0) {
            if (errno == EINTR) continue;
            stopped_ = true;  // EPIPE, or the child closed its stdin: keep reading the source
            break;
          }
          p += w;
          n -= static_cast<size_t>(w);
        }
      }
    } catch (...) {
      error_ = std::current_exception();
    }
    ::close(fd);
  }
  std::exception_ptr error_;
  std::atomic<bool> stopped_{false}, abandoned_{false};
  std::thread thread_;
};

// `pg_restore --list` of a dump fed to its stdin, each entry line (not the ';' comments) handed to on_entry as it
// is read: the listing of a dump with millions of objects is never held whole.
void ListEntries(const PgTool& pg_restore, ByteSource& dump, const std::string& what,
                 const std::function<void(std::string_view line)>& on_entry) {
  proc::ChildOptions o;
  o.argv = {pg_restore.path, "--list"};
  o.pipe_stdin = true;
  o.pipe_stdout = true;
  proc::Child child(o);
  int in_fd = ::fcntl(child.stdin_fd(), F_DUPFD_CLOEXEC, 0);  // not inherited by later children
  child.CloseStdin();
  if (in_fd < 0) throw Error("cannot feed pg_restore: " + std::string(std::strerror(errno)));
  Feeder feed(dump, in_fd);
  std::string line;
  auto emit = [&] {
    if (!line.empty() && line[0] != ';') on_entry(line);
    line.clear();
  };
  char buf[1 << 16];
  while (true) {
    ssize_t n = ::read(child.stdout_fd(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    for (ssize_t i = 0; i < n; ++i) {
      if (buf[i] == '\n') emit();
      else line += buf[i];
    }
  }
  emit();
  child.CloseStdout();
  int rc = child.Wait();
  feed.Finish();  // a source error (a checksum mismatch) first: it explains a pg_restore failure
  if (rc != 0)
    throw Error(what + ": pg_restore --list failed (exit " + std::to_string(rc) + "): " + child.StderrTail() +
                ": the dump is unreadable");
}

}  // namespace

uint64_t ListDump(const PgTool& pg_restore, ByteSource& dump, const std::string& what) {
  uint64_t entries = 0;
  ListEntries(pg_restore, dump, what, [&](std::string_view) { ++entries; });
  return entries;
}

std::vector<std::string> DumpSchemas(const PgTool& pg_restore, ByteSource& dump, const std::string& what) {
  // "6; 2615 16389 SCHEMA - app postgres": the name runs from after "SCHEMA - " to the owner, the last word.
  std::vector<std::string> out;
  const std::string_view marker = " SCHEMA - ";
  ListEntries(pg_restore, dump, what, [&](std::string_view line) {
    size_t semi = line.find("; ");
    size_t at = line.find(marker);
    if (semi == std::string_view::npos || at == std::string_view::npos) return;
    // Only the entry type SCHEMA (not a name that contains the marker): "<id>; <oid> <oid> SCHEMA - ...".
    auto head = Split(line.substr(semi + 2, at - semi - 2), ' ');
    if (head.size() != 2) return;
    std::string_view rest = line.substr(at + marker.size());
    size_t owner = rest.rfind(' ');
    if (owner == std::string_view::npos || owner == 0) return;
    out.emplace_back(rest.substr(0, owner));
  });
  return out;
}

PgTool ProbePsql(const std::string& explicit_path, const PgTool& pg_restore) {
  std::string path = explicit_path;
  if (path.empty()) {
    size_t slash = pg_restore.path.rfind('/');
    std::string beside = (slash == std::string::npos ? std::string(".") : pg_restore.path.substr(0, slash)) + "/psql";
    if (::access(beside.c_str(), X_OK) == 0) path = beside;
  }
  return ProbePgTool("psql", path);
}

namespace {

std::string QuoteIdent(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// A condition: `alias` (a row of `catalog`) stands on its own: it is no extension member (pg_depend deptype 'e')
// and no internal part of another object (deptype 'i': an identity column's sequence, a range type's constructor),
// which goes with its owner and cannot be dropped by itself.
std::string Standalone(const std::string& catalog, const std::string& alias) {
  return " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog." + catalog +
         "'::pg_catalog.regclass AND d.objid = " + alias + ".oid AND d.deptype IN ('e', 'i'))";
}

}  // namespace

std::string RestorePreamble(const std::vector<std::string>& schemas) {
  std::string sql = "-- capstan restore: remove what the dump replaces, so the database equals the dump\n"
                    "SET LOCAL client_min_messages = warning;\n";
  bool has_public = false;
  for (const auto& s : schemas) {
    if (s == "public") has_public = true;
    sql += "DROP SCHEMA IF EXISTS " + QuoteIdent(s) + " CASCADE;\n";
  }
  if (has_public) return sql;
  // pg_dump (15) never creates `public` (initdb does) and dumps its ACL and comment only as changes from initdb's:
  // dropping and re-creating it would lose its initial privileges record, so it is emptied instead. ORDER BY makes
  // the list complete before the first DROP; IF EXISTS skips what an earlier CASCADE removed.
  const std::string nsp = " JOIN pg_catalog.pg_namespace n ON n.oid = ";
  const std::string in_public = " WHERE n.nspname = 'public'";
  sql += "DO $capstan_restore$\nDECLARE r record;\nBEGIN\n  FOR r IN\n";
  sql +=
      "    SELECT 1 AS ord, pg_catalog.format('DROP %s IF EXISTS %I.%I CASCADE', CASE c.relkind WHEN 'v' THEN 'VIEW' "
      "WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, "
      "n.nspname, c.relname) AS stmt FROM pg_catalog.pg_class c" + nsp + "c.relnamespace" + in_public +
      " AND c.relkind IN ('r','p','v','m','f','S')" + Standalone("pg_class", "c") + "\n";
  sql += "    UNION ALL SELECT 2, pg_catalog.format('DROP ROUTINE IF EXISTS %I.%I(%s) CASCADE', n.nspname, p.proname, "
         "pg_catalog.pg_get_function_identity_arguments(p.oid)) FROM pg_catalog.pg_proc p" + nsp + "p.pronamespace" +
         in_public + Standalone("pg_proc", "p") + "\n";
  sql += "    UNION ALL SELECT 3, pg_catalog.format('DROP %s IF EXISTS %I.%I CASCADE', CASE t.typtype WHEN 'd' THEN "
         "'DOMAIN' ELSE 'TYPE' END, n.nspname, t.typname) FROM pg_catalog.pg_type t" + nsp + "t.typnamespace" +
         in_public + " AND t.typtype IN ('b','c','d','e','r') AND (t.typtype <> 'c' OR (SELECT c.relkind FROM "
         "pg_catalog.pg_class c WHERE c.oid = t.typrelid) = 'c') AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type e "
         "WHERE e.typarray = t.oid)" + Standalone("pg_type", "t") + "\n";
  struct Simple {
    const char* catalog;
    const char* what;
    const char* name_col;
    const char* nsp_col;
  };
  const Simple simple[] = {
      {"pg_collation", "COLLATION", "collname", "collnamespace"},
      {"pg_conversion", "CONVERSION", "conname", "connamespace"},
      {"pg_statistic_ext", "STATISTICS", "stxname", "stxnamespace"},
      {"pg_ts_config", "TEXT SEARCH CONFIGURATION", "cfgname", "cfgnamespace"},
      {"pg_ts_dict", "TEXT SEARCH DICTIONARY", "dictname", "dictnamespace"},
      {"pg_ts_parser", "TEXT SEARCH PARSER", "prsname", "prsnamespace"},
      {"pg_ts_template", "TEXT SEARCH TEMPLATE", "tmplname", "tmplnamespace"},
  };
  for (const auto& s : simple)
    sql += std::string("    UNION ALL SELECT 4, pg_catalog.format('DROP ") + s.what +
           " IF EXISTS %I.%I CASCADE', n.nspname, x." + s.name_col + ") FROM pg_catalog." + s.catalog + " x" + nsp +
           "x." + s.nsp_col + in_public + Standalone(s.catalog, "x") + "\n";
  sql += "    UNION ALL SELECT 5, pg_catalog.format('DROP OPERATOR IF EXISTS %I.%s(%s, %s) CASCADE', n.nspname, "
         "o.oprname, COALESCE(o.oprleft::pg_catalog.regtype::pg_catalog.text, 'NONE'), "
         "COALESCE(o.oprright::pg_catalog.regtype::pg_catalog.text, 'NONE')) FROM pg_catalog.pg_operator o" + nsp +
         "o.oprnamespace" + in_public + Standalone("pg_operator", "o") + "\n";
  sql += "    UNION ALL SELECT 6, pg_catalog.format('DROP OPERATOR FAMILY IF EXISTS %I.%I USING %I CASCADE', "
         "n.nspname, f.opfname, a.amname) FROM pg_catalog.pg_opfamily f JOIN pg_catalog.pg_am a ON a.oid = "
         "f.opfmethod" + nsp + "f.opfnamespace" + in_public + Standalone("pg_opfamily", "f") + "\n";
  sql += "    ORDER BY 1, 2\n  LOOP\n    EXECUTE r.stmt;\n  END LOOP;\nEND\n$capstan_restore$;\n";
  return sql;
}

namespace {

// Writes all of data to a child's stdin; false when the child no longer reads (it exited: EPIPE).
bool WriteToChild(int fd, const char* data, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno == EPIPE) return false;
      throw Error("cannot write to psql: " + std::string(std::strerror(errno)));
    }
    data += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

}  // namespace

void RestoreDump(const PgTool& pg_restore, const PgTool& psql, const ChildConnection& conn, const SourceOpener& open,
                 const std::string& path, bool no_owner, std::atomic<uint64_t>* progress) {
  const std::string preamble = RestorePreamble(DumpSchemas(pg_restore, *open(nullptr), path));
  const std::string unchanged = "; the transaction was rolled back and the database is unchanged";
  proc::ChildOptions po;
  po.argv = {psql.path, "-X", "-q", "--no-password", "-v", "ON_ERROR_STOP=1", "--dbname=" + conn.conninfo,
             "-f", "-"};
  po.set_env = conn.env;
  po.pipe_stdin = true;
  proc::Child sql(po);
  // --single-transaction: the SQL is one BEGIN ... COMMIT (also around large objects, which otherwise get their
  // own transactions). --clean --if-exists: DROPs of the dump's objects, no-ops after the preamble except for
  // large objects and extensions, which the dump then re-creates.
  proc::ChildOptions ro;
  ro.argv = {pg_restore.path, "--clean", "--if-exists", "--single-transaction", "--file=-"};
  if (no_owner) ro.argv.push_back("--no-owner");
  ro.pipe_stdin = true;
  ro.pipe_stdout = true;
  proc::Child gen(ro);
  int in_fd = ::fcntl(gen.stdin_fd(), F_DUPFD_CLOEXEC, 0);  // not inherited by later children
  gen.CloseStdin();
  if (in_fd < 0) throw Error("cannot feed pg_restore: " + std::string(std::strerror(errno)));
  std::unique_ptr<ByteSource> dump = open(progress);
  Feeder feed(*dump, in_fd);

  auto psql_failed = [&]() -> Error {
    gen.Kill();
    gen.Wait();
    sql.CloseStdin();
    int rc = sql.Wait();
    return Error("restoring " + path + " into " + conn.description + " failed: psql exit " + std::to_string(rc) + ": " +
                 (sql.StderrTail().empty() ? "no message" : sql.StderrTail()) + unchanged);
  };
  // The preamble goes right after the dump's BEGIN; the last kHoldBack bytes (which hold its COMMIT) are sent only
  // once pg_restore has exited 0: a pg_restore that fails midway never gets its partial SQL committed.
  const size_t kHoldBack = 64 << 10, kMaxHead = 1 << 20;
  std::string pending;
  bool started = false;
  std::unique_ptr<char[]> buf(new char[1 << 20]);
  while (true) {
    if (Cancelled()) {
      gen.Kill();
      sql.Kill();
      ThrowIfCancelled();
    }
    ssize_t n = ::read(gen.stdout_fd(), buf.get(), 1 << 20);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error("cannot read the output of pg_restore: " + std::string(std::strerror(errno)) + unchanged);
    }
    if (n == 0) break;
    pending.append(buf.get(), static_cast<size_t>(n));
    if (!started) {
      size_t at = pending.compare(0, 7, "BEGIN;\n") == 0 ? 0 : pending.find("\nBEGIN;\n");
      if (at == std::string::npos) {
        if (pending.size() > kMaxHead) break;  // reported below: no transaction
        continue;
      }
      size_t cut = at == 0 ? 7 : at + 8;
      if (!WriteToChild(sql.stdin_fd(), pending.data(), cut) ||
          !WriteToChild(sql.stdin_fd(), preamble.data(), preamble.size()))
        throw psql_failed();
      pending.erase(0, cut);
      started = true;
    }
    if (pending.size() > kHoldBack) {
      size_t send = pending.size() - kHoldBack;
      if (!WriteToChild(sql.stdin_fd(), pending.data(), send)) throw psql_failed();
      pending.erase(0, send);
    }
  }
  gen.CloseStdout();
  int rc = gen.Wait();
  try {
    feed.Finish();  // the whole dump was read and matched its checksum, or nothing is committed
  } catch (const std::exception& e) {
    sql.Kill();
    sql.Wait();
    throw Error(std::string(e.what()) + unchanged);
  }
  if (rc != 0 || !started || pending.find("\nCOMMIT;\n") == std::string::npos) {
    sql.Kill();  // the connection closes inside the open transaction: the server rolls it back
    sql.Wait();
    if (rc != 0)
      throw Error("pg_restore of " + path + " failed (exit " + std::to_string(rc) + "): " +
                  (gen.StderrTail().empty() ? "no message" : gen.StderrTail()) + unchanged);
    throw Error("pg_restore of " + path + " did not produce one transaction (no BEGIN/COMMIT): " +
                "use the pg_restore of the installation that made the dump (--pg-restore PATH)" + unchanged);
  }
  if (!WriteToChild(sql.stdin_fd(), pending.data(), pending.size())) throw psql_failed();
  sql.CloseStdin();
  int src = sql.Wait();
  if (src != 0)
    throw Error("restoring " + path + " into " + conn.description + " failed: psql exit " + std::to_string(src) + ": " +
                (sql.StderrTail().empty() ? "no message" : sql.StderrTail()) + unchanged);
}

}  // namespace capstan::backup
