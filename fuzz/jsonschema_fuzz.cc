// Fuzz target for the JSON Schema validator: the input is "<schema JSON>\0<instance JSON>". Compiles the schema
// (with and without the meta-schema check), validates the instance with both entry points and asks Describe about
// a few paths. Must never crash, hang or disagree with itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <rapidjson/document.h>

#include "jsonschema/validator.h"

namespace js = capstan::jsonschema;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t sep = in.find('\0');
  if (sep == std::string_view::npos) return 0;
  std::string_view schema_text = in.substr(0, sep), instance_text = in.substr(sep + 1);
  rapidjson::Document schema, instance;
  schema.Parse<rapidjson::kParseIterativeFlag>(schema_text.data(), schema_text.size());
  instance.Parse<rapidjson::kParseIterativeFlag>(instance_text.data(), instance_text.size());
  if (schema.HasParseError() || instance.HasParseError()) return 0;
  js::Options options;
  options.check_meta_schema = (size & 1) == 0;
  options.format_assertion = (size & 2) != 0;
  options.default_draft = static_cast<js::Draft>((size >> 2) % 5);
  try {
    js::Schema s = js::Schema::Compile(schema, "https://fuzz.example/schema.json", js::Registry(), options);
    auto errors = s.Validate(instance);
    if (s.IsValid(instance) != errors.empty()) std::abort();
    for (const auto& e : errors)
      if (e.message.empty()) std::abort();
    s.Describe({"a", "0"});
    if (instance.IsObject() && instance.MemberCount() > 0)
      s.Describe({instance.MemberBegin()->name.GetString(), "x"});
  } catch (const js::SchemaError&) {
  }
  return 0;
}
