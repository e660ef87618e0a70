// JSON value helpers for the schema validator: JSON equality (1 == 1.0, objects unordered), a hash consistent with
// it (for uniqueItems), type names, integer tests, and a compact rendering for messages.
#pragma once
#include <cstddef>
#include <string>

#include <rapidjson/document.h>

namespace capstan::jsonschema {

bool JsonEqual(const rapidjson::Value& a, const rapidjson::Value& b);
size_t JsonHash(const rapidjson::Value& v);
// True for numbers with no fractional part (1.0 counts, as in draft-06 and later).
bool IsIntegral(const rapidjson::Value& v);
// "null", "boolean", "object", "array", "integer", "number", "string".
const char* JsonTypeName(const rapidjson::Value& v);
// Compact JSON text, cut to at most `max` bytes with "..." when longer.
std::string JsonShort(const rapidjson::Value& v, size_t max = 60);
// Compares two numbers exactly when both are integers: <0, 0, >0.
int CompareNumbers(const rapidjson::Value& a, const rapidjson::Value& b);

}  // namespace capstan::jsonschema
