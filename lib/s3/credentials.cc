#include "s3/credentials.h"

#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <thread>

#include "log/log.h"
#include "net/httplib.h"
#include "s3/responses.h"
#include "s3/sigv4.h"
#include "s3/xml.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/strings.h"

namespace capstan::s3 {

namespace {

constexpr size_t kMaxCredentialFileBytes = 64 * 1024;

std::string TrimNewline(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

bool Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

class StaticProvider : public CredentialsProvider {
 public:
  explicit StaticProvider(Credentials c) : c_(std::move(c)) {}
  Credentials Get() override { return c_; }
  std::string Source() const override { return c_.source; }

 private:
  Credentials c_;
};

class DirProvider : public CredentialsProvider {
 public:
  explicit DirProvider(std::string dir) : dir_(std::move(dir)) {}
  Credentials Get() override { return ReadCredentialsDir(dir_); }
  std::string Source() const override { return "files in " + dir_ + " (--s3-credentials-dir)"; }

 private:
  std::string dir_;
};

// AssumeRoleWithWebIdentity, renewed before expiry.
class WebIdentityProvider : public CredentialsProvider {
 public:
  WebIdentityProvider(std::string token_file, std::string role_arn, std::string session_name, std::string endpoint,
                      std::string ca_bundle)
      : token_file_(std::move(token_file)),
        role_arn_(std::move(role_arn)),
        session_name_(std::move(session_name)),
        endpoint_(std::move(endpoint)),
        ca_bundle_(std::move(ca_bundle)) {}

  Credentials Get() override {
    std::lock_guard<std::mutex> g(mu_);
    const int64_t now = static_cast<int64_t>(std::time(nullptr));
    if (current_ && (current_->expires_unix == 0 || current_->expires_unix - now > 300)) return *current_;
    current_ = Assume();
    return *current_;
  }
  std::string Source() const override {
    return "web identity (AWS_ROLE_ARN=" + role_arn_ + ", token file " + token_file_ + ", STS " + endpoint_ + ")";
  }

 private:
  Credentials Assume() {
    std::string token = TrimNewline(ReadFile(token_file_, kMaxCredentialFileBytes));
    if (token.empty()) {
      throw PreconditionError("web identity token file " + token_file_ +
                              " is empty: check the service account token projection (AWS_WEB_IDENTITY_TOKEN_FILE)");
    }
    QueryList q = {{"Action", "AssumeRoleWithWebIdentity"},
                   {"Version", "2011-06-15"},
                   {"RoleArn", role_arn_},
                   {"RoleSessionName", session_name_},
                   {"WebIdentityToken", token}};
    httplib::Client cli(endpoint_);
    cli.set_url_encode(false);
    cli.enable_server_certificate_verification(true);
    if (!ca_bundle_.empty()) cli.set_ca_cert_path(ca_bundle_.c_str());
    cli.set_connection_timeout(10, 0);
    cli.set_read_timeout(30, 0);
    cli.set_write_timeout(30, 0);
    auto post = [&] {
      return cli.Post("/", httplib::Headers{{"Accept", "application/xml"}}, QueryString(q),
                      "application/x-www-form-urlencoded");
    };
    httplib::Result res = post();
    for (int attempt = 1; attempt < 4 && (!res || res->status >= 500); ++attempt) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200 << attempt));
      res = post();
    }
    if (!res) {
      throw PreconditionError("cannot reach STS at " + endpoint_ + " to assume role " + role_arn_ + ": " +
                              httplib::to_string(res.error()) +
                              ": check the network and AWS_STS_ENDPOINT_URL / AWS_REGION");
    }
    if (res->status != 200) {
      auto err = ParseErrorBody(res->body);
      throw PreconditionError("STS at " + endpoint_ + " refused AssumeRoleWithWebIdentity for " + role_arn_ + ": HTTP " +
                              std::to_string(res->status) + (err ? " " + err->code + ": " + err->message : "") +
                              ": check the role's trust policy for this service account and the token file " +
                              token_file_);
    }
    StsCredentials sts;
    try {
      sts = ParseAssumeRoleWithWebIdentityResponse(res->body);
    } catch (const XmlError& e) {
      throw PreconditionError("STS at " + endpoint_ + " answered AssumeRoleWithWebIdentity with an unreadable body (" +
                              e.what() + "): check AWS_STS_ENDPOINT_URL");
    }
    Credentials c{sts.access_key_id, sts.secret_access_key, sts.session_token, Source(), sts.expiration_unix};
    log::Info("s3: assumed role with web identity", {{"role", role_arn_}, {"credentials", c.Describe()}});
    return c;
  }

  std::string token_file_, role_arn_, session_name_, endpoint_, ca_bundle_;
  std::mutex mu_;
  std::optional<Credentials> current_;
};

}  // namespace

Env ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (!v || !*v) return std::nullopt;
    return std::string(v);
  };
}

std::string Credentials::Describe() const {
  std::string tail = access_key_id.size() > 4 ? access_key_id.substr(access_key_id.size() - 4) : "";
  return "key id ..." + tail + " from " + source;
}

std::shared_ptr<CredentialsProvider> StaticCredentials(Credentials c) {
  return std::make_shared<StaticProvider>(std::move(c));
}

Credentials ReadCredentialsDir(const std::string& dir) {
  auto read = [&](const char* name, bool required) -> std::string {
    std::string path = dir + "/" + name;
    if (!required && !Exists(path)) return "";
    if (!Exists(path)) {
      throw UsageError("S3 credentials directory " + dir + " has no file '" + name +
                       "': mount a Secret with keys access-key-id and secret-access-key (and optionally "
                       "session-token) there, or drop --s3-credentials-dir");
    }
    std::string v = TrimNewline(ReadFile(path, kMaxCredentialFileBytes));
    if (v.empty() && required) {
      throw UsageError("S3 credentials file " + path + " is empty: put the value in the Secret's key '" +
                       std::string(name) + "'");
    }
    return v;
  };
  Credentials c;
  c.access_key_id = read("access-key-id", true);
  c.secret_access_key = read("secret-access-key", true);
  c.session_token = read("session-token", false);
  c.source = "files in " + dir + " (--s3-credentials-dir)";
  return c;
}

std::optional<Credentials> ReadSharedCredentialsFile(const std::string& path, const std::string& profile) {
  if (!Exists(path)) return std::nullopt;
  std::string text = ReadFile(path, kMaxCredentialFileBytes);
  std::string section;
  bool found = false;
  Credentials c;
  for (const auto& raw : Split(text, '\n')) {
    std::string_view line = Trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      section = std::string(Trim(line.substr(1, line.size() - 2)));
      if (StartsWith(section, "profile ")) section = std::string(Trim(std::string_view(section).substr(8)));
      if (section == profile) found = true;
      continue;
    }
    if (section != profile) continue;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    std::string key = ToLower(Trim(line.substr(0, eq)));
    std::string value(Trim(line.substr(eq + 1)));
    if (key == "aws_access_key_id") c.access_key_id = value;
    else if (key == "aws_secret_access_key") c.secret_access_key = value;
    else if (key == "aws_session_token") c.session_token = value;
  }
  if (!found) {
    throw UsageError("the shared credentials file " + path + " has no profile [" + profile +
                     "]: add it, or set AWS_PROFILE to one of its profiles");
  }
  if (c.access_key_id.empty() || c.secret_access_key.empty()) {
    throw UsageError("profile [" + profile + "] in " + path +
                     " lacks aws_access_key_id or aws_secret_access_key: add both");
  }
  c.source = "profile [" + profile + "] of " + path;
  return c;
}

std::shared_ptr<CredentialsProvider> ResolveCredentials(const CredentialOptions& o, const Env& env) {
  if (!o.credentials_dir.empty()) {
    auto p = std::make_shared<DirProvider>(o.credentials_dir);
    p->Get();  // fail now, with the usage error, rather than on the first request
    return p;
  }
  auto id = env("AWS_ACCESS_KEY_ID");
  auto secret = env("AWS_SECRET_ACCESS_KEY");
  if (id || secret) {
    if (!id || !secret) {
      throw UsageError(std::string(id ? "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
                                      : "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not") +
                       ": set both (or neither, to use another credentials source)");
    }
    return StaticCredentials(
        Credentials{*id, *secret, env("AWS_SESSION_TOKEN").value_or(""), "the environment (AWS_ACCESS_KEY_ID)", 0});
  }
  auto token_file = env("AWS_WEB_IDENTITY_TOKEN_FILE");
  auto role = env("AWS_ROLE_ARN");
  if (token_file || role) {
    if (!token_file || !role) {
      throw UsageError("web identity needs both AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN: set the missing one");
    }
    std::string endpoint = env("AWS_STS_ENDPOINT_URL").value_or(env("AWS_ENDPOINT_URL_STS").value_or(""));
    if (endpoint.empty()) {
      endpoint = "https://sts." + (o.region.empty() ? std::string("us-east-1") : o.region) + ".amazonaws.com";
    }
    if (StartsWith(ToLower(endpoint), "http://")) {
      std::string rest = endpoint.substr(7);
      std::string host = rest.substr(0, rest.find_first_of(":/"));
      if (host != "localhost" && !StartsWith(host, "127.") && !StartsWith(rest, "[::1]")) {
        throw UsageError("STS endpoint " + endpoint + " is plain HTTP on a non-loopback host: the web identity token "
                         "and the credentials would travel unencrypted; use https://");
      }
    }
    std::string session = env("AWS_ROLE_SESSION_NAME").value_or("capstan-" + std::to_string(std::time(nullptr)));
    return std::make_shared<WebIdentityProvider>(*token_file, *role, session, endpoint, o.ca_bundle);
  }
  std::string file = env("AWS_SHARED_CREDENTIALS_FILE").value_or("");
  if (file.empty()) {
    if (auto home = env("HOME")) file = *home + "/.aws/credentials";
  }
  std::string profile = env("AWS_PROFILE").value_or("default");
  if (!file.empty()) {
    if (auto c = ReadSharedCredentialsFile(file, profile)) return StaticCredentials(*c);
  }
  throw PreconditionError(
      "no S3 credentials found: tried --s3-credentials-dir, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
      "AWS_WEB_IDENTITY_TOKEN_FILE/AWS_ROLE_ARN and the shared credentials file" +
      (file.empty() ? std::string() : " " + file) + ": provide one of them");
}

}  // namespace capstan::s3
