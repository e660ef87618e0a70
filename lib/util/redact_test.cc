// RedactSecrets: every credential form a message can carry is hidden, ordinary text is left alone.
#include <catch2/catch.hpp>

#include "log/log.h"
#include "util/redact.h"

using capstan::RedactSecrets;
using capstan::RegisterSecret;

TEST_CASE("URL userinfo passwords are hidden, the user name stays") {
  CHECK(RedactSecrets("postgres://app:PASSWORD@host/db") == "postgres://app:***@host/db");
  CHECK(RedactSecrets("condition 'postgresql://app:p%40ss@db:5432/x?sslmode=require' is bad") ==
        "condition 'postgresql://app:***@db:5432/x?sslmode=require' is bad");
  CHECK(RedactSecrets("https://u:tok@a.example/p and http://v:w@b/") == "https://u:***@a.example/p and http://v:***@b/");
  // No password: nothing to hide.
  CHECK(RedactSecrets("postgres://app@host/db") == "postgres://app@host/db");
  CHECK(RedactSecrets("http://127.0.0.1:8080/healthz") == "http://127.0.0.1:8080/healthz");
}

TEST_CASE("key=value credentials in DSNs, query strings, flags and JSON are hidden") {
  CHECK(RedactSecrets("host=db password=hunter22 user=app") == "host=db password=*** user=app");
  CHECK(RedactSecrets("host=db password = 'two words' user=app") == "host=db password = '***' user=app");
  CHECK(RedactSecrets("postgres://db/x?sslmode=require&password=hunter22&x=1") ==
        "postgres://db/x?sslmode=require&password=***&x=1");
  CHECK(RedactSecrets("PGPASSWORD=hunter22 psql") == "PGPASSWORD=*** psql");
  CHECK(RedactSecrets("unknown flag --password=hunter22") == "unknown flag --password=***");
  CHECK(RedactSecrets("{\"token\":\"abc.def\",\"kind\":\"x\"}") == "{\"token\":\"***\",\"kind\":\"x\"}");
  CHECK(RedactSecrets("client_secret=s3cr3t&grant=x") == "client_secret=***&grant=x");
  // Names that only contain a credential word are not credentials.
  CHECK(RedactSecrets("password-file=/secrets/pg token_file=/var/run/t timeout=5s") ==
        "password-file=/secrets/pg token_file=/var/run/t timeout=5s");
  CHECK(RedactSecrets("use password-file=FILE, PGPASSWORD or PGPASSFILE") ==
        "use password-file=FILE, PGPASSWORD or PGPASSFILE");
  CHECK(RedactSecrets("cannot read the bearer token file /t: missing") ==
        "cannot read the bearer token file /t: missing");
}

TEST_CASE("Authorization headers and bearer tokens are hidden, the scheme stays") {
  CHECK(RedactSecrets("echo: Authorization: Bearer abcdef123456") == "echo: Authorization: Bearer ***");
  CHECK(RedactSecrets("authorization: Basic dXNlcjpwYXNz\nnext") == "authorization: Basic ***\nnext");
  CHECK(RedactSecrets("{\"Authorization\":\"Bearer abcdef123456\"}") == "{\"Authorization\":\"Bearer ***\"}");
  CHECK(RedactSecrets("headers map[Authorization:[Bearer sha256~xyzxyzxyz]]") ==
        "headers map[Authorization:[Bearer ***]]");
  CHECK(RedactSecrets("sent bearer abc123def456") == "sent bearer ***");
  // Prose about authorization is not a header.
  CHECK(RedactSecrets("authorization: the API server denied it") == "authorization: the API server denied it");
}

TEST_CASE("JSON Web Tokens are hidden wherever they appear") {
  std::string jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJl";
  CHECK(RedactSecrets("token " + jwt + " rejected") == "token *** rejected");
}

TEST_CASE("registered secrets are hidden in any context, and redaction is idempotent") {
  RegisterSecret("opaque-static-token-42");
  RegisterSecret("abc");  // too short to register: would hide ordinary words
  CHECK(RedactSecrets("server said: you sent opaque-static-token-42!") == "server said: you sent ***!");
  CHECK(RedactSecrets("abc") == "abc");
  std::string once = RedactSecrets("postgres://a:b@h/d password=x Authorization: Bearer tttttt");
  CHECK(RedactSecrets(once) == once);
}

TEST_CASE("the logger redacts messages and field values in text and JSON") {
  using namespace capstan::log;
  std::string text = FormatLine(Format::kText, Level::kError, "cannot use postgres://app:PW123@h/db",
                                {{"header", "Authorization: Bearer tok123456"}}, false);
  CHECK(text.find("PW123") == std::string::npos);
  CHECK(text.find("tok123456") == std::string::npos);
  CHECK(text.find("postgres://app:***@h/db") != std::string::npos);
  std::string json = FormatLine(Format::kJson, Level::kInfo, "x", {{"url", "https://u:PW123@h/"}}, false);
  CHECK(json.find("PW123") == std::string::npos);
  CHECK(json.find("https://u:***@h/") != std::string::npos);
}
