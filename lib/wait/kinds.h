// The built-in condition kinds as data: what a tcp:, dns:, http(s):, file:, postgres: (postgresql:), job: or
// rollout: condition says once its target and options are parsed and validated. Parsing needs no probe, no
// network, no database and no Kubernetes client: the post-renderer validates annotations with this alone.
// Checking a condition is a probe's job, attached by the `capstan` binary (lib/probe for the network and file
// kinds, lib/kube/wait_probes.h for job: and rollout:); a probe downcasts to the class of its kind here.
// One file per kind holds its grammar: tcp_condition.cc, dns_condition.cc, http_condition.cc, file_condition.cc,
// postgres_condition.cc (with postgres_url.cc), api_conditions.cc (job:, rollout:).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wait/condition.h"

namespace capstan::wait {

struct HostPort {
  std::string host;  // without brackets for IPv6
  int port = 0;      // 0: none given
  std::string Format() const;  // "db:5432", "[::1]:80"
};

// tcp://HOST:PORT
class TcpCondition : public Condition {
 public:
  explicit TcpCondition(HostPort hp);
  const HostPort& address() const { return hp_; }
  std::string host() const override { return hp_.host; }

 private:
  HostPort hp_;
};

// dns:NAME (a trailing '.' removed)
class DnsCondition : public Condition {
 public:
  explicit DnsCondition(std::string name);
  const std::string& name() const { return name_; }
  std::string host() const override { return name_; }

 private:
  std::string name_;
};

// http://HOST[:PORT]/PATH and https://... (expect=TEXT, ca=FILE)
class HttpCondition : public Condition {
 public:
  HttpCondition(bool tls, HostPort hp, std::string path, std::string expect, std::string ca);
  bool tls() const { return tls_; }
  const HostPort& address() const { return hp_; }
  const std::string& path() const { return path_; }      // the request path, "/" when none was written
  const std::string& expect() const { return expect_; }  // empty: any 2xx holds
  const std::string& ca() const { return ca_; }          // empty: the system CAs
  std::string host() const override { return hp_.host; }
  std::vector<std::string> Files() const override;

 private:
  bool tls_;
  HostPort hp_;
  std::string path_, expect_, ca_;
};

// file:/PATH (content=TEXT); path() is percent-decoded.
class FileCondition : public Condition {
 public:
  FileCondition(std::string path, std::optional<std::string> content);
  const std::string& path() const { return path_; }
  const std::optional<std::string>& content() const { return content_; }
  std::vector<std::string> Files() const override { return {path_}; }

 private:
  std::string path_;
  std::optional<std::string> content_;
};

// The migration history table postgres: conditions read unless table= names another (the same name as
// migrate::kDefaultHistoryTable; lib/probe checks that they agree at compile time).
inline constexpr std::string_view kDefaultHistoryTable = "capstan_schema_history";

// postgres://[USER@]HOST[:PORT]/DB (schema>=N, table=NAME, password-file=FILE, ca=FILE)
class PostgresCondition : public Condition {
 public:
  struct Spec {
    std::string url;                         // "postgres://...", as written (a postgresql: scheme becomes postgres:)
    std::string host;                        // from the URL, may be empty (PGHOST then applies)
    std::optional<std::string> min_version;  // schema>=: a migration version ("12", "1.2"), '_' shown as '.'
    std::string table = std::string(kDefaultHistoryTable);
    std::string password_file, ca;           // absolute paths or empty
    bool url_sets_sslmode = false;
  };
  explicit PostgresCondition(Spec spec);
  const Spec& spec() const { return spec_; }
  std::string host() const override { return spec_.host; }
  std::vector<std::string> Files() const override;

 private:
  Spec spec_;
};

// job:NAME (namespace=NS) and rollout:KIND/NAME (namespace=NS): a Kubernetes object's state.
class ApiCondition : public Condition {
 public:
  // kind: "job" or "rollout"; api_kind: "Job", "Deployment", "StatefulSet" or "DaemonSet".
  ApiCondition(std::string kind, std::string target, std::string api_kind, std::string name, std::string ns);
  const std::string& api_kind() const { return api_kind_; }
  const std::string& name() const { return name_; }
  const std::string& ns() const { return ns_; }  // empty: the client configuration's namespace

 private:
  std::string api_kind_, name_, ns_;
};

namespace detail {

struct BuiltinKind {
  std::string scheme;
  ConditionFactory factory;
  std::string summary;
};
std::vector<BuiltinKind> BuiltinKinds();

ConditionFactory TcpFactory();
ConditionFactory DnsFactory();
ConditionFactory HttpFactory(bool tls);
ConditionFactory FileFactory();
ConditionFactory PostgresFactory();
ConditionFactory JobFactory();
ConditionFactory RolloutFactory();

// Parses "host[:port]" (IPv6 in brackets) at the start of text; returns how many bytes it used. Reports errors
// through reader.FailTarget (offsets relative to body_offset_in_body). require_port: a missing port is an error.
size_t ParseHostPort(std::string_view text, size_t offset_in_body, const OptionReader& reader, bool require_port,
                     HostPort& out);
// A DNS name or IP literal that can appear in a target.
bool ValidHostName(std::string_view host);

// What a postgres:// URL says, read the way libpq reads a connection URI (without libpq: the post-renderer
// validates these too). error: libpq's wording, e.g. 'invalid URI query parameter: "foo"'.
struct PostgresUrl {
  std::string host;           // "db", "h1,h2" (several hosts joined by ','), "" when none
  bool sets_sslmode = false;  // sslmode=, ssl=true or requiressl= given
  std::string password_key;   // "password" or "passfile" when the URL sets one, else ""
};
bool ParsePostgresUrl(std::string_view url, PostgresUrl& out, std::string& error);
// A migration version as migrate::Version::Parse takes it: digits separated by single '.' or '_'.
bool ValidMigrationVersion(std::string_view text);

}  // namespace detail
}  // namespace capstan::wait
