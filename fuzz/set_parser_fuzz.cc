// libFuzzer target for the --set parsers (pkg/strvals port): the first byte picks --set, --set-string,
// --set-json, --set-literal or (with a reader that never touches the disk) --set-file; the rest is the flag text.
// Any input must end in a value or a capstan::Error, never a crash; the result must print as JSON and YAML.
#include <cstddef>
#include <cstdint>
#include <string>

#include "util/error.h"
#include "values/output.h"
#include "values/strvals.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace capstan::values;
  if (size == 0) return 0;
  static const SetMode modes[] = {SetMode::kTyped, SetMode::kString, SetMode::kJson, SetMode::kLiteral,
                                  SetMode::kFile};
  SetMode mode = modes[data[0] % 5];
  std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  // Two flags in a row: the second one extends what the first one built, as repeated --set flags do.
  size_t split = text.find('\n');
  FileReader reader = [](const std::string& path) { return "contents of " + path; };
  Value v = Value::MakeMap();
  try {
    ParseSetInto(text.substr(0, split), mode, v, Origin{}, reader);
    if (split != std::string::npos) ParseSetInto(text.substr(split + 1), mode, v, Origin{}, reader);
  } catch (const capstan::Error&) {
  }
  (void)ToJson(v);
  (void)ToYaml(v);
  return 0;
}
