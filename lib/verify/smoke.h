// HTTP smoke checks for `capstan verify`: GET a URL N times on fresh connections (so a Service spreads them over
// its replicas), expecting a status and optionally a text in the body. Written as "URL|status=200|body=ok|count=10".
// https URLs are verified (system CAs or --smoke-ca); there is no way to skip verification.
#pragma once
#include <chrono>
#include <string>
#include <vector>

namespace capstan::verify {

struct SmokeCheck {
  std::string url;
  int status = 200;
  std::string body;  // expected substring ("" = any)
  int count = 1;
};

struct SmokeOptions {
  std::chrono::milliseconds timeout{5000};  // per request
  std::string ca_file;                      // for https; empty: system CAs
};

struct SmokeResult {
  SmokeCheck check;
  int passed = 0;
  std::vector<std::string> failures;  // "request 3/10: HTTP 500 (expected 200): body 'replica-2: db down'"
  bool ok() const { return failures.empty(); }
};

// Throws UsageError with the accepted form.
SmokeCheck ParseSmokeCheck(const std::string& spec);
SmokeResult RunSmokeCheck(const SmokeCheck& check, const SmokeOptions& options);

}  // namespace capstan::verify
