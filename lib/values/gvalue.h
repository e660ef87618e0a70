// Internal to the values engine: values with Go's reference semantics. Helm's coalescing code shares maps between
// trees (shallow copies in coalesceGlobals, tables imported by import-values) and mutates them in place; the
// results users see depend on that sharing, so the engine ports the algorithm onto this representation, where a
// copy of a GValue shares its map exactly as a Go interface{} holding a map does.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "values/value.h"

namespace capstan::values::internal {

struct GValue;
using GMap = std::map<std::string, GValue>;
using GMapPtr = std::shared_ptr<GMap>;

struct GValue {
  Kind kind = Kind::kNull;
  bool b = false;
  int64_t i = 0;
  double f = 0;
  std::string s;
  std::vector<GValue> list;
  GMapPtr map;  // set iff kind == kMap
  Origin origin;

  bool is_null() const { return kind == Kind::kNull; }
  bool is_map() const { return kind == Kind::kMap; }
  static GValue NewMap(Origin o = {}) {
    GValue v;
    v.kind = Kind::kMap;
    v.map = std::make_shared<GMap>();
    v.origin = std::move(o);
    return v;
  }
};

GValue ToG(const Value& v);            // deep
Value FromG(const GValue& v);          // deep
GValue DeepCopy(const GValue& v);      // copystructure.Copy
GMapPtr ShallowCopy(const GMapPtr& m);  // copyMap
std::string GoV(const GValue& v);      // fmt %v
std::string GoT(const GValue& v);      // fmt %t (as in "type mismatch on sub: %t")

}  // namespace capstan::values::internal
