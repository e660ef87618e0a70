// The post-renderer's extension point, after kustomize's kio: a Reader splits the stream into documents, a list
// of Filters runs over them, a Writer writes them back. Each filter is one small type in filters/ that knows
// nothing of the others. A run has two passes over the documents, each spread over worker threads:
//   1. Observe: every document a filter Observes() is parsed and shown to it (to learn the release: ConfigMaps...).
//   2. Apply: every document a filter Wants() is parsed and handed to Apply() with an Editor; the edits of all
//      filters on one document are merged and rendered into the original text (untouched bytes stay as they are).
// Observes() and Wants() are the cheap form in which a filter says what it needs: they may read only the DocInfo
// (apiVersion, kind, name, namespace, hook events, source), which the pipeline knows before parsing (from
// manifest::ScanHeader). A document that no filter observes or wants is never parsed, only copied.
// Observe and Apply may run concurrently on different documents: guard shared state in the filter.
#pragma once
#include <string>
#include <vector>

#include "manifest/object.h"
#include "manifest/stream.h"
#include "postrender/report.h"
#include "yaml/editor.h"

namespace capstan::postrender {

// A document with what the pipeline already knows about it.
struct DocInfo {
  const manifest::Document* doc = nullptr;
  manifest::ObjectInfo object;
  std::string source;      // '# Source:' comment or Helm 4's postrender-filename annotation
  std::string namespace_;  // metadata.namespace, else the release namespace: "" while that is unknown; compare
                           // namespaces with CompareNamespaces (postrender/namespaces.h)
  size_t index() const { return doc->index; }
  // "document 3 (Deployment/web, # Source: chart/templates/web.yaml)"
  std::string Where() const;
};

class Filter {
 public:
  virtual ~Filter() = default;
  virtual const char* name() const = 0;

  virtual bool Observes(const DocInfo&) const { return false; }
  virtual void Observe(const DocInfo&, const yaml::Node& /*root*/) {}
  // Once, between the passes, single-threaded.
  virtual void Prepare(Report&) {}
  virtual bool Wants(const DocInfo&) const = 0;
  virtual void Apply(const DocInfo& info, const yaml::Node& root, yaml::Editor& editor, Report& report) = 0;
  // After the passes: whole new documents to append to the stream (each a complete YAML document without '---').
  virtual std::vector<std::string> NewDocuments(Report&) { return {}; }
};

}  // namespace capstan::postrender
