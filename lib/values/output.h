// Printing values the way Helm's template functions do: toJson (Go encoding/json: sorted keys, shortest float
// formatting, HTML-safe escaping) and toYaml (sigs.k8s.io/yaml over go-yaml v2: sorted keys, YAML 1.1 quoting).
#pragma once
#include <string>

#include "values/value.h"

namespace capstan::values {

std::string ToJson(const Value& v);
// Indented JSON (2 spaces), for humans; same number and string formatting.
std::string ToJsonPretty(const Value& v);
std::string ToYaml(const Value& v);
// A scalar as it reads in a message: strings quoted, numbers as Go prints them.
std::string ScalarText(const Value& v);

}  // namespace capstan::values
