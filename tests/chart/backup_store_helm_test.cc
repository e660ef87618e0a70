// hooks.backup.s3 and hooks.backup.encryption of charts/example-portal with the real Helm 3 and 4: by default the
// restore points go to the backups claim; with s3 the backup and pre-rollback restore Jobs take --backup-root
// s3://..., the credentials Secret mounted read-only as --s3-credentials-dir, the endpoint, region and CA bundle as
// AWS_* variables, and no backups claim is created; with encryption both Jobs mount the key Secret and pass
// --encryption-key-file. s3 without a url is refused with a message naming the value.
#include <catch2/catch.hpp>

#include <algorithm>

#include "chart_testing.h"
#include "yaml/tree.h"

using namespace capstan;
using namespace capstan::test::chart;

namespace {

const std::string kPrefix = "portal-example-portal-";

std::string After(const std::vector<std::string>& args, const std::string& flag) {
  auto at = std::find(args.begin(), args.end(), flag);
  return at == args.end() || at + 1 == args.end() ? "" : *(at + 1);
}

std::string EnvValue(const yaml::Node& container, const std::string& name) {
  for (const auto& e : container.Get("env").Items())
    if (e.Get("name").scalar() == name) return std::string(e.Get("value").scalar());
  return "";
}

bool HasVolume(const yaml::Node& pod, const std::string& name) {
  for (const auto& v : pod.Get("volumes").Items())
    if (v.Get("name").scalar() == name) return true;
  return false;
}

}  // namespace

TEST_CASE("chart: restore points in a bucket, encrypted, for the backup and the pre-rollback restore Jobs") {
  HelmHome h3(3), h4(4);
  for (const HelmHome* home : {&h3, &h4}) {
    INFO("helm " << home->helm());
    RenderOptions o;
    o.values = {ValuesDir() + "/custom_values.yaml"};
    o.post_render = home->helm() == 4;
    o.set = {"contentPlatform.enabled=false", "hooks.restoreOnRollback.enabled=true", "database.password=test-only"};
    {
      auto docs = yaml::Tree::ParseAll(Render(*home, o));
      yaml::Node job = FindDoc(docs, "Job", kPrefix + "backup");
      REQUIRE(job);
      auto args = Strings(job.Get("spec").Get("template").Get("spec").Get("containers").At(0).Get("args"));
      CHECK(After(args, "--backup-root") == "/backups");
      CHECK(After(args, "--encryption-key-file").empty());
      CHECK(FindDoc(docs, "PersistentVolumeClaim", kPrefix + "backups"));
    }
    o.set.insert(o.set.end(), {"hooks.backup.s3.enabled=true", "hooks.backup.s3.url=s3://acme-backups/portal/prod",
                               "hooks.backup.s3.endpoint=https://minio.example:9000", "hooks.backup.s3.region=eu-west-1",
                               "hooks.backup.s3.credentialsSecret=portal-s3", "hooks.backup.s3.caSecret=minio-ca",
                               "hooks.backup.encryption.keySecret=portal-backup-key"});
    auto docs = yaml::Tree::ParseAll(Render(*home, o));
    CHECK_FALSE(FindDoc(docs, "PersistentVolumeClaim", kPrefix + "backups"));
    for (const std::string name : {"backup", "restore"}) {
      INFO(name);
      yaml::Node job = FindDoc(docs, "Job", kPrefix + name);
      REQUIRE(job);
      yaml::Node pod = job.Get("spec").Get("template").Get("spec");
      yaml::Node c = pod.Get("containers").At(0);
      auto args = Strings(c.Get("args"));
      CHECK(args.at(0) == name);
      CHECK(After(args, "--backup-root") == "s3://acme-backups/portal/prod");
      CHECK(After(args, "--s3-credentials-dir") == "/secrets/s3");
      CHECK(After(args, "--encryption-key-file") == "/secrets/backup-key/key");
      CHECK(EnvValue(c, "AWS_ENDPOINT_URL") == "https://minio.example:9000");
      CHECK(EnvValue(c, "AWS_REGION") == "eu-west-1");
      CHECK(EnvValue(c, "AWS_CA_BUNDLE") == "/secrets/s3-ca/ca.crt");
      CHECK(HasVolume(pod, "s3-credentials"));
      CHECK(HasVolume(pod, "backup-key"));
      CHECK_FALSE(HasVolume(pod, "backups"));
      for (const auto& m : c.Get("volumeMounts").Items())
        if (m.Get("name").scalar() == "s3-credentials" || m.Get("name").scalar() == "backup-key")
          CHECK(m.Get("readOnly").scalar() == "true");
    }
  }
}

TEST_CASE("chart: hooks.backup.s3.enabled without a url is refused naming the value") {
  HelmHome h3(3), h4(4);
  for (const HelmHome* home : {&h3, &h4}) {
    RenderOptions o;
    o.values = {ValuesDir() + "/custom_values.yaml"};
    o.set = {"hooks.backup.s3.enabled=true", "database.password=test-only"};
    auto r = RenderResult(*home, o);
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("hooks.backup.s3.url") != std::string::npos);
  }
}
