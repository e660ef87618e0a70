// Fingerprints in a capstan-postrender --report: written per workload as "fingerprint" (docs/plan.md), read back
// from a report file (capstan plan, --previous-report). A report is untrusted input: anything that is not the shape
// written here is a UsageError naming the file and what to do (fuzz/plan_report_fuzz.cc).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "plan/fingerprint.h"

namespace capstan {
class JsonWriter;
}

namespace capstan::plan {

// The "fingerprint" object of a report's workload entry (kind, namespace and name are the entry's).
void WriteFingerprint(JsonWriter& w, const Fingerprint& f);

// True when text is a JSON object written by capstan-postrender ("tool": "capstan-postrender"): a report, not a
// manifest stream.
bool IsReport(std::string_view text);

// The fingerprints of a report's workloads. Throws UsageError naming origin when text is not a report, or when
// it holds workloads without fingerprints (written by an older capstan-postrender).
std::vector<Fingerprint> ReadReport(std::string_view text, const std::string& origin);

}  // namespace capstan::plan
