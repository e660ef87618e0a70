// capstan backup / restore against the real PostgreSQL of tests/harness/pg.sh and real directories.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rapidjson/document.h>

#include <fstream>
#include <thread>

#include "backup/fs_util.h"
#include "backup/pg_tools.h"
#include "digest/sha256.h"
#include "backup/tree_compare.h"
#include "proc/child_process.h"
#include "support/pg_fixture.h"
#include "support/test_support.h"
#include "util/file_io.h"
#include "util/strings.h"

using namespace capstan;
using namespace capstan::test;

namespace {

std::vector<std::string> Tls() {
  return {"--sslmode", "verify-full", "--sslrootcert", PgEnv()["CAPSTAN_TEST_PG_CA"]};
}

std::vector<std::string> Args(std::vector<std::string> head, const std::string& root, bool tls = true) {
  head.push_back("--backup-root");
  head.push_back(root);
  head.push_back("--log-format");
  head.push_back("json");
  if (tls)
    for (auto& a : Tls()) head.push_back(a);
  return head;
}

std::string PgTool(const std::string& name) {
  auto env = PgEnv();
  std::string bin = env.count("PG_BIN") ? env["PG_BIN"] : "";
  if (!bin.empty() && FileExists(bin + "/" + name)) return bin + "/" + name;
  return "/usr/bin/" + name;
}

// A plain-text dump of the database, to compare before and after.
std::string PlainDump(const PgDatabase& db, const std::vector<std::string>& extra = {}) {
  ProcessOptions o;
  o.env = db.Env();
  std::vector<std::string> argv = {PgTool("pg_dump"), "--format=plain", "--no-password"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back(db.name());
  auto r = Run(argv, o);
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.out.size() > 100);
  // pg_dump >= 15.14 brackets the script with \restrict KEY / \unrestrict KEY, KEY random per run: leave them out.
  std::string out;
  for (const auto& line : Split(r.out, '\n'))
    if (!StartsWith(line, "\\restrict ") && !StartsWith(line, "\\unrestrict ")) out += line + "\n";
  return out;
}

void Seed(pg::Connection& c) {
  c.ExecScript(R"SQL(
    CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, payload bytea, created timestamptz DEFAULT '2026-01-01');
    INSERT INTO items (id, name, payload) SELECT g, 'item ' || g, decode(md5(g::text), 'hex') FROM generate_series(1, 2000) g;
    CREATE INDEX items_name ON items (name);
    CREATE VIEW item_names AS SELECT id, name FROM items WHERE id % 2 = 0;
    CREATE SEQUENCE counter START 42;
    CREATE FUNCTION twice(int) RETURNS int LANGUAGE sql AS 'SELECT $1 * 2';
    CREATE TABLE notes (id serial PRIMARY KEY, body text);
    INSERT INTO notes (body) VALUES ('one'), ('two'), (E'three\nlines');
  )SQL");
}

void MakeFiles(const std::string& dir) {
  ::mkdir(dir.c_str(), 0755);
  ::mkdir((dir + "/uploads").c_str(), 0750);
  ::mkdir((dir + "/uploads/empty").c_str(), 0700);
  WriteBytes(dir + "/config.xml", "<portal><mode>prod</mode></portal>\n", 0640);
  WriteBytes(dir + "/run.sh", "#!/bin/sh\necho ok\n", 0755);
  std::string bin;
  for (int i = 0; i < 200000; ++i) bin += static_cast<char>((i * 31 + i / 7) % 256);
  WriteBytes(dir + "/uploads/asset.bin", bin, 0600);
  ::symlink("config.xml", (dir + "/current").c_str());
}

rapidjson::Document Json(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str());
  REQUIRE_FALSE(d.HasParseError());
  return d;
}

std::vector<std::string> Entries(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& [k, v] : Tree(dir))
    if (k.find('/') == std::string::npos) out.push_back(k);
  return out;
}

std::string CompleteIds(const PgDatabase& db, const std::string& root) {
  auto r = db.Capstan(Args({"backup", "list", "-o", "json"}, root, false));
  REQUIRE(r.exit_code == 0);
  auto d = Json(r.out);
  std::string ids;
  for (const auto& p : d["restore_points"].GetArray())
    if (std::string(p["state"].GetString()) == "complete") ids += std::string(ids.empty() ? "" : ",") + p["id"].GetString();
  return ids;
}

// A tmpfs of the given size (root only); falls back to "" when mounting is impossible.
struct SmallFs {
  std::string path;
  bool mounted = false;
  SmallFs(const std::string& p, const std::string& size) : path(p) {
    ::mkdir(p.c_str(), 0755);
    mounted = ::mount("tmpfs", p.c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0;
  }
  ~SmallFs() {
    if (mounted) ::umount2(path.c_str(), MNT_DETACH);
  }
};

}  // namespace

TEST_CASE("round trip: backup, change data and files, restore gives back the same dump and files", "[pg]") {
  PgDatabase db("bk_rt");
  TempDir t;
  {
    auto c = db.Connect();
    Seed(c);
  }
  std::string data = t.path() + "/data", root = t.path() + "/backups";
  MakeFiles(data);
  std::string before = PlainDump(db);
  auto tree_before = Tree(data);

  auto r = db.Capstan(Args({"backup", "--dir", data, "--release", "portal", "--chart-version", "1.2.3",
                            "--app-version", "9.1", "-o", "json"}, root));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto summary = Json(r.out);
  CHECK(std::string(summary["result"].GetString()) == "complete");
  const auto& m = summary["manifest"];
  CHECK(std::string(m["state"].GetString()) == "complete");
  CHECK(std::string(m["release"].GetString()) == "portal");
  CHECK(std::string(m["chart_version"].GetString()) == "1.2.3");
  CHECK(m["database"]["server_version_num"].GetInt() >= 150000);
  REQUIRE(m["artifacts"].Size() == 2);
  CHECK(m["artifacts"][0]["size"].GetUint64() > 1000);
  CHECK(std::string(m["artifacts"][0]["sha256"].GetString()).size() == 64);
  std::string id = m["id"].GetString();
  std::string password = PgEnv()["PGPASSWORD"];
  CHECK(r.out.find(password) == std::string::npos);
  CHECK(r.err.find(password) == std::string::npos);
  CHECK(r.err.find("restore point complete") != std::string::npos);

  {
    auto c = db.Connect();
    c.ExecScript(R"SQL(
      UPDATE items SET name = 'changed' WHERE id < 100;
      DELETE FROM items WHERE id > 1500;
      DROP VIEW item_names;
      ALTER TABLE notes ADD COLUMN extra int DEFAULT 7;
      INSERT INTO notes (body) VALUES ('after the backup');
      SELECT nextval('counter');
    )SQL");
  }
  WriteBytes(data + "/config.xml", "<portal><mode>broken</mode></portal>\n", 0666);
  ::unlink((data + "/run.sh").c_str());
  WriteBytes(data + "/uploads/new-upload.txt", "added after the backup");
  ::rmdir((data + "/uploads/empty").c_str());
  ::chmod((data + "/uploads").c_str(), 0777);
  REQUIRE(PlainDump(db) != before);
  REQUIRE(Tree(data) != tree_before);

  auto dry = db.Capstan(Args({"restore", "--id", "latest", "--release", "portal", "--dry-run", "-o", "json"}, root));
  INFO(dry.err);
  REQUIRE(dry.exit_code == 0);
  auto plan = Json(dry.out);
  CHECK(std::string(plan["result"].GetString()) == "dry-run");
  CHECK(plan["steps"].Size() == 2);
  CHECK(PlainDump(db) != before);  // nothing changed

  auto rr = db.Capstan(Args({"restore", "--id", id, "-o", "json"}, root));
  INFO(rr.err);
  REQUIRE(rr.exit_code == 0);
  CHECK(PlainDump(db) == before);
  CHECK(Tree(data) == tree_before);
  CHECK(rr.err.find(password) == std::string::npos);
  // No staging directory is left in the restored directory.
  for (const auto& e : Entries(data)) CHECK_FALSE(StartsWith(e, ".capstan-restore-"));
}

TEST_CASE("a flipped byte in an artifact is detected and the restore refused", "[pg]") {
  PgDatabase db("bk_flip");
  TempDir t;
  {
    auto c = db.Connect();
    Seed(c);
  }
  std::string data = t.path() + "/data", root = t.path() + "/backups";
  MakeFiles(data);
  auto r = db.Capstan(Args({"backup", "--dir", data, "-o", "json"}, root));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::string id = Json(r.out)["manifest"]["id"].GetString();
  REQUIRE(db.Capstan(Args({"backup", "verify", id}, root)).exit_code == 0);

  for (std::string artifact : {"database.dump", "dir-0-data.tar.gz"}) {
    CAPTURE(artifact);
    std::string path = root + "/" + id + "/" + artifact;
    std::string bytes = Slurp(path);
    size_t at = bytes.size() / 2;
    bytes[at] = static_cast<char>(bytes[at] ^ 0x01);
    WriteBytes(path, bytes, 0600);
    auto v = db.Capstan(Args({"backup", "verify", id}, root));
    CHECK(v.exit_code == 1);
    CHECK(v.err.find("SHA-256") != std::string::npos);
    CHECK(v.err.find(artifact) != std::string::npos);
    {
      auto c = db.Connect();
      c.Exec("INSERT INTO notes (body) VALUES ('must survive')");
    }
    WriteBytes(data + "/marker", "must survive");
    auto rr = db.Capstan(Args({"restore", "--id", id}, root));
    CHECK(rr.exit_code == 1);
    CHECK(rr.err.find("corrupt") != std::string::npos);
    {
      auto c = db.Connect();
      CHECK(c.Exec("SELECT count(*) FROM notes WHERE body = 'must survive'").Text(0, 0) != "0");
    }
    CHECK(FileExists(data + "/marker"));
    bytes[at] = static_cast<char>(bytes[at] ^ 0x01);  // repair for the next artifact
    WriteBytes(path, bytes, 0600);
  }
  CHECK(db.Capstan(Args({"backup", "verify", "latest"}, root)).exit_code == 0);
}

TEST_CASE("a full disk during the backup leaves no complete-looking restore point", "[pg]") {
  PgDatabase db("bk_full");
  TempDir t;
  std::string data = t.path() + "/data";
  ::mkdir(data.c_str(), 0755);
  std::string noise;
  noise.reserve(6 << 20);
  uint64_t x = 88172645463325252ull;
  for (int i = 0; i < (6 << 20); ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    noise += static_cast<char>(x & 0xff);
  }
  WriteBytes(data + "/noise.bin", noise);
  {
    auto c = db.Connect();
    c.Exec("CREATE TABLE blobs (b bytea)");
    c.Exec("INSERT INTO blobs VALUES ($1::bytea)", {"\\x" + capstan::Hex(reinterpret_cast<const unsigned char*>(noise.data()), 3 << 20)});
  }
  SmallFs fs(t.path() + "/small", "2m");
  std::vector<std::string> limit;
  if (!fs.mounted) {
    WARN("cannot mount a tmpfs (not root?): falling back to RLIMIT_FSIZE");
    limit = {"prlimit", "--fsize=2000000", "--"};
  }
  std::string root = fs.path + "/backups";
  auto with_limit = [&](std::vector<std::string> args) {
    if (limit.empty()) return db.Capstan(args);
    std::vector<std::string> argv = limit;
    argv.push_back(Binary("capstan"));
    for (auto& a : args) argv.push_back(a);
    ProcessOptions o;
    o.env = db.Env();
    return Run(argv, o);
  };
  SECTION("while archiving a directory") {
    auto r = with_limit(Args({"backup", "--no-database", "--dir", data, "--archive-compress", "1"}, root, false));
    INFO(r.err);
    CHECK(r.exit_code == 3);
    CHECK(ToLower(r.err).find("full") != std::string::npos);
  }
  SECTION("while dumping the database") {
    auto r = with_limit(Args({"backup", "--dump-compress", "0"}, root));
    INFO(r.err);
    CHECK(r.exit_code == 3);
  }
  // Nothing but the lock file is left, and nothing is listed as complete.
  for (const auto& e : Entries(root)) CHECK(e == ".lock");
  CHECK(CompleteIds(db, root).empty());
}

TEST_CASE("kill -9 in the middle of a backup leaves no complete-looking restore point", "[pg]") {
  PgDatabase db("bk_kill");
  TempDir t;
  std::string data = t.path() + "/data", root = t.path() + "/backups";
  ::mkdir(data.c_str(), 0755);
  std::string noise;
  uint64_t x = 0x9E3779B97F4A7C15ull;
  for (int i = 0; i < (48 << 20); ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    noise += static_cast<char>(x & 0xff);
  }
  for (int i = 0; i < 4; ++i) WriteBytes(data + "/part" + std::to_string(i), noise);
  noise.clear();
  proc::ChildOptions o;
  o.argv = Args({Binary("capstan"), "backup", "--no-database", "--dir", data, "--archive-compress", "9"}, root, false);
  proc::Child child(o);
  bool started = false;
  for (int i = 0; i < 400 && !started; ++i) {  // up to 20 s
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (const auto& e : Entries(root)) {
      if (!StartsWith(e, ".tmp-")) continue;
      struct stat st {};
      std::string artifact = root + "/" + e + "/dir-0-data.tar.gz";
      if (::stat(artifact.c_str(), &st) == 0 && st.st_size > (1 << 20)) started = true;
    }
  }
  REQUIRE(started);
  child.Kill();
  CHECK(child.Wait() == 128 + 9);
  bool leftover = false;
  for (const auto& e : Entries(root)) {
    CHECK((e == ".lock" || StartsWith(e, ".tmp-")));
    leftover = leftover || StartsWith(e, ".tmp-");
  }
  CHECK(leftover);
  CHECK(CompleteIds(db, root).empty());
  auto list = db.Capstan(Args({"backup", "list", "-o", "text"}, root, false));
  CHECK(list.out.find("incomplete") != std::string::npos);
  auto rr = db.Capstan(Args({"restore", "--id", "latest", "--no-database"}, root, false));
  CHECK(rr.exit_code == 1);
  CHECK(rr.err.find("no complete restore point") != std::string::npos);
  // The next backup removes the leftover under the lock.
  std::string small = t.path() + "/small";
  MakeFiles(small);
  auto again = db.Capstan(Args({"backup", "--no-database", "--dir", small}, root, false));
  REQUIRE(again.exit_code == 0);
  for (const auto& e : Entries(root)) CHECK_FALSE(StartsWith(e, ".tmp-"));
  CHECK_FALSE(CompleteIds(db, root).empty());
}

TEST_CASE("retention keeps the right restore points and never the newest; the lock stops a second run", "[pg]") {
  PgDatabase db("bk_ret");
  TempDir t;
  std::string data = t.path() + "/data", root = t.path() + "/backups";
  MakeFiles(data);
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) {
    auto r = db.Capstan(Args({"backup", "--no-database", "--dir", data, "-o", "json"}, root, false));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    ids.push_back(Json(r.out)["manifest"]["id"].GetString());
  }
  // Age them: 10 days, 5 days, 1 day, now.
  int64_t now = static_cast<int64_t>(::time(nullptr));
  int64_t ages[] = {10 * 86400, 5 * 86400, 86400, 0};
  for (int i = 0; i < 4; ++i) {
    std::string path = root + "/" + ids[i] + "/manifest.json";
    std::string text = Slurp(path);
    auto at = text.find("\"time_unix\": ");
    REQUIRE(at != std::string::npos);
    auto end = text.find(',', at);
    text = text.substr(0, at) + "\"time_unix\": " + std::to_string(now - ages[i]) + text.substr(end);
    WriteBytes(path, text, 0644);
  }
  SECTION("keep-within") {
    auto r = db.Capstan(Args({"backup", "prune", "--keep-within", "7d", "-o", "json"}, root, false));
    REQUIRE(r.exit_code == 0);
    CHECK(CompleteIds(db, root) == ids[3] + "," + ids[2] + "," + ids[1]);
    auto r2 = db.Capstan(Args({"backup", "prune", "--keep-within", "1h"}, root, false));
    REQUIRE(r2.exit_code == 0);
    CHECK(CompleteIds(db, root) == ids[3]);
  }
  SECTION("keep-last with a backup") {
    auto r = db.Capstan(Args({"backup", "--no-database", "--dir", data, "--keep-last", "2", "-o", "json"}, root, false));
    REQUIRE(r.exit_code == 0);
    auto d = Json(r.out);
    CHECK(d["pruned"].Size() == 3);
    std::string newest = d["manifest"]["id"].GetString();
    CHECK(CompleteIds(db, root) == newest + "," + ids[3]);
    auto r2 = db.Capstan(Args({"backup", "prune", "--keep-last", "0"}, root, false));
    REQUIRE(r2.exit_code == 0);
    CHECK(CompleteIds(db, root) == newest);  // the newest complete one always stays
  }
  SECTION("a held lock stops a backup and a prune, naming the holder") {
    int fd = ::open((root + "/.lock").c_str(), O_RDWR);
    REQUIRE(fd >= 0);
    REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
    std::string holder = "pid 424242, back up\n";
    REQUIRE(::pwrite(fd, holder.data(), holder.size(), 0) == static_cast<ssize_t>(holder.size()));
    auto b = db.Capstan(Args({"backup", "--no-database", "--dir", data}, root, false));
    CHECK(b.exit_code == 1);
    CHECK(b.err.find("pid 424242") != std::string::npos);
    auto p = db.Capstan(Args({"backup", "prune", "--keep-last", "1"}, root, false));
    CHECK(p.exit_code == 1);
    CHECK(p.err.find("holds the lock") != std::string::npos);
    ::close(fd);
    CHECK(Split(CompleteIds(db, root), ',').size() == ids.size());  // nothing was pruned
  }
}

TEST_CASE("pg_dump older than the server, failing or silent is refused", "[pg]") {
  PgDatabase db("bk_ver");
  TempDir t;
  std::string root = t.path() + "/backups";
  SECTION("older major version") {
    std::string fake = t.Write("pg_dump", "#!/bin/sh\necho 'pg_dump (PostgreSQL) 14.11 (Debian 14.11-1)'\n");
    ::chmod(fake.c_str(), 0755);
    auto r = db.Capstan(Args({"backup", "--pg-dump", fake}, root));
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("pg_dump 14 cannot dump server 15: use a pg_dump of major version >= 15 (--pg-dump PATH)") !=
          std::string::npos);
  }
  SECTION("a pg_dump that fails, with the password only in its environment") {
    std::string log = t.path() + "/args";
    std::string fake = t.Write("pg_dump",
                               "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'pg_dump (PostgreSQL) 15.4'; exit 0; fi\n"
                               "echo \"$@\" > " + log + "\n[ -n \"$PGPASSWORD\" ] && echo has-password >> " + log +
                               "\necho 'pg_dump: error: simulated failure' >&2\nexit 1\n");
    ::chmod(fake.c_str(), 0755);
    auto r = db.Capstan(Args({"backup", "--pg-dump", fake, "--password-file", PgEnv()["CAPSTAN_TEST_PG_PWFILE"]}, root),
                        {}, {"PGPASSWORD"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("simulated failure") != std::string::npos);
    std::string args = Slurp(log);
    CHECK(args.find("has-password") != std::string::npos);
    CHECK(args.find(PgEnv()["PGPASSWORD"]) == std::string::npos);
    CHECK(args.find("--format=custom") != std::string::npos);
  }
  SECTION("a pg_dump that succeeds with no output") {
    std::string fake = t.Write("pg_dump",
                               "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'pg_dump (PostgreSQL) 15.4'; fi\nexit 0\n");
    ::chmod(fake.c_str(), 0755);
    auto r = db.Capstan(Args({"backup", "--pg-dump", fake}, root));
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("empty dump") != std::string::npos);
  }
  for (const auto& e : Entries(root)) CHECK(e == ".lock");
}

namespace {

// Everything that can be observed of one database, for "exactly as before": the plain dump (all schemas) and the
// rows of the tables a dump shows only as COPY data are part of it; large objects are listed with their data.
std::string State(PgDatabase& db) {
  std::string s = PlainDump(db);
  auto c = db.Connect();
  auto r = c.Exec("SELECT string_agg(oid::text || ':' || encode(lo_get(oid), 'escape'), ',' ORDER BY oid) "
                  "FROM pg_largeobject_metadata");
  return s + "\n-- large objects: " + r.Text(0, 0);
}

std::string Scalar(PgDatabase& db, const std::string& sql) {
  auto c = db.Connect();
  auto r = c.Exec(sql);
  REQUIRE(r.rows() == 1);
  return r.IsNull(0, 0) ? "NULL" : r.Text(0, 0);
}

void SeedWithSchemaAndBlob(pg::Connection& c) {
  Seed(c);
  c.ExecScript(R"SQL(
    CREATE SCHEMA app;
    CREATE TABLE app.settings (k text PRIMARY KEY, v text);
    INSERT INTO app.settings VALUES ('mode', 'prod'), ('theme', 'dark');
    CREATE TYPE app.state AS ENUM ('on', 'off');
    CREATE TABLE events (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, what text);
    INSERT INTO events (what) VALUES ('installed');
    SELECT lo_from_bytea(424242, 'blob before');
  )SQL");
}

// What a failed upgrade leaves behind: the chart's next migration added a table with a foreign key to a backed-up
// table, new objects of every kind, changed and deleted rows; plus a schema the backup never had.
void ChangeLikeAnUpgrade(pg::Connection& c) {
  c.ExecScript(R"SQL(
    CREATE TABLE page_revision (id int PRIMARY KEY, item_id int NOT NULL REFERENCES items (id), body text);
    INSERT INTO page_revision SELECT g, g, 'rev ' || g FROM generate_series(1, 50) g;
    CREATE VIEW recent_revisions AS SELECT r.id, i.name FROM page_revision r JOIN items i ON i.id = r.item_id;
    CREATE SEQUENCE revision_seq;
    CREATE FUNCTION revision_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM public.page_revision';
    CREATE TYPE mood AS ENUM ('ok', 'sad');
    CREATE DOMAIN positive AS int CHECK (VALUE > 0);
    CREATE TYPE int_span AS RANGE (subtype = int4);
    CREATE TABLE audit (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, span int_span);
    CREATE MATERIALIZED VIEW item_count AS SELECT count(*) AS n FROM items;
    INSERT INTO events (what) VALUES ('upgraded');
    ALTER TABLE items ADD COLUMN rev int REFERENCES page_revision (id);
    UPDATE items SET name = 'changed' WHERE id < 100;
    DELETE FROM items WHERE id > 1500;
    DROP FUNCTION twice(int);
    CREATE TABLE app.added (id int REFERENCES items (id));
    UPDATE app.settings SET v = 'upgrade' WHERE k = 'mode';
    SELECT lo_put(424242, 0, 'BLOB');
    CREATE SCHEMA other;
    CREATE TABLE other.keep (id int PRIMARY KEY, note text);
    INSERT INTO other.keep VALUES (1, 'not in the backup');
  )SQL");
}

}  // namespace

TEST_CASE("restore replaces every object: later tables with foreign keys, views, functions are gone", "[pg]") {
  PgDatabase db("bk_repl");
  TempDir t;
  {
    auto c = db.Connect();
    SeedWithSchemaAndBlob(c);
  }
  std::string root = t.path() + "/backups";
  std::string before = State(db);
  auto b = db.Capstan(Args({"backup", "--release", "portal", "-o", "json"}, root));
  INFO(b.err);
  REQUIRE(b.exit_code == 0);
  {
    auto c = db.Connect();
    ChangeLikeAnUpgrade(c);
  }
  REQUIRE(State(db) != before);

  auto rr = db.Capstan(Args({"restore", "--id", "latest", "-o", "json"}, root));
  INFO(rr.err);
  REQUIRE(rr.exit_code == 0);
  CHECK(rr.err.find(PgEnv()["PGPASSWORD"]) == std::string::npos);
  // The dumped schemas (public, app) and the large objects are exactly as at backup time ...
  std::string dump_now = PlainDump(db, {"--exclude-schema=other"});
  std::string before_dump = before.substr(0, before.find("\n-- large objects: "));
  CHECK(dump_now == before_dump);
  CHECK(Scalar(db, "SELECT encode(lo_get(424242), 'escape')") == "blob before");
  for (const char* gone : {"public.page_revision", "public.recent_revisions", "public.revision_seq", "app.added"})
    CHECK(Scalar(db, std::string("SELECT to_regclass('") + gone + "')") == "NULL");
  CHECK(Scalar(db, "SELECT to_regprocedure('public.revision_count()')") == "NULL");
  CHECK(Scalar(db, "SELECT to_regprocedure('public.twice(int)')") != "NULL");
  CHECK(Scalar(db, "SELECT to_regtype('public.mood')") == "NULL");
  CHECK(Scalar(db, "SELECT to_regtype('public.positive')") == "NULL");
  CHECK(Scalar(db, "SELECT to_regtype('public.int_span')") == "NULL");
  CHECK(Scalar(db, "SELECT to_regclass('public.audit')") == "NULL");
  CHECK(Scalar(db, "SELECT to_regclass('public.item_count')") == "NULL");
  CHECK(Scalar(db, "SELECT string_agg(what, ',') FROM events") == "installed");
  CHECK(Scalar(db, "SELECT count(*) FROM items") == "2000");
  CHECK(Scalar(db, "SELECT v FROM app.settings WHERE k = 'mode'") == "prod");
  // ... and a schema the backup did not hold is left alone.
  CHECK(Scalar(db, "SELECT note FROM other.keep WHERE id = 1") == "not in the backup");

  // Restoring again over the restored database changes nothing.
  auto again = db.Capstan(Args({"restore", "--id", "latest", "-o", "json"}, root));
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  CHECK(PlainDump(db, {"--exclude-schema=other"}) == before_dump);
}

TEST_CASE("a restore that fails midway leaves the database exactly as it was", "[pg]") {
  PgDatabase db("bk_fail");
  TempDir t;
  std::string root = t.path() + "/backups";
  std::string role = db.name() + "_owner";
  {
    auto c = db.Connect();
    SeedWithSchemaAndBlob(c);
  }
  auto b = db.Capstan(Args({"backup", "-o", "json"}, root));
  INFO(b.err);
  REQUIRE(b.exit_code == 0);
  auto m = Json(b.out);
  std::string id = m["manifest"]["id"].GetString();
  {
    auto c = db.Connect();
    ChangeLikeAnUpgrade(c);
  }
  std::string changed = State(db);

  SECTION("psql fails in the middle of the dump's SQL: an owner that no longer exists") {
    // A second restore point whose dump sets an owner that is then dropped: ALTER ... OWNER TO fails after the
    // preamble has dropped everything and the dump has re-created part of it.
    PgDatabase src("bk_fail_src");
    {
      auto admin = PgDatabase::Connect("postgres");
      admin.Exec("CREATE ROLE " + admin.EscapeIdentifier(role));
      auto c = src.Connect();
      SeedWithSchemaAndBlob(c);
      c.Exec("ALTER TABLE notes OWNER TO " + c.EscapeIdentifier(role));
    }
    std::string src_root = t.path() + "/src-backups";
    auto sb = src.Capstan(Args({"backup", "-o", "json"}, src_root));
    INFO(sb.err);
    REQUIRE(sb.exit_code == 0);
    {
      auto c = src.Connect();
      c.Exec("DROP TABLE notes");
      auto admin = PgDatabase::Connect("postgres");
      admin.Exec("DROP ROLE " + admin.EscapeIdentifier(role));
    }
    auto rr = db.Capstan(Args({"restore", "--id", "latest", "-o", "json"}, src_root));  // into db, not src
    INFO(rr.err);
    CHECK(rr.exit_code == 1);
    CHECK(rr.err.find("does not exist") != std::string::npos);
    CHECK(rr.err.find("the database is unchanged") != std::string::npos);
    CHECK(State(db) == changed);
  }

  SECTION("pg_restore fails in the middle: a truncated dump (its checksum made to match)") {
    std::string dir = root + "/" + id, dump = dir + "/database.dump";
    std::string bytes = ReadFile(dump);
    std::string cut = bytes.substr(0, bytes.size() * 3 / 4);
    Sha256 h;
    h.Update(cut);
    std::string sum = h.HexDigest();
    {
      Sha256 old;
      old.Update(bytes);
      std::string manifest = ReadFile(dir + "/manifest.json"), old_sum = old.HexDigest();
      REQUIRE(manifest.find(old_sum) != std::string::npos);
      manifest.replace(manifest.find(old_sum), old_sum.size(), sum);
      std::string old_size = "\"size\": " + std::to_string(bytes.size());
      REQUIRE(manifest.find(old_size) != std::string::npos);
      manifest.replace(manifest.find(old_size), old_size.size(), "\"size\": " + std::to_string(cut.size()));
      WriteBytes(dir + "/manifest.json", manifest, 0600);
    }
    WriteBytes(dump, cut, 0600);
    // The table of contents is at the start: the restore point still verifies, its data does not read.
    auto rr = db.Capstan(Args({"restore", "--id", id, "-o", "json"}, root));
    INFO(rr.err);
    CHECK(rr.exit_code == 1);
    CHECK(rr.err.find("pg_restore of") != std::string::npos);
    CHECK(rr.err.find("the database is unchanged") != std::string::npos);
    CHECK(State(db) == changed);
  }

  SECTION("the preamble cannot take its locks: another session holds one") {
    auto holder = db.Connect();
    holder.ExecScript("BEGIN; LOCK TABLE other.keep IN ACCESS SHARE MODE; SELECT count(*) FROM items;");
    auto rr = db.Capstan(Args({"restore", "--id", id, "-o", "json"}, root), {{"PGOPTIONS", "-c lock_timeout=1500"}});
    INFO(rr.err);
    CHECK(rr.exit_code == 1);
    CHECK(rr.err.find("lock timeout") != std::string::npos);
    holder.ExecScript("ROLLBACK");
    CHECK(State(db) == changed);
  }
}

TEST_CASE("the restore preamble names the dump's schemas and keeps public", "[pg]") {
  using capstan::backup::RestorePreamble;
  std::string with_public = RestorePreamble({"public", "we\"ird"});
  CHECK(with_public.find("DROP SCHEMA IF EXISTS \"public\" CASCADE;") != std::string::npos);
  CHECK(with_public.find("DROP SCHEMA IF EXISTS \"we\"\"ird\" CASCADE;") != std::string::npos);
  CHECK(with_public.find("DO $") == std::string::npos);
  std::string without = RestorePreamble({"app"});
  CHECK(without.find("DROP SCHEMA IF EXISTS \"app\" CASCADE;") != std::string::npos);
  CHECK(without.find("DROP SCHEMA IF EXISTS \"public\"") == std::string::npos);
  CHECK(without.find("n.nspname = 'public'") != std::string::npos);
}
