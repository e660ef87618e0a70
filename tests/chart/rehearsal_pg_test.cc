// The upgrade rehearsal (issue 8, item 4). No cluster exists here, so the cluster's part is played by the rendered
// manifests and the real PostgreSQL: chart version 1 and version 2 (tests/chart/fixtures/v2) are rendered with the
// real Helm 3 and Helm 4 through capstan-postrender, and the hook Jobs' REAL command lines (args and env taken from
// the rendered Jobs, mount paths mapped to local directories by tests/chart/manifest_tool.py; the Service host name
// mapped to the test server) run against the test PostgreSQL and a directory standing in for the shared volume:
// install (migrate v1), the app writes data, upgrade (backup, migrate v1 -> v2; the app pods' wait-for condition holds
// only once the schema is recent enough, checked with `capstan wait`), the new version writes data and
// fails, rollback (the v1 revision's pre-rollback restore Job); the database and the folder must be exactly as they
// were before the upgrade. Each step names the Job and the command line that failed.
#include <catch2/catch.hpp>

#include <algorithm>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "chart_testing.h"

using namespace capstan;
using namespace capstan::test::chart;
using capstan::test::ProcessOptions;
using capstan::test::ProcessResult;
using capstan::test::TempDir;

namespace {

namespace fs = std::filesystem;
const std::string kPrefix = "portal-example-portal-";

struct Cluster {
  std::map<std::string, std::string> pg = test::PgEnv();
  std::string db;
  TempDir root;  // shared volume, backup volume, per-Job volumes
  std::string Shared() const { return root.path() + "/shared"; }
  std::string Backups() const { return root.path() + "/backups"; }

  // Environment for psql/pg_dump run by the test itself (verified TLS, like the hooks).
  std::map<std::string, std::string> PgClientEnv() const {
    auto env = pg;
    env["PGDATABASE"] = db;
    env["PGSSLMODE"] = "verify-full";
    env["PGSSLROOTCERT"] = pg.at("CAPSTAN_TEST_PG_CA");
    return env;
  }
};

ProcessResult Psql(const Cluster& c, const std::string& sql, const std::string& dbname = "") {
  ProcessOptions o;
  o.env = c.PgClientEnv();
  if (!dbname.empty()) o.env["PGDATABASE"] = dbname;
  return test::Run({c.pg.at("PG_BIN") + "/psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql}, o);
}

void RequirePsql(const Cluster& c, const std::string& sql) {
  auto r = Psql(c, sql);
  INFO("psql -c " << sql << "\n" << r.err);
  REQUIRE(r.exit_code == 0);
}

// The database as pg_dump sees it (schema, data, sequences, the migration history).
std::string DbState(const Cluster& c) {
  ProcessOptions o;
  o.env = c.PgClientEnv();
  auto r = test::Run({c.pg.at("PG_BIN") + "/pg_dump", "--no-owner", "--no-privileges"}, o);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  // pg_dump >= 15.14 brackets its output with \restrict/\unrestrict and a random key: not part of the state.
  std::istringstream in(r.out);
  std::string line, out;
  while (std::getline(in, line))
    if (line.rfind("\\restrict ", 0) != 0 && line.rfind("\\unrestrict ", 0) != 0) out += line + "\n";
  return out;
}

// Every entry of the folder: relative path, type, permission bits and content.
std::map<std::string, std::string> FolderState(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    std::string rel = fs::relative(e.path(), dir).string();
    auto st = e.symlink_status();
    std::string desc = std::to_string(static_cast<int>(st.permissions()));
    if (fs::is_symlink(st)) {
      desc += " symlink " + fs::read_symlink(e.path()).string();
    } else if (fs::is_directory(st)) {
      desc += " dir";
    } else {
      desc += " file " + test::Slurp(e.path().string());
    }
    out[rel] = desc;
  }
  return out;
}

// Runs hook Job `job` of the rendered `stream` as the pod would: the image's entrypoint is `capstan`.
// revision: as Helm renders .Release.Revision for that revision (helm template always renders 1), the value given
// to the Job's --revision.
void RunJob(const Cluster& c, const std::string& step, const std::string& stream, const std::string& job,
            int want_exit = 0, const std::string& revision = "") {
  TempDir work;
  std::string file = work.Write("stream.yaml", stream);
  auto tool_env = c.pg;
  auto t = ManifestTool({"job", file, job, work.path() + "/volumes", "--pvc", kPrefix + "shared=" + c.Shared(), "--pvc",
                         kPrefix + "backups=" + c.Backups()},
                        tool_env);
  INFO("step '" << step << "': reading Job " << job << " from the rendered manifest: " << t.err);
  REQUIRE(t.exit_code == 0);
  std::vector<std::string> argv = {test::Binary("capstan")};
  ProcessOptions o;
  std::istringstream in(t.out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("ARG\t", 0) == 0) argv.push_back(line.substr(4));
    if (line.rfind("ENV\t", 0) == 0) {
      auto eq = line.find('=');
      o.env[line.substr(4, eq - 4)] = line.substr(eq + 1);
    }
  }
  REQUIRE(argv.size() > 1);
  if (!revision.empty()) {
    auto it = std::find(argv.begin(), argv.end(), "--revision");
    REQUIRE(it + 1 < argv.end());
    *(it + 1) = revision;
  }
  // In the pod the shared folder is a mounted PVC, which restore accepts in place; its local stand-in is not a
  // mount point, so the rehearsal names it explicitly (restore refuses unmounted directories without --dir-map).
  if (argv[1] == "restore") argv.insert(argv.end(), {"--dir-map", c.Shared() + "=" + c.Shared()});
  // The cluster's Service name is the test server; everything else is the Job's own.
  o.env["PGHOST"] = c.pg.at("PGHOST");
  o.env["PGPORT"] = c.pg.at("PGPORT");
  o.env["PG_BIN"] = c.pg.at("PG_BIN");  // pg_dump/pg_restore, as the backup image's PG_BIN
  o.unset_env = {"PGPASSWORD", "PGPASSFILE", "KUBERNETES_SERVICE_HOST"};  // the password comes from the file
  o.timeout = std::chrono::minutes(3);
  auto r = test::Run(argv, o);
  std::ostringstream cmd;
  for (const auto& [k, v] : o.env) cmd << k << '=' << v << ' ';
  for (const auto& a : argv) cmd << a << ' ';
  INFO("step '" << step << "' (Job " << job << ") failed:\n  " << cmd.str() << "\nexit " << r.exit_code
                << "\nstdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE(r.exit_code == want_exit);
}

// The condition the app pods wait for (capstan.dev/wait-for, run by the init container the post-renderer injects),
// checked with `capstan wait` against the test server: the Service name becomes the test server's address and the
// Secret's mount path a local copy of the password and CA.
int WaitForApp(const Cluster& c, const std::string& stream) {
  TempDir work;
  auto a = ManifestTool({"annotation", work.Write("stream.yaml", stream), "StatefulSet/" + kPrefix + "app",
                         "capstan.dev/wait-for"});
  INFO(a.err);
  REQUIRE(a.exit_code == 0);
  std::string cond = a.out.substr(0, a.out.find_last_not_of('\n') + 1);
  const std::string service = kPrefix + "postgresql:5432";
  REQUIRE(cond.find(service) != std::string::npos);
  cond.replace(cond.find(service), service.size(), c.pg.at("PGHOST") + ":" + c.pg.at("PGPORT"));
  for (size_t at; (at = cond.find("/secrets/db/")) != std::string::npos;)
    cond.replace(at, 12, work.path() + "/secret/");
  work.Write("secret/password", c.pg.at("PGPASSWORD") + "\n");
  work.Write("secret/ca.crt", test::Slurp(c.pg.at("CAPSTAN_TEST_PG_CA")));
  ProcessOptions o;
  o.unset_env = {"PGPASSWORD", "PGPASSFILE", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "KUBERNETES_SERVICE_HOST"};
  auto r = test::Run({test::Binary("capstan"), "wait", "--timeout", "3s", cond}, o);
  INFO("capstan wait --timeout 3s '" << cond << "'\nexit " << r.exit_code << ": " << r.err);
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));
  return r.exit_code;
}

void WriteFile(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

}  // namespace

TEST_CASE("upgrade rehearsal: backup, migrate v1 -> v2, failed upgrade, restore on rollback") {
  V2Chart v2;
  for (int helm : {3, 4}) {
    DYNAMIC_SECTION("helm " << helm) {
      Cluster c;
      c.db = "rehearsal_" + std::to_string(getpid()) + "_h" + std::to_string(helm);
      fs::create_directories(c.Shared());
      fs::create_directories(c.Backups());
      {
        auto r = Psql(c, "DROP DATABASE IF EXISTS " + c.db + "; ", "postgres");
        REQUIRE(r.exit_code == 0);
        r = Psql(c, "CREATE DATABASE " + c.db, "postgres");
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
      }
      HelmHome home(helm);
      RenderOptions o1;
      o1.values = {ValuesDir() + "/custom_values.yaml", EnvFile("staging")};
      o1.set = {"database.name=" + c.db, "database.user=" + c.pg.at("PGUSER"), "database.sslmode=verify-full",
                "database.caSecret=test-ca"};
      RenderOptions o2 = o1;
      o2.chart = v2.dir();
      o2.values.insert(o2.values.begin(), V2Values());
      const std::string v1 = Render(home, o1);
      const std::string v2_stream = Render(home, o2);

      // Install v1: its migration (post-install with the in-cluster database).
      RunJob(c, "install v1: migrate", v1, kPrefix + "migrate");
      // The app servers write content: database rows and files in the portal folder.
      RequirePsql(c,
                  "INSERT INTO portal_user (login) VALUES ('ada'), ('grace');"
                  "INSERT INTO page (path, title, author_id) VALUES ('/', 'Home', 1), ('/news', 'News', 2);");
      WriteFile(c.Shared() + "/document_library/1/home.html", "<h1>Home</h1>\n");
      WriteFile(c.Shared() + "/document_library/2/news.html", "<h1>News</h1>\n");
      WriteFile(c.Shared() + "/deploy/theme.war", std::string(200000, 'w'));
      fs::create_symlink("document_library/1/home.html", c.Shared() + "/index.html");
      const std::string db_before = DbState(c);
      const auto folder_before = FolderState(c.Shared());

      // The v1 app pods may start; v2's would wait (they need schema version 2).
      CHECK(WaitForApp(c, v1) == 0);
      CHECK(WaitForApp(c, v2_stream) == 1);

      // Upgrade to v2: pre-upgrade backup, then the migration to schema version 2.
      RunJob(c, "upgrade v2: backup", v2_stream, kPrefix + "backup", 0, "2");  // revision 2 is being installed
      RunJob(c, "upgrade v2: migrate v1 -> v2", v2_stream, kPrefix + "migrate");
      CHECK(WaitForApp(c, v2_stream) == 0);  // now the v2 app pods start
      {
        auto r = Psql(c, "SELECT count(*) FROM page_revision; SELECT max(version) FROM capstan_schema_history");
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(r.out == "2\n2\n");
      }
      // The v2 app servers start, write data and change the folder; then the upgrade fails (verify).
      RequirePsql(c,
                  "INSERT INTO page (path, title, tags) VALUES ('/v2', 'Only in v2', '{new}');"
                  "UPDATE page SET title = 'Home v2' WHERE path = '/';"
                  "DELETE FROM page WHERE path = '/news';");
      WriteFile(c.Shared() + "/document_library/1/home.html", "<h1>Home v2</h1>\n");
      WriteFile(c.Shared() + "/document_library/3/v2.html", "v2\n");
      fs::remove(c.Shared() + "/deploy/theme.war");
      REQUIRE(DbState(c) != db_before);
      REQUIRE(FolderState(c.Shared()) != folder_before);

      // helm rollback runs the pre-rollback hooks of the revision rolled back TO: v1's restore Job, rendered for
      // revision 1 (restore --for-rollback-to 1: the point taken by the upgrade away from 1).
      RunJob(c, "rollback to v1: restore --for-rollback-to 1", v1, kPrefix + "restore");
      CHECK(DbState(c) == db_before);
      CHECK(FolderState(c.Shared()) == folder_before);

      // After the rollback the v1 migration Job finds nothing to do, and changes nothing.
      RunJob(c, "after rollback: migrate v1 again", v1, kPrefix + "migrate");
      CHECK(DbState(c) == db_before);

      Psql(c, "DROP DATABASE IF EXISTS " + c.db + " WITH (FORCE)", "postgres");
    }
  }
}
