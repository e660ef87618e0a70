// http://HOST[:PORT]/PATH and https://... hold when a GET answers 2xx (redirects are not followed: a 3xx does not
// hold), and, with (expect=TEXT), when the body contains TEXT. HTTPS always verifies the server certificate and
// host name, against (ca=FILE) or the system CAs. The grammar; the probe is lib/probe/http_probe.cc.
#include "util/strings.h"
#include "wait/kinds.h"

namespace capstan::wait {

HttpCondition::HttpCondition(bool tls, HostPort hp, std::string path, std::string expect, std::string ca)
    : Condition(tls ? "https" : "http", (tls ? "https://" : "http://") + hp.Format() + path),
      tls_(tls), hp_(std::move(hp)), path_(path.empty() ? "/" : path), expect_(std::move(expect)), ca_(std::move(ca)) {
  if (!expect_.empty()) AddCanonicalOption("expect", "=", expect_);
  if (!ca_.empty()) AddCanonicalOption("ca", "=", ca_);
}

std::vector<std::string> HttpCondition::Files() const {
  if (ca_.empty()) return {};
  return {ca_};
}

namespace detail {

ConditionFactory HttpFactory(bool tls) {
  return [tls](OptionReader& reader) -> std::unique_ptr<Condition> {
    std::string_view body = reader.spec().body;
    const char* form = tls ? "https://HOST[:PORT]/PATH" : "http://HOST[:PORT]/PATH";
    if (!StartsWith(body, "//")) reader.FailTarget(std::string("expected '//' after the scheme: ") + form, 0);
    HostPort hp;
    size_t used = 2 + ParseHostPort(body.substr(2), 2, reader, false, hp);
    std::string path(body.substr(used));
    size_t hash = path.find('#');
    if (hash != std::string::npos)
      reader.FailTarget("a '#fragment' is never sent to the server: remove it", used + hash);
    if (!path.empty() && path[0] == '?') path = "/" + path;
    if (path.empty()) path = "/";
    if (path[0] != '/') reader.FailTarget(std::string("expected a path starting with '/': ") + form, used);
    for (size_t i = 0; i < path.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(path[i]);
      if (c < 0x21 || c >= 0x7f)
        reader.FailTarget("percent-encode this byte in the URL path", used + i);
      if (c == '%' && (i + 2 >= path.size() || !std::isxdigit(static_cast<unsigned char>(path[i + 1])) ||
                       !std::isxdigit(static_cast<unsigned char>(path[i + 2]))))
        reader.FailTarget("'%' must start a %XX escape in a URL", used + i);
    }
    // The canonical form drops a bare "/" path only when it was not written, so ToArg() round-trips exactly.
    if (body.size() == used) path = "";
    std::string expect;
    if (auto v = reader.Take("expect")) {
      if (v->empty()) reader.FailTarget("expect= needs a text to look for");
      expect = *v;
    }
    std::string ca;
    if (auto o = reader.TakeWithOp("ca", {"="})) {
      if (!tls) reader.FailOption(*o, "ca= only applies to https:// targets");
      if (o->value.empty() || o->value[0] != '/')
        reader.FailOption(*o, "ca= needs an absolute path to a PEM file (e.g. /etc/capstan/ca.crt)");
      ca = o->value;
    }
    auto cond = std::make_unique<HttpCondition>(tls, std::move(hp), path, std::move(expect), std::move(ca));
    return cond;
  };
}

}  // namespace detail
}  // namespace capstan::wait
