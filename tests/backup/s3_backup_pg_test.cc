// capstan backup / list / verify / prune / restore against a real S3 server (s3rver over TLS, tests/s3) with the
// PostgreSQL harness: the dump and the archive stream into the bucket, encrypted; Debian's aws CLI lists and reads
// what Capstan wrote; a restore from the bucket brings the database and the files back; kill -9 mid-upload leaves
// nothing complete-looking and the next run waits for the dead run's lock to expire, cleans up and completes; refused credentials and a missing bucket are exit 3 with a
// message naming them; retention deletes whole restore points from the bucket.
#include <chrono>
#include <thread>

#include "backup/backup_pg_fixture.h"
#include "proc/child_process.h"
#include "s3/s3_test_server.h"

using namespace capstan;
using namespace capstan::test;
using namespace capstan::test::backup_pg;

namespace {

struct S3Env {
  S3rver server{{"backups"}};
  TempDir t;
  std::string key;
  S3Env() {
    key = t.path() + "/backup-key";
    WriteBytes(key, "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=\n", 0600);  // base64 of 32 bytes
  }
  std::map<std::string, std::string> Env() const {
    return {{"AWS_ENDPOINT_URL", server.endpoint()}, {"AWS_CA_BUNDLE", TestCaBundle()}, {"AWS_REGION", "us-east-1"},
            {"AWS_ACCESS_KEY_ID", "S3RVER"},         {"AWS_SECRET_ACCESS_KEY", "S3RVER"}};
  }
  std::vector<std::string> Unset() const { return {"AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_WEB_IDENTITY_TOKEN_FILE"}; }
  ProcessResult Aws(std::vector<std::string> args) const {
    std::vector<std::string> argv = {AwsCli(), "--endpoint-url", server.endpoint()};
    argv.insert(argv.end(), args.begin(), args.end());
    ProcessOptions o;
    o.env = Env();
    o.unset_env = Unset();
    return Run(argv, o);
  }
};

std::vector<std::string> With(std::vector<std::string> args, const std::string& root) {
  return Args(std::move(args), root, true);
}

}  // namespace

TEST_CASE("an encrypted backup streams into S3, aws reads it, and a restore from the bucket brings everything back",
          "[pg]") {
  std::string why;
  INFO("scripts/setup.sh installs s3rver and Debian's awscli: " + why);
  REQUIRE((!S3rverScript(&why).empty() && !AwsCli().empty()));
  S3Env s3;
  PgDatabase db("bk_s3");
  {
    auto c = db.Connect();
    Seed(c);
  }
  std::string data = s3.t.path() + "/data";
  MakeFiles(data);
  const std::string root = "s3://backups/portal";
  auto before_db = PlainDump(db);
  auto before_files = Tree(data);
  auto r = db.Capstan(With({"backup", "--dir", data, "--release", "portal", "--revision", "3", "--encryption-key-file",
                            s3.key, "-o", "json"}, root), s3.Env(), s3.Unset());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto out = Json(r.out);
  std::string id = out["manifest"]["id"].GetString();
  CHECK(std::string(out["path"].GetString()) == "s3://backups/portal/" + id);
  CHECK(out["manifest"].HasMember("encryption"));

  // aws lists the restore point's objects, reads the manifest, and the dump in the bucket is not plain.
  auto ls = s3.Aws({"s3", "ls", "--recursive", "s3://backups/portal/"});
  INFO(ls.err);
  REQUIRE(ls.exit_code == 0);
  for (const char* name : {"database.dump", "dir-0-data.tar.gz", "manifest.json", "manifest.json.sha256"})
    CHECK(ls.out.find("portal/" + id + "/" + name) != std::string::npos);
  auto manifest = s3.Aws({"s3", "cp", "s3://backups/portal/" + id + "/manifest.json", "-"});
  REQUIRE(manifest.exit_code == 0);
  CHECK(Json(manifest.out)["id"].GetString() == id);
  auto dump = s3.Aws({"s3", "cp", "s3://backups/portal/" + id + "/database.dump", "-"});
  REQUIRE(dump.exit_code == 0);
  CHECK(dump.out.substr(0, 5) != "PGDMP");
  CHECK(dump.out.substr(0, 8) == "CAPSTENC");

  auto list = db.Capstan(With({"backup", "list", "-o", "text"}, root), s3.Env(), s3.Unset());
  CHECK(list.exit_code == 0);
  CHECK(list.out.find(id) != std::string::npos);
  CHECK(list.out.find("complete*") != std::string::npos);
  auto nokey = db.Capstan(With({"backup", "verify", id}, root), s3.Env(), s3.Unset());
  CHECK(nokey.exit_code == 2);
  CHECK(nokey.err.find("--encryption-key-file") != std::string::npos);
  auto verify = db.Capstan(With({"backup", "verify", "latest", "--encryption-key-file", s3.key}, root), s3.Env(),
                           s3.Unset());
  INFO(verify.err);
  CHECK(verify.exit_code == 0);

  {
    auto c = db.Connect();
    c.Exec("DELETE FROM items WHERE id > 100");
    c.Exec("INSERT INTO notes (body) VALUES ('after the backup')");
  }
  WriteBytes(data + "/config.xml", "<changed/>\n", 0640);
  auto rr = db.Capstan(With({"restore", "--id", id, "--encryption-key-file", s3.key, "--dir-map", data + "=" + data},
                            root), s3.Env(), s3.Unset());
  INFO(rr.err);
  REQUIRE(rr.exit_code == 0);
  CHECK(PlainDump(db) == before_db);
  CHECK(Tree(data) == before_files);
}

TEST_CASE("S3 faults: refused credentials and a missing bucket are exit 3, a kill mid-upload leaves nothing complete",
          "[pg]") {
  std::string why;
  INFO("scripts/setup.sh installs s3rver: " + why);
  REQUIRE(!S3rverScript(&why).empty());
  S3Env s3;
  PgDatabase db("bk_s3f");
  std::string data = s3.t.path() + "/data";
  MakeFiles(data);

  auto env = s3.Env();
  env["AWS_ACCESS_KEY_ID"] = "AKIAWRONGWRONGX1234";
  auto wrong = db.Capstan(With({"backup", "--no-database", "--dir", data}, "s3://backups/x"), env, s3.Unset());
  CHECK(wrong.exit_code == 3);
  CHECK(wrong.err.find("1234") != std::string::npos);  // the key id's end, never the secret
  CHECK(wrong.err.find("S3RVER") == std::string::npos);
  auto nobucket = db.Capstan(With({"backup", "--no-database", "--dir", data}, "s3://no-such-bucket/x"), s3.Env(),
                             s3.Unset());
  CHECK(nobucket.exit_code == 3);
  CHECK(nobucket.err.find("no-such-bucket") != std::string::npos);
  auto bad_url = db.Capstan(With({"backup", "--no-database", "--dir", data}, "s3://Bad_Bucket/x"), s3.Env(), s3.Unset());
  CHECK(bad_url.exit_code == 2);

  // kill -9 while the archive is being uploaded (48 MiB of noise: several 8 MiB parts).
  std::string big = s3.t.path() + "/big";
  ::mkdir(big.c_str(), 0755);
  std::string noise = Noise(48 << 20);
  WriteBytes(big + "/noise", noise);
  noise.clear();
  const std::string root = "s3://backups/killed";
  proc::ChildOptions o;
  o.argv = With({Binary("capstan"), "backup", "--no-database", "--dir", big}, root);
  auto env10 = s3.Env();
  env10["CAPSTAN_S3_LOCK_TTL"] = "10";
  for (const auto& [k, v] : env10) o.set_env.push_back(k + "=" + v);
  proc::Child child(o);
  // Killed once the first parts reached the server (s3rver keeps them under its data directory).
  bool uploading = false;
  for (int i = 0; i < 600 && !uploading; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto ls = Run({"sh", "-c", "du -sk " + s3.server.data_dir() + " | cut -f1"});
    uploading = std::atoll(ls.out.c_str()) > 12 * 1024;
  }
  REQUIRE(uploading);
  child.Kill();
  CHECK(child.Wait() == 128 + 9);
  auto list = db.Capstan(With({"backup", "list", "-o", "json"}, root), s3.Env(), s3.Unset());
  REQUIRE(list.exit_code == 0);
  auto listed = Json(list.out);  // kept alive for the loop (a temporary's members would dangle)
  for (const auto& p : listed["restore_points"].GetArray()) CHECK(std::string(p["state"].GetString()) == "incomplete");
  auto rr = db.Capstan(With({"restore", "--id", "latest", "--no-database", "--dry-run"}, root), s3.Env(), s3.Unset());
  CHECK(rr.exit_code == 1);
  CHECK(rr.err.find("no complete restore point") != std::string::npos);
  // The killed run's lock is still there: the next backup (a retried Job) waits for it to expire (10 s here:
  // CAPSTAN_S3_LOCK_TTL), takes it over, removes the leftover objects and completes.
  auto again = db.Capstan(With({"backup", "--no-database", "--dir", data, "-o", "json"}, root), env10, s3.Unset());
  CHECK(again.err.find("waiting for the lock") != std::string::npos);
  CHECK(again.err.find("taking over an expired lock") != std::string::npos);
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  auto after = db.Capstan(With({"backup", "list", "-o", "json"}, root), s3.Env(), s3.Unset());
  auto points = Json(after.out);
  REQUIRE(points["restore_points"].Size() == 1);
  CHECK(std::string(points["restore_points"][0]["state"].GetString()) == "complete");
}

TEST_CASE("retention on the bucket deletes whole restore points, never the newest", "[pg]") {
  std::string why;
  INFO("scripts/setup.sh installs s3rver and Debian's awscli: " + why);
  REQUIRE((!S3rverScript(&why).empty() && !AwsCli().empty()));
  S3Env s3;
  PgDatabase db("bk_s3r");
  std::string data = s3.t.path() + "/data";
  MakeFiles(data);
  const std::string root = "s3://backups/ret";
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    auto r = db.Capstan(With({"backup", "--no-database", "--dir", data, "-o", "json"}, root), s3.Env(), s3.Unset());
    REQUIRE(r.exit_code == 0);
    ids.push_back(Json(r.out)["manifest"]["id"].GetString());
  }
  auto pr = db.Capstan(With({"backup", "prune", "--keep-last", "1", "-o", "json"}, root), s3.Env(), s3.Unset());
  INFO(pr.err);
  REQUIRE(pr.exit_code == 0);
  auto ls = s3.Aws({"s3", "ls", "--recursive", "s3://backups/ret/"});
  REQUIRE(ls.exit_code == 0);
  CHECK(ls.out.find(ids[0] + "/") == std::string::npos);  // ids of one second differ by a suffix: "/" ends them
  CHECK(ls.out.find(ids[1] + "/") == std::string::npos);
  CHECK(ls.out.find(ids[2] + "/manifest.json") != std::string::npos);
}
