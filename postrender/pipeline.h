// Runs the post-renderer, in the steps of kustomize's kio: read (split the stream, find each document's header with
// a cheap scan), observe (parse the documents a filter observes, validate the rest), prepare (the filters, once),
// apply (parse the documents a filter edits, collect the edits), write (untouched spans as their input bytes,
// edited documents with their edits, then the filters' new documents). Nothing reaches the output unless every
// document passed validation and every filter succeeded.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "postrender/filter.h"
#include "postrender/report.h"
#include "postrender/writer.h"

namespace capstan::postrender {

struct PipelineOptions {
  std::string release;     // "" while unknown: used only in the report
  std::string namespace_;  // the release namespace; "" while unknown (postrender/namespaces.h)
  std::string namespace_source;  // "--namespace", "HELM_NAMESPACE" or "" (ResolveReleaseNamespace)
  size_t max_document_size = 32u << 20;  // larger documents are refused (etcd stores at most ~1.5 MiB per object)
  unsigned threads = 0;                  // 0: one per core, at most 4
  bool fail_on_error_findings = true;    // an error finding (strict mode) stops the run before any output
};

class Pipeline {
 public:
  Pipeline(PipelineOptions options, std::vector<std::unique_ptr<Filter>> filters);
  // Processes input; writes the output to sink (through a Writer) only after everything succeeded. Throws Error
  // (exit 1) with the input line, document and source of the first problem. Returns the number of documents edited.
  size_t Run(std::string_view input, const Writer::Sink& sink, Report& report);

 private:
  struct Stream;  // the documents of one run and what the steps learned about them
  void Read(std::string_view input, Stream& s) const;
  void Observe(Stream& s);
  void ObserveDocument(const manifest::Document& d, DocInfo& info);
  void Prepare(const Stream& s, Report& report);
  void Apply(Stream& s, Report& report);
  void CheckFindings(const Report& report) const;  // part of Apply
  size_t Write(const Stream& s, Writer& out) const;

  PipelineOptions options_;
  unsigned threads_;
  std::vector<std::unique_ptr<Filter>> filters_;
};

}  // namespace capstan::postrender
