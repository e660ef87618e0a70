// Type surprises: values whose YAML 1.1 reading (go-yaml v2, as Helm reads values files) differs from what their
// author most likely meant, judged against the chart's default at the same path: an unquoted NO/yes/on/off where a
// string is expected (country codes), 0755 read as octal 493, 1.10 read as 1.1, numbers that templates print in
// exponent form (1000000 -> 1e+06), a fraction where the default is a whole number, integers beyond float64
// precision, and map keys such as `on:` or `y:` that become "true".
#pragma once
#include <string>
#include <vector>

#include "values/lint/source_map.h"
#include "values/value.h"

namespace capstan::values::lint {

struct Surprise {
  std::string message;     // says what YAML reads and why that is surprising
  std::string suggestion;  // the quoted form to write instead ("\"NO\""), when quoting fixes it
  bool on_key = false;     // about the key rather than the value
};

// The surprises of one node of a values file. `default_value` is the chart's default at the node's path (nullptr
// when the chart has none).
std::vector<Surprise> FindTypeSurprises(const SourceNode& node, const Value* default_value);

// For a schema type error on a plain scalar: how YAML 1.1 read it ("YAML 1.1 reads the unquoted NO as the boolean
// false; quote it"); empty when the scalar reads as the string it looks like.
std::string YamlReadingHint(const SourceNode& node);

}  // namespace capstan::values::lint
