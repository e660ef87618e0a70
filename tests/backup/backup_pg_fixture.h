// Shared helpers of the backup/restore PostgreSQL tests (backup_pg_test.cc, restore_pg_test.cc): command lines with
// the harness's TLS settings, plain dumps to compare databases, seed data and files, JSON output, a small tmpfs.
#pragma once
#include <catch2/catch.hpp>

#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "backup/tree_compare.h"
#include "pg/connection.h"
#include "support/pg_fixture.h"
#include "support/test_support.h"
#include "util/file_io.h"
#include "util/strings.h"

namespace capstan::test::backup_pg {


inline std::vector<std::string> Tls() {
  return {"--sslmode", "verify-full", "--sslrootcert", PgEnv()["CAPSTAN_TEST_PG_CA"]};
}

inline std::vector<std::string> Args(std::vector<std::string> head, const std::string& root, bool tls = true) {
  head.push_back("--backup-root");
  head.push_back(root);
  head.push_back("--log-format");
  head.push_back("json");
  if (tls)
    for (auto& a : Tls()) head.push_back(a);
  return head;
}

inline std::string PgTool(const std::string& name) {
  auto env = PgEnv();
  std::string bin = env.count("PG_BIN") ? env["PG_BIN"] : "";
  if (!bin.empty() && FileExists(bin + "/" + name)) return bin + "/" + name;
  return "/usr/bin/" + name;
}

// A plain-text dump of the database, to compare before and after.
inline std::string PlainDump(const PgDatabase& db, const std::vector<std::string>& extra = {}) {
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

inline void Seed(pg::Connection& c) {
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

inline void MakeFiles(const std::string& dir) {
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

// n bytes that do not compress (xorshift64): archives as large as their files, uploads as long as their size.
inline std::string Noise(size_t n) {
  std::string noise;
  noise.reserve(n);
  uint64_t x = 0x9E3779B97F4A7C15ull;
  for (size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    noise += static_cast<char>(x & 0xff);
  }
  return noise;
}

inline rapidjson::Document Json(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str());
  REQUIRE_FALSE(d.HasParseError());
  return d;
}

inline std::vector<std::string> Entries(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& [k, v] : Tree(dir))
    if (k.find('/') == std::string::npos) out.push_back(k);
  return out;
}

inline std::string CompleteIds(const PgDatabase& db, const std::string& root) {
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


}  // namespace capstan::test::backup_pg
