// The built-in kinds as data (kinds.h): every kind parses and validates without a probe, job: and rollout: included;
// Files() lists the local files a condition reads; the typed fields the probes read; postgres:// URL errors in
// libpq's words (lib/probe/postgres_grammar_test.cc compares them with libpq itself).
#include <catch2/catch.hpp>

#include "wait/kinds.h"

using namespace capstan::wait;

namespace {

std::vector<std::string> FilesOf(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& c : ParseConditionList(text))
    for (const auto& f : c->Files()) out.push_back(f);
  return out;
}

std::string ErrorText(const std::string& text) {
  try {
    ParseConditionList(text);
  } catch (const ConditionError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("Files(): file: targets (decoded), password-file= and ca=, nothing for network-only kinds") {
  CHECK(FilesOf("file:/shared/.capstan/ready") == std::vector<std::string>{"/shared/.capstan/ready"});
  CHECK(FilesOf("file:///a%20b/c (content=x)") == std::vector<std::string>{"/a b/c"});
  CHECK(FilesOf("postgres://app@db:5432/portal (schema>=2, password-file=/secrets/db/password, ca=/secrets/ca/ca.crt)") ==
        std::vector<std::string>{"/secrets/db/password", "/secrets/ca/ca.crt"});
  CHECK(FilesOf("https://solr:8983/solr/admin/ping (expect=OK, ca='/etc/my ca/ca.crt')") ==
        std::vector<std::string>{"/etc/my ca/ca.crt"});
  // Paths in URLs and expect= texts are not local files.
  CHECK(FilesOf("http://web/healthz (expect=/ok), tcp://db:5432, dns:db, postgres://db/app, job:migrate, "
                "rollout:deployment/web") .empty());
}

TEST_CASE("the typed fields a probe reads") {
  auto tcp = ParseCondition("tcp://[::1]:5432");
  REQUIRE(dynamic_cast<TcpCondition*>(tcp.get()));
  CHECK(dynamic_cast<TcpCondition&>(*tcp).address().host == "::1");
  CHECK(dynamic_cast<TcpCondition&>(*tcp).address().port == 5432);
  auto http = ParseCondition("https://h:8443 (expect=UP, ca=/ca.pem)");
  auto& h = dynamic_cast<HttpCondition&>(*http);
  CHECK(h.tls());
  CHECK(h.path() == "/");
  CHECK(h.expect() == "UP");
  CHECK(h.ca() == "/ca.pem");
  CHECK(h.ToArg() == "https://h:8443 (expect=UP, ca=/ca.pem)");
  auto pg = ParseCondition("postgresql://app@db:6432/portal?sslmode=require (schema>=V1_2, table=app.history)");
  auto& p = dynamic_cast<PostgresCondition&>(*pg);
  CHECK(p.kind() == "postgres");
  CHECK(p.spec().url == "postgres://app@db:6432/portal?sslmode=require");
  CHECK(p.spec().host == "db");
  CHECK(p.spec().url_sets_sslmode);
  CHECK(p.spec().min_version == std::optional<std::string>("1.2"));
  CHECK(p.spec().table == "app.history");
  CHECK(p.ToArg() == "postgres://app@db:6432/portal?sslmode=require (schema>=1.2, table=app.history)");
  auto def = ParseCondition("postgres:// (table=capstan_schema_history)");
  CHECK(def->ToArg() == "postgres://");  // the default table is left out of the canonical form
  auto file = ParseCondition("file:/m (content=abc)");
  CHECK(dynamic_cast<FileCondition&>(*file).content() == std::optional<std::string>("abc"));
}

TEST_CASE("job: and rollout: are part of the language: parsed, canonical and validated without Kubernetes") {
  auto job = ParseCondition("job:db-migrate (namespace=shop, timeout=10m)");
  auto& j = dynamic_cast<ApiCondition&>(*job);
  CHECK(j.kind() == "job");
  CHECK(j.api_kind() == "Job");
  CHECK(j.name() == "db-migrate");
  CHECK(j.ns() == "shop");
  CHECK(job->ToArg() == "job:db-migrate (namespace=shop, timeout=10m)");
  for (const char* kind : {"deployment", "Deployment", "deployments", "deploy"}) {
    auto c = ParseCondition(std::string("rollout:") + kind + "/web");
    CHECK(c->ToArg() == "rollout:deployment/web");
    CHECK(dynamic_cast<ApiCondition&>(*c).api_kind() == "Deployment");
  }
  CHECK(ParseCondition("rollout:sts/db")->ToArg() == "rollout:statefulset/db");
  CHECK(ParseCondition("rollout:ds/agent (namespace=kube-system)")->ToArg() ==
        "rollout:daemonset/agent (namespace=kube-system)");
  CHECK_THAT(ErrorText("rollout:replicaset/x"), Catch::Contains("rollout: takes deployment/, statefulset/ or "
                                                                "daemonset/ (got 'replicaset')"));
  CHECK_THAT(ErrorText("rollout:web"), Catch::Contains("expected rollout:KIND/NAME"));
  CHECK_THAT(ErrorText("rollout:deployment/Web"), Catch::Contains("expected a Kubernetes object name after '/'"));
  CHECK_THAT(ErrorText("job:Bad_Name"), Catch::Contains("expected job:NAME with a Kubernetes object name"));
  CHECK_THAT(ErrorText("job:x (namespace=Shop)"), Catch::Contains("namespace= is not a valid namespace name"));
  CHECK_THAT(ErrorText("job:x (namspace=shop)"), Catch::Contains("did you mean 'namespace'"));
  bool listed_job = false, listed_rollout = false;
  for (const auto& [k, summary] : ConditionKinds()) {
    listed_job |= k == "job" && !summary.empty();
    listed_rollout |= k == "rollout" && !summary.empty();
  }
  CHECK(listed_job);
  CHECK(listed_rollout);
}

TEST_CASE("postgres:// URLs are validated without libpq, in libpq's words") {
  CHECK_THAT(ErrorText("postgres://db/x?foo=1"), Catch::Contains("invalid PostgreSQL URL: invalid URI query "
                                                                 "parameter: \"foo\""));
  CHECK_THAT(ErrorText("postgres://[::1/x"), Catch::Contains("matching \"]\" in IPv6 host address"));
  CHECK_THAT(ErrorText("postgres://db/x%zz"), Catch::Contains("invalid percent-encoded token: \"x%zz\""));
  CHECK_THAT(ErrorText("postgres://db/x?password=p"), Catch::Contains("the URL sets password"));
  CHECK_THAT(ErrorText("postgres://db/x?passfile=/p"), Catch::Contains("the URL sets passfile"));
  CHECK_THAT(ErrorText("postgres://app:pw@db/x"), Catch::Contains("a password does not belong in a condition"));
  CHECK_THAT(ErrorText("postgres://db/x (schema>=1..2)"), Catch::Contains("schema>= needs a version"));
  CHECK(ParseCondition("postgres://db/x?ssl=true")->ToArg() == "postgres://db/x?ssl=true");
}

TEST_CASE("this program parses conditions without any probe, checking one then says what is missing") {
  // Nothing in the lib/wait unit tests attaches a probe (the capstan binary does, hooks/probes.cc).
  for (const char* kind : {"tcp", "dns", "http", "https", "file", "postgres", "job", "rollout"}) {
    INFO(kind);
    CHECK_FALSE(HasProbe(kind));
  }
  auto c = ParseCondition("tcp://db:5432");
  std::atomic<bool> stop{false};
  AttemptContext ctx{std::chrono::steady_clock::now() + Millis(100), &stop};
  CHECK_THROWS_WITH(c->Check(ctx), Catch::Contains("cannot check tcp://db:5432: no probe is attached for tcp:"));
}
