// A cheap byte scan of a manifest document's header: apiVersion, kind, metadata.name, metadata.namespace and the
// Helm annotations the post-renderer selects on (helm.sh/hook, postrenderer.helm.sh/postrender-filename), i.e. all
// of ObjectInfo, read line by line without a YAML parser. The post-renderer uses it to decide which documents a
// filter observes or edits; only those are parsed, the rest are copied as bytes.
//
// The scan is exact or it gives up: it answers only for the plain block layout Helm charts render (column-0 keys,
// metadata and annotations as indented block mappings, single-line plain or simply quoted values) and returns
// nullopt for anything it cannot be sure of -- flow collections, anchors, aliases, tags, merge keys, '?' keys,
// quoted top-level or metadata keys, escapes, tabs, carriage returns, '...' or directives, duplicate keys, a value
// that may continue on the next line, a flow collection that goes on past its line, a document that does not
// start as a block mapping. A quoted scalar nobody reads that goes on past its line is skipped to its closing
// quote (its continuation lines may look like keys at any indentation). The caller then parses
// the document. When it answers, the answer equals manifest::Describe() of the parsed document whenever the
// document parses (fuzz/manifest_header_fuzz.cc checks this). It does not validate the parts it skips.
#pragma once
#include <optional>
#include <string_view>

#include "manifest/object.h"

namespace capstan::manifest {

std::optional<ObjectInfo> ScanHeader(std::string_view text);

}  // namespace capstan::manifest
