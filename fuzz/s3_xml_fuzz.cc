// libFuzzer target for what reads S3 and STS responses (lib/s3/xml.cc, lib/s3/responses.cc): the input is parsed as
// every response shape the client reads (ListBucketResult, ListMultipartUploadsResult, InitiateMultipartUploadResult,
// CompleteMultipartUploadResult, Error, DeleteResult, AssumeRoleWithWebIdentityResponse) and as an ISO 8601 time.
// XmlError is the expected refusal; anything else (a crash, a sanitizer report, another exception) is a bug.
// Invariant: a document the reader accepts re-reads identically after its texts are escaped and re-serialised.
#include <cstddef>
#include <cstdint>
#include <string>

#include "s3/responses.h"
#include "s3/xml.h"

namespace {

std::string Serialise(const capstan::s3::XmlElement& e) {
  std::string out = "<" + e.name + ">" + capstan::s3::XmlEscape(e.text);
  for (const auto& c : e.children) out += Serialise(c);
  return out + "</" + e.name + ">";
}

bool Same(const capstan::s3::XmlElement& a, const capstan::s3::XmlElement& b) {
  if (a.name != b.name || a.text != b.text || a.children.size() != b.children.size()) return false;
  for (size_t i = 0; i < a.children.size(); ++i) {
    if (!Same(a.children[i], b.children[i])) return false;
  }
  return true;
}

template <class F>
void Try(F f) {
  try {
    f();
  } catch (const capstan::s3::XmlError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace capstan::s3;
  std::string text(reinterpret_cast<const char*>(data), size);
  Try([&] {
    XmlElement e = ParseXml(text);
    // Names may carry a prefix the reader dropped; texts are whatever bytes were inside (escaped again here).
    XmlElement again = ParseXml(Serialise(e));
    if (!Same(e, again)) __builtin_trap();
  });
  Try([&] { ParseListBucketResult(text); });
  Try([&] { ParseListMultipartUploadsResult(text); });
  Try([&] { ParseInitiateMultipartUploadResult(text); });
  Try([&] { ParseCompleteMultipartUploadResult(text); });
  Try([&] { ParseDeleteResult(text); });
  Try([&] { ParseAssumeRoleWithWebIdentityResponse(text); });
  ParseErrorBody(text);
  ParseIso8601(text);
  return 0;
}
