// Fuzzes what `capstan plan OLD NEW` reads: a capstan-postrender report's fingerprints (plan/report_json.h, also
// --previous-report) or a rendered manifest stream (plan/fingerprint.h), then the plan and its three views over
// what it gave, against itself and against a fixed release: bad input must give a UsageError (a report) or an Error
// naming the document (a stream that is not YAML), never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "plan/plan.h"
#include "plan/render.h"
#include "plan/report_json.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace capstan;
  static const std::vector<plan::Fingerprint> fixed = plan::FingerprintStream(
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {k: v}\n---\n"
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n"
      "      containers: [{name: web, image: 'web:1', envFrom: [{configMapRef: {name: c}}]}]\n",
      {}, "fixed.yaml");
  std::string text(reinterpret_cast<const char*>(data), size);
  auto views = [](const std::vector<plan::Fingerprint>& read) {
    for (const auto& p : {plan::Compare(read, read), plan::Compare(fixed, read), plan::Compare(read, fixed)}) {
      (void)plan::RenderJson(p);
      (void)plan::RenderText(p);
      (void)plan::RenderMarkdown(p);
    }
  };
  if (!plan::IsReport(text)) {
    try {
      views(plan::FingerprintStream(text, {}, "fuzz.yaml"));
    } catch (const Error&) {
    }
  }
  try {
    std::vector<plan::Fingerprint> read = plan::ReadReport(text, "fuzz.json");
    views(read);
  } catch (const UsageError&) {
  }
  return 0;
}
