// Fuzzes the manifest header scan: whenever it answers for a document that parses, its answer equals Describe()
// of the parsed document, and it never claims a mapping that the parser reads as a list or a scalar.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "manifest/header.h"
#include "manifest/object.h"
#include "util/error.h"
#include "yaml/tree.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto scanned = capstan::manifest::ScanHeader(text);
  if (!scanned) return 0;
  auto parse = [&]() -> std::optional<capstan::yaml::Tree> {
    try {
      return capstan::yaml::Tree::Parse(text);
    } catch (const capstan::Error&) {
      return std::nullopt;  // invalid YAML: the scan does not validate what it skips
    }
  };
  std::optional<capstan::yaml::Tree> tree = parse();
  if (!tree) return 0;
  capstan::yaml::Node root = tree->root();
  if (!root || !root.IsMapping()) __builtin_trap();
  capstan::manifest::ObjectInfo parsed = capstan::manifest::Describe(root);
  if (scanned->is_object != parsed.is_object || scanned->api_version != parsed.api_version ||
      scanned->kind != parsed.kind || scanned->name != parsed.name || scanned->namespace_ != parsed.namespace_ ||
      scanned->hook_events != parsed.hook_events || scanned->helm_filename != parsed.helm_filename)
    __builtin_trap();
  return 0;
}
