// Runs the post-renderer: split the stream, validate and observe every document, apply the filters, and write
// the result. Nothing reaches the output unless every document parsed and every filter succeeded.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "postrender/filter.h"
#include "postrender/report.h"

namespace capstan::postrender {

struct PipelineOptions {
  std::string release;
  std::string namespace_ = "default";
  size_t max_document_size = 32u << 20;  // larger documents are refused (etcd stores at most ~1.5 MiB per object)
  unsigned threads = 0;                  // 0: one per core, at most 4
};

class Pipeline {
 public:
  Pipeline(PipelineOptions options, std::vector<std::unique_ptr<Filter>> filters);
  // Processes input; writes the output to sink only after everything succeeded. Throws Error (exit 1) with
  // the document, line and source of the first problem. Returns the number of documents edited.
  size_t Run(std::string_view input, const std::function<void(std::string_view)>& sink, Report& report);

 private:
  PipelineOptions options_;
  std::vector<std::unique_ptr<Filter>> filters_;
};

}  // namespace capstan::postrender
