// Fuzz target for restore-point manifests (backup/manifest.h), volume snapshots included: ManifestFromJson must
// accept or reject any input with an Error (never crash, never another exception), and what it accepts must
// round-trip: ManifestToJson of it parses again to the same text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "backup/manifest.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  capstan::backup::Manifest m;
  try {
    m = capstan::backup::ManifestFromJson(in, "fuzz.json");
  } catch (const capstan::Error&) {
    return 0;
  }
  std::string once = capstan::backup::ManifestToJson(m);
  std::string twice;
  try {
    twice = capstan::backup::ManifestToJson(capstan::backup::ManifestFromJson(once, "again.json"));
  } catch (const capstan::Error&) {
    std::abort();  // what was accepted and written back must read again
  }
  if (once != twice) std::abort();
  return 0;
}
