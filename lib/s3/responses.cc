#include "s3/responses.h"

#include <ctime>

#include "s3/xml.h"
#include "util/strings.h"

namespace capstan::s3 {

namespace {

XmlElement Root(std::string_view body, std::string_view expected) {
  XmlElement root = ParseXml(body);
  if (root.name != expected) {
    throw XmlError("expected <" + std::string(expected) + ">, got <" + root.name + ">");
  }
  return root;
}

const XmlElement& Required(const XmlElement& e, std::string_view name) {
  const XmlElement* c = e.Child(name);
  if (!c) throw XmlError("<" + e.name + "> has no <" + std::string(name) + ">");
  return *c;
}

uint64_t Number(const std::string& s, std::string_view what) {
  if (s.empty() || s.size() > 19) throw XmlError("bad " + std::string(what) + ": " + Quote(s));
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') throw XmlError("bad " + std::string(what) + ": " + Quote(s));
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

int64_t Time(const std::string& s, std::string_view what) {
  auto t = ParseIso8601(Trim(s));
  if (!t) throw XmlError("bad " + std::string(what) + ": " + Quote(s));
  return *t;
}

bool Bool(const std::string& s) { return Trim(s) == "true"; }

std::string Unquote(std::string s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  return s;
}

}  // namespace

std::optional<int64_t> ParseIso8601(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.fff][Z|+00:00]
  if (s.size() < 19) return std::nullopt;
  auto digits = [&](size_t at, size_t n, int& out) {
    out = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int y, mo, d, h, mi, se;
  if (!digits(0, 4, y) || s[4] != '-' || !digits(5, 2, mo) || s[7] != '-' || !digits(8, 2, d) ||
      (s[10] != 'T' && s[10] != 't') || !digits(11, 2, h) || s[13] != ':' || !digits(14, 2, mi) || s[16] != ':' ||
      !digits(17, 2, se)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
  std::string_view rest = s.substr(19);
  if (!rest.empty() && rest[0] == '.') {
    size_t i = 1;
    while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') ++i;
    if (i == 1) return std::nullopt;
    rest.remove_prefix(i);
  }
  if (rest != "Z" && rest != "z" && rest != "+00:00" && !rest.empty()) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = se;
  return static_cast<int64_t>(timegm(&tm));
}

ListPage ParseListBucketResult(std::string_view body) {
  XmlElement root = Root(body, "ListBucketResult");
  ListPage page;
  page.truncated = Bool(root.ChildText("IsTruncated"));
  page.next_continuation_token = root.ChildText("NextContinuationToken");
  for (const XmlElement* c : root.Children("Contents")) {
    ObjectInfo o;
    o.key = Required(*c, "Key").text;
    o.size = Number(std::string(Trim(Required(*c, "Size").text)), "Size");
    if (const XmlElement* lm = c->Child("LastModified")) o.last_modified_unix = Time(lm->text, "LastModified");
    o.etag = Unquote(std::string(Trim(c->ChildText("ETag"))));
    page.result.objects.push_back(std::move(o));
  }
  for (const XmlElement* p : root.Children("CommonPrefixes")) {
    page.result.common_prefixes.push_back(Required(*p, "Prefix").text);
  }
  if (page.truncated && page.next_continuation_token.empty()) {
    throw XmlError("a truncated listing without a NextContinuationToken");
  }
  return page;
}

UploadsPage ParseListMultipartUploadsResult(std::string_view body) {
  XmlElement root = Root(body, "ListMultipartUploadsResult");
  UploadsPage page;
  page.truncated = Bool(root.ChildText("IsTruncated"));
  page.next_key_marker = root.ChildText("NextKeyMarker");
  page.next_upload_id_marker = root.ChildText("NextUploadIdMarker");
  for (const XmlElement* u : root.Children("Upload")) {
    UploadInfo info;
    info.key = Required(*u, "Key").text;
    info.upload_id = Required(*u, "UploadId").text;
    if (const XmlElement* i = u->Child("Initiated")) info.initiated_unix = Time(i->text, "Initiated");
    page.uploads.push_back(std::move(info));
  }
  return page;
}

std::string ParseInitiateMultipartUploadResult(std::string_view body) {
  XmlElement root = Root(body, "InitiateMultipartUploadResult");
  std::string id = std::string(Trim(Required(root, "UploadId").text));
  if (id.empty()) throw XmlError("an empty UploadId");
  return id;
}

CompleteOutcome ParseCompleteMultipartUploadResult(std::string_view body) {
  XmlElement root = ParseXml(body);
  CompleteOutcome out;
  if (root.name == "Error") {
    out.error = ErrorBody{root.ChildText("Code"), root.ChildText("Message"), root.ChildText("RequestId")};
    return out;
  }
  if (root.name != "CompleteMultipartUploadResult") {
    throw XmlError("expected <CompleteMultipartUploadResult>, got <" + root.name + ">");
  }
  out.etag = Unquote(std::string(Trim(root.ChildText("ETag"))));
  return out;
}

std::optional<ErrorBody> ParseErrorBody(std::string_view body) {
  try {
    XmlElement root = ParseXml(body);
    if (root.name != "Error") {
      // STS wraps it: <ErrorResponse><Error>...</Error><RequestId>...</RequestId></ErrorResponse>
      if (root.name == "ErrorResponse" && root.Child("Error")) {
        const XmlElement& e = *root.Child("Error");
        return ErrorBody{e.ChildText("Code"), e.ChildText("Message"), root.ChildText("RequestId")};
      }
      return std::nullopt;
    }
    return ErrorBody{root.ChildText("Code"), root.ChildText("Message"), root.ChildText("RequestId")};
  } catch (const XmlError&) {
    return std::nullopt;
  }
}

std::vector<std::pair<std::string, ErrorBody>> ParseDeleteResult(std::string_view body) {
  XmlElement root = Root(body, "DeleteResult");
  std::vector<std::pair<std::string, ErrorBody>> failed;
  for (const XmlElement* e : root.Children("Error")) {
    failed.emplace_back(e->ChildText("Key"), ErrorBody{e->ChildText("Code"), e->ChildText("Message"), ""});
  }
  return failed;
}

StsCredentials ParseAssumeRoleWithWebIdentityResponse(std::string_view body) {
  XmlElement root = Root(body, "AssumeRoleWithWebIdentityResponse");
  const XmlElement& result = Required(root, "AssumeRoleWithWebIdentityResult");
  const XmlElement& creds = Required(result, "Credentials");
  StsCredentials out;
  out.access_key_id = std::string(Trim(Required(creds, "AccessKeyId").text));
  out.secret_access_key = std::string(Trim(Required(creds, "SecretAccessKey").text));
  out.session_token = std::string(Trim(Required(creds, "SessionToken").text));
  out.expiration_unix = Time(Required(creds, "Expiration").text, "Expiration");
  if (out.access_key_id.empty() || out.secret_access_key.empty()) throw XmlError("empty credentials");
  return out;
}

}  // namespace capstan::s3
