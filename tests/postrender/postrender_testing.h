// Test helpers for the post-renderer: run the pipeline in process, split and compare documents by their YAML 1.1
// meaning (types as Kubernetes reads them), list the comments of a text.
#pragma once
#include <map>
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

}  // namespace capstan::test
