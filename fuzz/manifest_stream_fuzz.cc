// Fuzzes the manifest stream reader and the whole post-renderer pipeline (checksum filter on): any input either
// fails with capstan::Error or produces output in which every document the post-renderer changed or added parses
// and every other document is its input bytes. (A document no filter reads is copied without being parsed, so
// broken YAML there reaches Helm, which refuses it: docs/postrender.md, "What is validated where".)
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

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
  std::vector<capstan::manifest::Document> in_docs = capstan::manifest::Split(input);
  std::vector<capstan::manifest::Document> out_docs = capstan::manifest::Split(out);
  if (out_docs.size() < in_docs.size()) __builtin_trap();  // a document was lost
  for (size_t i = 0; i < out_docs.size(); ++i) {
    const auto& d = out_docs[i];
    if (d.blank) continue;
    // Untouched: the input's bytes (the last one may gain the line break that precedes appended documents).
    if (i < in_docs.size() && (d.text == in_docs[i].text || d.text == std::string(in_docs[i].text) + "\n")) continue;
    try {
      capstan::yaml::Tree::Parse(d.text);
    } catch (const capstan::Error&) {
      __builtin_trap();  // the post-renderer wrote a document that does not parse
    }
  }
  return 0;
}
