// `format` assertions for the JSON Schema validator (used only when format assertion is switched on).
// Known: date-time, date, time, duration, email, idn-email (ASCII rules), hostname, ipv4, ipv6, uuid, uri,
// uri-reference, json-pointer, relative-json-pointer, regex. Unknown formats always pass; non-strings pass.
#pragma once
#include <string_view>

#include <rapidjson/document.h>

namespace capstan::jsonschema {

bool CheckFormat(std::string_view format, const rapidjson::Value& value);

}  // namespace capstan::jsonschema
