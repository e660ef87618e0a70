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
#include "backup/backup_pg_fixture.h"
#include "backup/tree_compare.h"
#include "proc/child_process.h"
#include "support/pg_fixture.h"
#include "support/test_support.h"
#include "util/file_io.h"
#include "util/strings.h"

using namespace capstan;
using namespace capstan::test;
using namespace capstan::test::backup_pg;

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

  // The test's directory is not a mounted volume: restoring it in place must be asked for with --dir-map.
  auto unmapped = db.Capstan(Args({"restore", "--id", "latest", "--release", "portal", "--dry-run"}, root));
  CHECK(unmapped.exit_code == 2);
  CHECK(unmapped.err.find("--dir-map " + data + "=") != std::string::npos);
  const std::string map = data + "=" + data;
  auto dry = db.Capstan(Args({"restore", "--id", "latest", "--release", "portal", "--dry-run", "-o", "json",
                              "--dir-map", map}, root));
  INFO(dry.err);
  REQUIRE(dry.exit_code == 0);
  auto plan = Json(dry.out);
  CHECK(std::string(plan["result"].GetString()) == "dry-run");
  CHECK(plan["steps"].Size() == 2);
  CHECK(PlainDump(db) != before);  // nothing changed

  auto rr = db.Capstan(Args({"restore", "--id", id, "-o", "json", "--dir-map", map}, root));
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
    auto rr = db.Capstan(Args({"restore", "--id", id, "--dir-map", data + "=" + data}, root));
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
  std::string noise = Noise(48 << 20);
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

TEST_CASE("retention keeps the right restore points and never the newest, the lock stops a second run", "[pg]") {
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
