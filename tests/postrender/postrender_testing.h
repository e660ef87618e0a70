// Test helpers for the post-renderer: run the pipeline in process, split and compare documents by their YAML 1.1
// meaning (types as Kubernetes reads them), list the comments of a text, and the checks every real-chart corpus
// test makes (an edited document is its input plus injected fields; which workloads must carry a digest).
#pragma once
#include <map>
#include <set>
#include <string>
#include <vector>

#include "postrender/config.h"
#include "postrender/report.h"
#include "yaml/tree.h"

namespace capstan::test {

std::string PostRender(const std::string& input, const postrender::Config& config, postrender::Report* report = nullptr);
// Every scalar of a document as "path = canonical typed value", plus "path !style" and collection order markers.
std::vector<std::string> TypedLines(const yaml::Node& root);
std::vector<std::string> CommentLines(std::string_view text);
// The digest annotation of each workload in a stream: "Kind/name" -> digest.
std::map<std::string, std::string> Digests(const std::string& stream, const std::string& annotation = "capstan.dev/config-digest");
// TypedLines of an edited document against its original: true when every line of `edited` that is not in `original`
// comes from the injected digest annotation (or the annotations/metadata maps that hold it), and nothing of the
// original was lost. Each difference is reported with UNSCOPED_INFO.
bool OnlyInjected(const std::vector<std::string>& original, const std::vector<std::string>& edited);
// The workloads ("Kind/name") whose pod template references a ConfigMap or Secret that the stream itself defines
// (same kind, name and namespace; an object without a namespace is in `release_namespace`). Hook objects count
// only with include_hooks (Helm 3 never gives hooks to a post-renderer).
std::set<std::string> ConsumersOfReleaseConfig(const std::string& stream, const std::string& release_namespace,
                                               bool include_hooks = true);
// The .yaml files of dir/rendered and dir/helm4-input (the layout of ../shared/corpus), sorted.
std::vector<std::string> CorpusFiles(const std::string& dir);

}  // namespace capstan::test
