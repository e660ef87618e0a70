#include "values/gvalue.h"

#include "values/go_format.h"

namespace capstan::values::internal {

GValue ToG(const Value& v) {
  GValue g;
  g.kind = v.kind();
  g.origin = v.origin();
  switch (v.kind()) {
    case Kind::kBool: g.b = v.as_bool(); break;
    case Kind::kInt: g.i = v.as_int(); break;
    case Kind::kFloat: g.f = v.as_float(); break;
    case Kind::kString: g.s = v.as_string(); break;
    case Kind::kList:
      g.list.reserve(v.list().size());
      for (const auto& item : v.list()) g.list.push_back(ToG(item));
      break;
    case Kind::kMap:
      g.map = std::make_shared<GMap>();
      for (const auto& [k, c] : v.map()) g.map->emplace(k, ToG(c));
      break;
    case Kind::kNull: break;
  }
  return g;
}

Value FromG(const GValue& g) {
  switch (g.kind) {
    case Kind::kNull: return Value::Null(g.origin);
    case Kind::kBool: return Value::Bool(g.b, g.origin);
    case Kind::kInt: return Value::Int(g.i, g.origin);
    case Kind::kFloat: return Value::Float(g.f, g.origin);
    case Kind::kString: return Value::String(g.s, g.origin);
    case Kind::kList: {
      Value v = Value::MakeList(g.origin);
      v.list().reserve(g.list.size());
      for (const auto& item : g.list) v.list().push_back(FromG(item));
      return v;
    }
    case Kind::kMap: {
      Value v = Value::MakeMap(g.origin);
      if (g.map)
        for (const auto& [k, c] : *g.map) v.map().emplace(k, FromG(c));
      return v;
    }
  }
  return Value::Null();
}

GValue DeepCopy(const GValue& v) {
  GValue g = v;
  if (v.kind == Kind::kMap) {
    g.map = std::make_shared<GMap>();
    if (v.map)
      for (const auto& [k, c] : *v.map) g.map->emplace(k, DeepCopy(c));
  } else if (v.kind == Kind::kList) {
    for (auto& item : g.list) item = DeepCopy(item);
  }
  return g;
}

GMapPtr ShallowCopy(const GMapPtr& m) { return std::make_shared<GMap>(m ? *m : GMap{}); }

std::string GoV(const GValue& v) {
  switch (v.kind) {
    case Kind::kNull: return "<nil>";
    case Kind::kBool: return v.b ? "true" : "false";
    case Kind::kInt: return std::to_string(v.i);
    case Kind::kFloat: return FormatFloatG(v.f, 64);
    case Kind::kString: return v.s;
    case Kind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < v.list.size(); ++i) {
        if (i) out += ' ';
        out += GoV(v.list[i]);
      }
      return out + "]";
    }
    case Kind::kMap: {
      std::string out = "map[";
      bool first = true;
      if (v.map)
        for (const auto& [k, c] : *v.map) {
          if (!first) out += ' ';
          out += k;
          out += ':';
          out += GoV(c);
          first = false;
        }
      return out + "]";
    }
  }
  return "";
}

std::string GoT(const GValue& v) {
  switch (v.kind) {
    case Kind::kNull: return "%!t(<nil>)";
    case Kind::kBool: return v.b ? "true" : "false";
    case Kind::kInt: return "%!t(int64=" + std::to_string(v.i) + ")";
    case Kind::kFloat: return "%!t(float64=" + FormatFloatG(v.f, 64) + ")";
    case Kind::kString: return "%!t(string=" + v.s + ")";
    case Kind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < v.list.size(); ++i) {
        if (i) out += ' ';
        out += GoT(v.list[i]);
      }
      return out + "]";
    }
    case Kind::kMap: return "map[...]";
  }
  return "";
}

}  // namespace capstan::values::internal
