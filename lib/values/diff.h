// `capstan values diff`: what an upgrade from one chart version to another means for the same customer files:
// settings the new chart no longer has (removed or renamed), settings that pin the old default while the default
// changed, and overrides that now equal the new default (redundant).
#pragma once
#include <string>
#include <vector>

#include "values/engine.h"

namespace capstan::values {

struct DiffFinding {
  enum class Kind { kRemoved, kPinnedOldDefault, kRedundant };
  Kind kind = Kind::kRemoved;
  Path path;
  Origin origin;          // where the customer sets it (the winning layer)
  Value customer;         // the customer's value
  Value old_default;      // null when the old chart has no default there
  Value new_default;
  bool has_old_default = false;
  bool has_new_default = false;
  std::string suggestion;  // for kRemoved: a likely new name ("image.repository"), or empty
};

std::string_view DiffKindName(DiffFinding::Kind kind);  // "removed", "pinned-old-default", "redundant"

// Findings in path order.
std::vector<DiffFinding> DiffUpgrade(const Chart& old_chart, const Chart& new_chart, const UserInput& input,
                                     const Options& options);

}  // namespace capstan::values
