#include <catch2/catch.hpp>

#include <map>

#include "net/httplib.h"
#include "s3/config.h"
#include "s3/credentials.h"
#include "support/test_support.h"
#include "util/error.h"

namespace capstan::s3 {
namespace {

Env MapEnv(std::map<std::string, std::string> m) {
  return [m](const std::string& k) -> std::optional<std::string> {
    auto it = m.find(k);
    if (it == m.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };
}

template <class E>
std::string Message(const std::function<void()>& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("S3 config from the environment", "[s3][config]") {
  std::map<std::string, std::string> creds = {{"AWS_ACCESS_KEY_ID", "AKIAEXAMPLE1234"},
                                              {"AWS_SECRET_ACCESS_KEY", "secret"}};
  SECTION("AWS defaults: virtual-hosted, us-east-1") {
    Config c = FromEnvironment({}, MapEnv(creds));
    CHECK(c.endpoint == "https://s3.us-east-1.amazonaws.com");
    CHECK(c.region == "us-east-1");
    CHECK_FALSE(c.path_style);
    CHECK(c.port == 443);
  }
  SECTION("region from AWS_REGION, then AWS_DEFAULT_REGION") {
    auto env = creds;
    env["AWS_DEFAULT_REGION"] = "eu-west-1";
    CHECK(FromEnvironment({}, MapEnv(env)).region == "eu-west-1");
    env["AWS_REGION"] = "eu-central-1";
    Config c = FromEnvironment({}, MapEnv(env));
    CHECK(c.region == "eu-central-1");
    CHECK(c.endpoint == "https://s3.eu-central-1.amazonaws.com");
  }
  SECTION("an endpoint means path-style; AWS_ENDPOINT_URL_S3 wins") {
    auto env = creds;
    env["AWS_ENDPOINT_URL"] = "https://minio.example:9000/";
    Config c = FromEnvironment({}, MapEnv(env));
    CHECK(c.endpoint == "https://minio.example:9000");
    CHECK(c.host == "minio.example");
    CHECK(c.port == 9000);
    CHECK(c.path_style);
    env["AWS_ENDPOINT_URL_S3"] = "https://ceph.example";
    CHECK(FromEnvironment({}, MapEnv(env)).host == "ceph.example");
  }
  SECTION("AWS_S3_FORCE_PATH_STYLE and AWS_CA_BUNDLE") {
    auto env = creds;
    env["AWS_S3_FORCE_PATH_STYLE"] = "true";
    env["AWS_CA_BUNDLE"] = "/etc/ca.pem";
    Config c = FromEnvironment({}, MapEnv(env));
    CHECK(c.path_style);
    CHECK(c.ca_bundle == "/etc/ca.pem");
    env["AWS_S3_FORCE_PATH_STYLE"] = "maybe";
    CHECK_THAT(Message<UsageError>([&] { FromEnvironment({}, MapEnv(env)); }), Catch::Contains("neither true nor false"));
  }
  SECTION("plain HTTP only on loopback") {
    auto env = creds;
    env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9000";
    CHECK(FromEnvironment({}, MapEnv(env)).scheme == "http");
    env["AWS_ENDPOINT_URL"] = "http://minio.example:9000";
    CHECK_THAT(Message<UsageError>([&] { FromEnvironment({}, MapEnv(env)); }), Catch::Contains("use https://"));
    env["AWS_ENDPOINT_URL"] = "minio.example";
    CHECK_THAT(Message<UsageError>([&] { FromEnvironment({}, MapEnv(env)); }), Catch::Contains("no scheme"));
    env["AWS_ENDPOINT_URL"] = "https://h:99999";
    CHECK_THAT(Message<UsageError>([&] { FromEnvironment({}, MapEnv(env)); }), Catch::Contains("bad port"));
    env["AWS_ENDPOINT_URL"] = "https://h/path";
    CHECK_THAT(Message<UsageError>([&] { FromEnvironment({}, MapEnv(env)); }), Catch::Contains("path"));
  }
}

TEST_CASE("S3 credentials: sources in order, secrets never described", "[s3][credentials]") {
  test::TempDir dir;
  SECTION("the environment") {
    auto p = ResolveCredentials({}, MapEnv({{"AWS_ACCESS_KEY_ID", "AKIAEXAMPLEWXYZ"},
                                           {"AWS_SECRET_ACCESS_KEY", "topsecret"},
                                           {"AWS_SESSION_TOKEN", "tok"}}));
    Credentials c = p->Get();
    CHECK(c.session_token == "tok");
    CHECK(c.Describe() == "key id ...WXYZ from the environment (AWS_ACCESS_KEY_ID)");
    CHECK(c.Describe().find("topsecret") == std::string::npos);
    CHECK_THAT(Message<UsageError>([&] { ResolveCredentials({}, MapEnv({{"AWS_ACCESS_KEY_ID", "x"}})); }),
               Catch::Contains("AWS_SECRET_ACCESS_KEY is not"));
  }
  SECTION("a mounted Secret directory wins, trailing newline trimmed, re-read") {
    dir.Write("access-key-id", "AKIADIR00001\n");
    dir.Write("secret-access-key", "s3cr3t\r\n");
    auto p = ResolveCredentials({dir.path(), "", ""}, MapEnv({{"AWS_ACCESS_KEY_ID", "env"},
                                                             {"AWS_SECRET_ACCESS_KEY", "env"}}));
    Credentials c = p->Get();
    CHECK(c.access_key_id == "AKIADIR00001");
    CHECK(c.secret_access_key == "s3cr3t");
    CHECK(c.session_token.empty());
    CHECK_THAT(c.source, Catch::Contains("--s3-credentials-dir"));
    dir.Write("access-key-id", "AKIADIR00002");
    CHECK(p->Get().access_key_id == "AKIADIR00002");
    test::TempDir empty;
    CHECK_THAT(Message<UsageError>([&] { ResolveCredentials({empty.path(), "", ""}, MapEnv({})); }),
               Catch::Contains("has no file 'access-key-id'"));
  }
  SECTION("the shared credentials file and AWS_PROFILE") {
    std::string file = dir.Write("credentials",
                                 "[default]\naws_access_key_id = AKIADEFAULT1\naws_secret_access_key = d\n\n"
                                 "# comment\n[backup]\naws_access_key_id=AKIABACKUP22\naws_secret_access_key=b\n"
                                 "aws_session_token = t\n");
    auto c = ResolveCredentials({}, MapEnv({{"AWS_SHARED_CREDENTIALS_FILE", file}}))->Get();
    CHECK(c.access_key_id == "AKIADEFAULT1");
    c = ResolveCredentials({}, MapEnv({{"AWS_SHARED_CREDENTIALS_FILE", file}, {"AWS_PROFILE", "backup"}}))->Get();
    CHECK(c.access_key_id == "AKIABACKUP22");
    CHECK(c.session_token == "t");
    CHECK_THAT(c.source, Catch::Contains("[backup]"));
    CHECK_THAT(Message<UsageError>([&] {
                 ResolveCredentials({}, MapEnv({{"AWS_SHARED_CREDENTIALS_FILE", file}, {"AWS_PROFILE", "nope"}}));
               }),
               Catch::Contains("no profile [nope]"));
  }
  SECTION("none configured: exit 3 naming what was tried") {
    std::string msg = Message<PreconditionError>(
        [&] { ResolveCredentials({}, MapEnv({{"AWS_SHARED_CREDENTIALS_FILE", dir.path() + "/none"}})); });
    CHECK_THAT(msg, Catch::Contains("no S3 credentials found") && Catch::Contains("AWS_ACCESS_KEY_ID"));
  }
}

TEST_CASE("S3 credentials: web identity through STS, renewed before expiry", "[s3][credentials]") {
  test::TempDir dir;
  std::string token_file = dir.Write("token", "jwt-1\n");
  httplib::Server sts;
  int calls = 0;
  std::string seen_token, seen_role;
  long long expiry_offset = 3600;
  sts.Post("/", [&](const httplib::Request& req, httplib::Response& res) {
    ++calls;
    seen_token = req.get_param_value("WebIdentityToken");
    seen_role = req.get_param_value("RoleArn");
    if (req.get_param_value("Action") != "AssumeRoleWithWebIdentity") {
      res.status = 400;
      return;
    }
    std::time_t exp = std::time(nullptr) + static_cast<std::time_t>(expiry_offset);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&exp));
    res.set_content("<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
                    "<AccessKeyId>ASIASTS0000" + std::to_string(calls) + "</AccessKeyId><SecretAccessKey>sk"
                    "</SecretAccessKey><SessionToken>st</SessionToken><Expiration>" + std::string(buf) +
                    "</Expiration></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>",
                    "text/xml");
  });
  int port = sts.bind_to_any_port("127.0.0.1");
  std::thread t([&] { sts.listen_after_bind(); });
  while (!sts.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  auto env = MapEnv({{"AWS_WEB_IDENTITY_TOKEN_FILE", token_file},
                     {"AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/backup"},
                     {"AWS_STS_ENDPOINT_URL", "http://127.0.0.1:" + std::to_string(port)}});
  auto p = ResolveCredentials({}, env);
  Credentials c = p->Get();
  CHECK(c.access_key_id == "ASIASTS00001");
  CHECK(c.session_token == "st");
  CHECK(seen_token == "jwt-1");
  CHECK(seen_role == "arn:aws:iam::123456789012:role/backup");
  CHECK_THAT(c.source, Catch::Contains("web identity"));
  p->Get();
  CHECK(calls == 1);  // still valid: cached
  SECTION("renewed (with the token file re-read) when close to expiry") {
    expiry_offset = 60;  // the next credentials expire within five minutes: every Get renews
    dir.Write("token", "jwt-2");
    auto p2 = ResolveCredentials({}, env);
    p2->Get();
    p2->Get();
    CHECK(calls == 3);
    CHECK(seen_token == "jwt-2");
  }
  sts.stop();
  t.join();
}

}  // namespace capstan::s3
