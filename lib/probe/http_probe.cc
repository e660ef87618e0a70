// The http: and https: probe: one GET per attempt (redirects are not followed: a 3xx does not hold), and, with
// (expect=TEXT), a search of the body's first 1 MiB for TEXT. HTTPS always verifies the server certificate and
// host name, against (ca=FILE) or the system CAs. The whole exchange (connect, TLS, headers, body) is bounded by
// the attempt's deadline, the headers to 64 KiB and the bytes read to 8 MiB (net/bounded_http.h).
#include <openssl/x509.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <type_traits>

#include "net/bounded_http.h"

#include "probe/net.h"
#include "probe/probes.h"
#include "util/strings.h"
#include "wait/kinds.h"

namespace capstan::probe {
namespace {

constexpr size_t kMaxBody = 1 << 20;  // the expect= search looks at the first 1 MiB

std::string DescribeError(httplib::Error e, bool tls, long verify_result, const std::string& where,
                          const std::string& ca) {
  switch (e) {
    case httplib::Error::Connection: return "cannot connect to " + where;
    case httplib::Error::ConnectionTimeout: return "connect to " + where + ": no answer within the attempt timeout";
    case httplib::Error::Read: return "reading the response from " + where + " failed or timed out";
    case httplib::Error::Write: return "sending the request to " + where + " failed";
    case httplib::Error::SSLConnection: return "TLS handshake with " + where + " failed";
    case httplib::Error::SSLLoadingCerts:
      return ca.empty() ? "cannot load the system CA certificates (give one with ca=FILE)"
                        : "cannot load CA file " + ca + " (not a PEM certificate bundle?)";
    case httplib::Error::SSLServerVerification: {
      std::string why = verify_result != X509_V_OK
                            ? X509_verify_cert_error_string(verify_result)
                            : "the certificate does not name this host";
      return "TLS certificate of " + where + " not trusted: " + why +
             (ca.empty() ? " (for a private CA add ca=FILE)" : " (checked against " + ca + ")");
    }
    case httplib::Error::Canceled: return "request to " + where + " cancelled";
    default: break;
  }
  return "request to " + where + " failed: " + httplib::to_string(e) + (tls ? "" : "");
}

class HttpProbe : public wait::Probe {
 public:
  explicit HttpProbe(const wait::HttpCondition& c)
      : tls_(c.tls()), hp_(c.address()), path_(c.path()), expect_(c.expect()), ca_(c.ca()), target_(c.target()) {}
  const std::string& target() const { return target_; }

  wait::AttemptResult Check(const wait::AttemptContext& ctx) override {
    if (!ca_.empty()) RequireReadableFile(ca_, "ca");  // first: a missing file is a usage error, even offline
    std::vector<std::string> addresses;
    std::string error;
    if (!Resolve(hp_.host, hp_.port, ctx, addresses, error)) return wait::AttemptResult::NotYet(error);
    int port = hp_.port ? hp_.port : (tls_ ? 443 : 80);
    if (ctx.Remaining().count() <= 0) return wait::AttemptResult::NotYet("no time left for the request");
    if (tls_) {
      net::BoundedSslClient cli(hp_.host, port);
      cli.enable_server_certificate_verification(true);
      if (!ca_.empty()) cli.set_ca_cert_path(ca_);
      return Exchange(cli, addresses.front(), ctx);
    }
    net::BoundedClient cli(hp_.host, port);
    return Exchange(cli, addresses.front(), ctx);
  }

 private:
  // One GET, bounded as a whole by the attempt's deadline and in bytes (net/bounded_http.h). The body is read only
  // as far as expect= needs: without expect= the status line decides.
  template <class Client>
  wait::AttemptResult Exchange(Client& cli, const std::string& address, const wait::AttemptContext& ctx) {
    std::string where = target();
    cli.set_hostname_addr_map({{hp_.host, address}});
    auto left = ctx.Remaining();
    time_t sec = static_cast<time_t>(left.count() / 1000);
    time_t usec = static_cast<time_t>((left.count() % 1000) * 1000);
    cli.set_connection_timeout(sec, usec);
    cli.set_read_timeout(sec, usec);
    cli.set_write_timeout(sec, usec);
    cli.set_follow_location(false);
    cli.set_url_encode(false);
    cli.set_keep_alive(false);
    net::ExchangeLimits limits;
    limits.deadline = ctx.deadline;
    cli.set_limits(limits);
    std::string body;
    size_t total = 0;
    int status = 0;
    std::string location;
    bool done = false;  // we stopped reading on purpose: the answer is known
    httplib::Headers headers = {{"User-Agent", "capstan-wait"}};
    auto res = cli.Get(
        path_, headers,
        [&](const httplib::Response& r) {
          status = r.status;
          location = r.get_header_value("Location");
          done = status < 200 || status > 299 || expect_.empty();
          return !done && !ctx.Stopping();
        },
        [&](const char* data, size_t n) {
          total += n;
          size_t from = body.size() >= expect_.size() ? body.size() - expect_.size() + 1 : 0;
          if (body.size() < kMaxBody) body.append(data, std::min(n, kMaxBody - body.size()));
          done = body.find(expect_, from) != std::string::npos || body.size() >= kMaxBody;
          return !done && !ctx.Stopping();
        });
    if (!res && !(done && res.error() == httplib::Error::Canceled)) {
      if (!cli.limit_error().empty()) return wait::AttemptResult::NotYet(cli.limit_error() + " from " + where);
      long verify = 0;
      if constexpr (std::is_same_v<Client, net::BoundedSslClient>) verify = cli.get_openssl_verify_result();
      return wait::AttemptResult::NotYet(DescribeError(res.error(), tls_, verify, where, ca_));
    }
    if (res) {
      status = res->status;
      location = res->get_header_value("Location");
    }
    if (status < 200 || status > 299) {
      std::string msg = "HTTP " + std::to_string(status);
      if (status >= 300 && status < 400)
        msg += " redirect" + (location.empty() ? std::string() : " to " + location) + " (redirects are not followed)";
      return wait::AttemptResult::NotYet(msg);
    }
    if (!expect_.empty() && body.find(expect_) == std::string::npos) {
      std::string seen = body.size() >= kMaxBody ? "the first 1 MiB of the body"
                                                 : "the body (" + std::to_string(total) + " bytes)";
      return wait::AttemptResult::NotYet("HTTP " + std::to_string(status) + " but " + seen + " does not contain " +
                                         Quote(expect_));
    }
    return wait::AttemptResult::Held("HTTP " + std::to_string(status));
  }

  bool tls_;
  wait::HostPort hp_;
  std::string path_, expect_, ca_, target_;
};

}  // namespace

wait::ProbeFactory HttpProbeFactory() {
  return [](const wait::Condition& c) -> std::unique_ptr<wait::Probe> {
    return std::make_unique<HttpProbe>(dynamic_cast<const wait::HttpCondition&>(c));
  };
}

}  // namespace capstan::probe
