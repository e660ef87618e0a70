// libFuzzer target for the go-yaml v2 port (lib/goyaml) and the values reader on it: the input is read as a YAML
// stream event by event, composed and decoded as Helm 3 and Helm 4 read values files, and indexed for positions.
// Go's panics are capstan::Error here; anything else (a crash, a sanitizer report, another exception) is a bug.
// Invariant: a stream whose events all parse composes without a parser error in its first document.
#include <cstddef>
#include <cstdint>
#include <string>

#include "goyaml/compose.h"
#include "goyaml/events.h"
#include "util/error.h"
#include "values/lint/source_map.h"
#include "values/yaml_load.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace capstan;
  std::string text(reinterpret_cast<const char*>(data), size);
  bool events_ok = false;
  try {
    events_ok = goyaml::TestSuiteEvents(text).rfind("error: ", 0) != 0;
  } catch (const Error&) {
  }
  try {
    goyaml::Composer composer(text);
    composer.Parse();
  } catch (const goyaml::YamlError& e) {
    std::string m = e.what();
    // Only the composer's own checks may fail a stream whose events parse.
    if (events_ok && m.find("unknown anchor") == std::string::npos) __builtin_trap();
  } catch (const Error&) {
  }
  for (int helm : {3, 4}) {
    auto layer = std::make_shared<values::Layer>();
    layer->file = "values.yaml";
    try {
      values::ParseValuesYaml(text, layer, helm);
    } catch (const Error&) {
    }
  }
  values::lint::SourceMap::BuildValues(text);
  return 0;
}
