// Encrypted restore points, without PostgreSQL: CreateBackup with --encryption-key-file writes only ciphertext and
// records the key id; verify and restore refuse a missing or wrong key (and a key for an unencrypted point) before
// reading anything; the manifest's seal is an HMAC under the key, so a manifest edited and resealed with sha256sum
// is refused; a changed byte of an artifact is reported as corruption; the right key restores the exact tree.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>

#include "backup/crypt_key.h"
#include "backup/crypt_stream.h"
#include "backup/engine.h"
#include "backup/manifest_seal.h"
#include "backup/tree_compare.h"
#include "log/log.h"
#include "support/test_support.h"
#include "util/error.h"
#include "util/file_io.h"

using namespace capstan;
using namespace capstan::backup;
namespace fs = std::filesystem;
using capstan::test::WriteBytes;

namespace {

const std::string kMarker = "plain-text-that-must-never-reach-the-store";

struct EncryptedPoint {
  test::TempDir t;
  std::string data, root, id, dir, key, other_key;
  EncryptedPoint() {
    log::Options lo;
    lo.level = log::Level::kOff;
    log::Configure(lo);
    data = t.path() + "/data";
    root = t.path() + "/backups";
    key = t.path() + "/key";
    other_key = t.path() + "/other-key";
    ::mkdir(data.c_str(), 0755);
    ::mkdir((data + "/sub").c_str(), 0755);
    std::string big;
    for (int i = 0; i < 20000; ++i) big += kMarker + " " + std::to_string(i) + "\n";
    WriteBytes(data + "/sub/notes.txt", big, 0644);
    WriteBytes(data + "/config.xml", "<a>" + kMarker + "</a>\n", 0600);
    WriteBytes(key, std::string(64, 'a') + "\n", 0600);  // 64 hex digits
    WriteBytes(other_key, std::string(64, 'b') + "\n", 0600);
    BackupOptions o;
    o.root = root;
    o.dirs = {data};
    o.database = false;
    o.encryption_key_file = key;
    id = CreateBackup(o).manifest.id;
    dir = root + "/" + id;
  }
  StoreOptions Store(const std::string& key_file) const {
    StoreOptions s;
    s.root = root;
    s.encryption_key_file = key_file;
    return s;
  }
  RestoreOptions Restore(const std::string& key_file) const {
    RestoreOptions r;
    static_cast<StoreOptions&>(r) = Store(key_file);
    r.id = id;
    r.database = false;
    r.dir_map = {{data, data}};
    return r;
  }
};

}  // namespace

TEST_CASE("an encrypted restore point holds no plain bytes and records the key id") {
  EncryptedPoint p;
  Manifest m = VerifyPoint(p.Store(p.key), p.id, "").manifest;
  REQUIRE(m.artifacts.size() == 1);
  CHECK(m.encryption_key_id == KeyId(LoadKeyFile(p.key)));
  std::string stored = ReadFile(p.dir + "/" + m.artifacts[0].name);
  CHECK(LooksEncrypted(stored.substr(0, 16)));
  CHECK(stored.find(kMarker) == std::string::npos);
  CHECK(ReadFile(p.dir + "/manifest.json").find(m.encryption_key_id) != std::string::npos);
  CHECK(ReadFile(p.dir + "/manifest.json").find(std::string(64, 'a')) == std::string::npos);  // never the key
}

TEST_CASE("verify and restore refuse a missing, wrong or unexpected key before changing anything") {
  EncryptedPoint p;
  WriteBytes(p.data + "/config.xml", "<changed/>\n", 0600);
  CHECK_THROWS_AS(VerifyPoint(p.Store(""), p.id, ""), UsageError);
  CHECK_THROWS_WITH(VerifyPoint(p.Store(""), p.id, ""), Catch::Contains("is encrypted (key id sha256:"));
  CHECK_THROWS_AS(VerifyPoint(p.Store(p.other_key), p.id, ""), WrongKeyError);
  CHECK_THROWS_AS(backup::Restore(p.Restore("")), UsageError);
  CHECK_THROWS_AS(backup::Restore(p.Restore(p.other_key)), WrongKeyError);
  CHECK(ReadFile(p.data + "/config.xml") == "<changed/>\n");

  // A key given for a restore point made without one is refused as well.
  BackupOptions plain;
  plain.root = p.root;
  plain.dirs = {p.data};
  plain.database = false;
  std::string plain_id = CreateBackup(plain).manifest.id;
  CHECK_THROWS_WITH(VerifyPoint(p.Store(p.key), plain_id, ""), Catch::Contains("is not encrypted"));
  CHECK_NOTHROW(VerifyPoint(p.Store(""), plain_id, ""));
}

TEST_CASE("the right key restores the exact tree") {
  EncryptedPoint p;
  auto before = test::Tree(p.data);
  WriteBytes(p.data + "/config.xml", "<changed/>\n", 0600);
  WriteBytes(p.data + "/extra", "x", 0600);
  auto r = backup::Restore(p.Restore(p.key));
  REQUIRE(r.steps.size() == 1);
  CHECK(test::Tree(p.data) == before);
}

TEST_CASE("an encrypted point's seal is an HMAC under the key: sha256sum cannot reseal an edited manifest") {
  EncryptedPoint p;
  std::string text = ReadFile(p.dir + "/manifest.json");
  auto at = text.find("\"" + p.data + "\"");
  REQUIRE(at != std::string::npos);
  std::string edited = text;
  edited.replace(at, p.data.size() + 2, "\"/etc\"");
  WriteBytes(p.dir + "/manifest.json", edited, 0644);
  fs::remove(p.dir + "/" + kManifestSealFile);
  WriteBytes(p.dir + "/" + kManifestSealFile, SealText(edited), 0644);  // what sha256sum writes
  CHECK_THROWS_WITH(VerifyPoint(p.Store(p.key), p.id, ""), Catch::Contains("does not match its seal"));
  CHECK_THROWS_WITH(backup::Restore(p.Restore(p.key)), Catch::Contains("does not match its seal"));
  // Sealed with the key (only its holder can), the edited manifest is trusted: the seal is what binds it.
  Key k = LoadKeyFile(p.key);
  fs::remove(p.dir + "/" + kManifestSealFile);
  WriteBytes(p.dir + "/" + kManifestSealFile, SealText(edited, &k), 0644);
  CHECK_NOTHROW(VerifyPoint(p.Store(p.key), p.id, ""));
}

TEST_CASE("a changed byte of an encrypted artifact is reported as corruption") {
  EncryptedPoint p;
  Manifest m = VerifyPoint(p.Store(p.key), p.id, "").manifest;
  std::string path = p.dir + "/" + m.artifacts[0].name;
  std::string bytes = ReadFile(path);
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x20);
  fs::remove(path);
  WriteBytes(path, bytes, 0600);
  CHECK_THROWS_WITH(VerifyPoint(p.Store(p.key), p.id, ""), Catch::Contains("does not match the manifest's"));
  CHECK_THROWS_WITH(backup::Restore(p.Restore(p.key)), Catch::Contains("corrupt"));
}
