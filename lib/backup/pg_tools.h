// pg_dump and pg_restore as child processes (no shell): finding them (--pg-dump/--pg-restore, then PG_BIN, then
// PATH), their major version, the compatibility check against the server, the connection they get (a conninfo
// without the password in argv; the password only in the child's PGPASSWORD), a dump streamed through SHA-256
// into a sink, `pg_restore --list` of a dump, and a restore (pg_restore's SQL piped into psql, in one transaction)
// that makes the database equal to the dump.
#pragma once
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "backup/streams.h"
#include "pg/settings.h"

namespace capstan::backup {

struct PgTool {
  std::string name;     // "pg_dump"
  std::string path;
  std::string version;  // "15.20"
  int major = 0;        // 15 (9.6 -> 9)
};

// Parses "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"; returns false when it is not such a line.
bool ParsePgToolVersion(const std::string& output, std::string& version, int& major);
// Finds and runs `<tool> --version`; throws UsageError (not found, not runnable, unparsable output).
PgTool ProbePgTool(const std::string& name, const std::string& explicit_path);
// Throws Error when pg_dump is older than the server: "pg_dump 15 cannot dump server 16: ...".
void CheckDumpCompatible(const PgTool& pg_dump, int server_version_num, const std::string& flag = "--pg-dump");

// How a child tool connects: a conninfo string with no password, and the environment carrying the password.
struct ChildConnection {
  std::string conninfo;
  std::vector<std::string> env;  // "PGPASSWORD=..." when a password was given by file or URL
  std::string dbname;
  std::string description;       // redacted, for logs
};
ChildConnection ChildConnectionFor(const pg::Settings& settings);

// Runs pg_dump -Fc and streams its output into out (a store's artifact, perhaps through encryption), counting the
// bytes; checks the exit status, that the output is not empty and that it starts with the custom format's magic.
// Returns the number of bytes pg_dump wrote.
uint64_t RunDump(const PgTool& pg_dump, const ChildConnection& conn, ByteSink& out, int compress_level,
                 std::atomic<uint64_t>* progress);
// Runs `pg_restore --list` on a dump read from dump (fed to its stdin, then read to the end so that a checking
// source sees all of it); returns the number of TOC entries; throws Error naming what when it fails or is empty.
uint64_t ListDump(const PgTool& pg_restore, ByteSource& dump, const std::string& what);
// The schemas a dump creates (its SCHEMA entries, from `pg_restore --list`), in TOC order.
std::vector<std::string> DumpSchemas(const PgTool& pg_restore, ByteSource& dump, const std::string& what);
// Finds psql: the explicit path, else the psql beside pg_restore (same installation), else PG_BIN, then PATH.
PgTool ProbePsql(const std::string& explicit_path, const PgTool& pg_restore);
// The SQL run before the dump's own: drops the schemas the dump creates (CASCADE) and empties `public` of every
// object that is not an extension member, so the restored database holds exactly the dump's objects.
std::string RestorePreamble(const std::vector<std::string>& schemas);
// Restores a dump into the connection's database so that it equals the dump: in ONE transaction run by psql, the
// preamble (RestorePreamble) then the SQL of `pg_restore --clean --if-exists -f -`, relayed by this process;
// COMMIT is sent only after pg_restore has exited 0, so any failure leaves the database as it was.
// The dump is read twice (its schemas, then the restore) from sources open() gives; COMMIT is sent only after the
// second source was read to its end without error, so a checking source (artifact_source.h) that finds the dump
// changed or corrupt at its end leaves the database unchanged.
void RestoreDump(const PgTool& pg_restore, const PgTool& psql, const ChildConnection& conn, const SourceOpener& open,
                 const std::string& what, bool no_owner, std::atomic<uint64_t>* progress);

}  // namespace capstan::backup
