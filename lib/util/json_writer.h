// A small JSON writer over rapidjson's Writer / PrettyWriter for the commands' reports: keys and values in one
// call (Field), nested objects and arrays by name, optional fields, and the finished text. Compact by default;
// pretty output indents by a given number of spaces (rapidjson's PrettyWriter layout). The bytes are exactly
// rapidjson's for the same sequence of calls.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace capstan {

class JsonWriter {
 public:
  // indent 0: compact ({"a":1}); else pretty, indented by that many spaces.
  explicit JsonWriter(unsigned indent = 0);
  ~JsonWriter();
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  // Values: inside an array, or after Key().
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Bool(bool value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Uint(uint64_t value);
  JsonWriter& Double(double value);
  JsonWriter& Null();
  JsonWriter& StartObject();
  JsonWriter& EndObject();
  JsonWriter& StartArray();
  JsonWriter& EndArray();

  // Key and value in one call.
  JsonWriter& Field(std::string_view key, std::string_view value) { return Key(key).String(value); }
  JsonWriter& Field(std::string_view key, const char* value) { return Key(key).String(value); }
  JsonWriter& Field(std::string_view key, const std::string& value) { return Key(key).String(value); }
  JsonWriter& Field(std::string_view key, bool value) { return Key(key).Bool(value); }
  JsonWriter& Field(std::string_view key, int value) { return Key(key).Int(value); }
  JsonWriter& Field(std::string_view key, int64_t value) { return Key(key).Int(value); }
  JsonWriter& Field(std::string_view key, uint64_t value) { return Key(key).Uint(value); }
  // Only when value is not empty.
  JsonWriter& FieldIfSet(std::string_view key, std::string_view value) {
    return value.empty() ? *this : Field(key, value);
  }
  JsonWriter& StartObject(std::string_view key) { return Key(key).StartObject(); }
  JsonWriter& StartArray(std::string_view key) { return Key(key).StartArray(); }

  // The text written so far (a complete document once every object and array is ended).
  std::string str() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace capstan
