// The http: and https: probe: one GET per attempt (redirects are not followed: a 3xx does not hold), and, with
// (expect=TEXT), a search of the body's first 1 MiB for TEXT. HTTPS always verifies the server certificate and
// host name, against (ca=FILE) or the system CAs. Connect and read are bounded by the attempt's deadline.
#include <openssl/x509.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "net/httplib.h"

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
    std::vector<std::string> addresses;
    std::string error;
    if (!Resolve(hp_.host, hp_.port, ctx, addresses, error)) return wait::AttemptResult::NotYet(error);
    int port = hp_.port ? hp_.port : (tls_ ? 443 : 80);
    std::string where = target();
    httplib::Client cli((tls_ ? "https://" : "http://") + wait::HostPort{hp_.host, port}.Format());
    cli.set_hostname_addr_map({{hp_.host, addresses.front()}});
    auto left = ctx.Remaining();
    if (left.count() <= 0) return wait::AttemptResult::NotYet("no time left for the request");
    time_t sec = static_cast<time_t>(left.count() / 1000);
    time_t usec = static_cast<time_t>((left.count() % 1000) * 1000);
    cli.set_connection_timeout(sec, usec);
    cli.set_read_timeout(sec, usec);
    cli.set_write_timeout(sec, usec);
    cli.set_follow_location(false);
    cli.set_url_encode(false);
    cli.set_keep_alive(false);
    if (tls_) {
      cli.enable_server_certificate_verification(true);
      if (!ca_.empty()) {
        if (::access(ca_.c_str(), R_OK) != 0)
          return wait::AttemptResult::NotYet("cannot read CA file " + ca_ + ": " + std::strerror(errno));
        cli.set_ca_cert_path(ca_);
      }
    }
    std::string body;
    size_t total = 0;
    httplib::Headers headers = {{"User-Agent", "capstan-wait"}};
    auto res = cli.Get(path_, headers, [&](const char* data, size_t n) {
      total += n;
      if (body.size() < kMaxBody) body.append(data, std::min(n, kMaxBody - body.size()));
      return !ctx.Stopping();
    });
    if (!res) {
      long verify = tls_ ? cli.get_openssl_verify_result() : 0;
      return wait::AttemptResult::NotYet(DescribeError(res.error(), tls_, verify, where, ca_));
    }
    int status = res->status;
    if (status < 200 || status > 299) {
      std::string msg = "HTTP " + std::to_string(status);
      if (status >= 300 && status < 400) {
        std::string loc = res->get_header_value("Location");
        msg += " redirect" + (loc.empty() ? std::string() : " to " + loc) + " (redirects are not followed)";
      }
      return wait::AttemptResult::NotYet(msg);
    }
    if (!expect_.empty() && body.find(expect_) == std::string::npos)
      return wait::AttemptResult::NotYet("HTTP " + std::to_string(status) + " but the body (" + std::to_string(total) +
                                   " bytes) does not contain " + Quote(expect_));
    return wait::AttemptResult::Held("HTTP " + std::to_string(status));
  }

 private:
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
