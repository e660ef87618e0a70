#include "values/value.h"

#include <cmath>

namespace capstan::values {

std::string_view LayerKindName(LayerKind kind) {
  switch (kind) {
    case LayerKind::kChartDefault: return "values.yaml";
    case LayerKind::kImport: return "import-values";
    case LayerKind::kValuesFile: return "--values";
    case LayerKind::kSetJson: return "--set-json";
    case LayerKind::kSet: return "--set";
    case LayerKind::kSetString: return "--set-string";
    case LayerKind::kSetFile: return "--set-file";
    case LayerKind::kSetLiteral: return "--set-literal";
  }
  return "?";
}

std::string Layer::Describe() const {
  switch (kind) {
    case LayerKind::kChartDefault:
    case LayerKind::kValuesFile:
      return file;
    case LayerKind::kImport:
    {
      std::string out = "import-values of ";
      out += chart;
      return out;
    }
    default:
    {
      std::string out(LayerKindName(kind));
      out += " #";
      out += std::to_string(index);
      out += " (";
      out += flag;
      out += ')';
      return out;
    }
  }
}

std::string Origin::Location() const {
  if (!layer) return "(unknown)";
  std::string out = layer->Describe();
  bool is_file = layer->kind == LayerKind::kChartDefault || layer->kind == LayerKind::kValuesFile;
  if (is_file && line > 0) {
    out += ':';
    out += std::to_string(line);
    if (column > 0) {
      out += ':';
      out += std::to_string(column);
    }
  }
  return out;
}

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kNull: return "null";
    case Kind::kBool: return "bool";
    case Kind::kInt: return "int";
    case Kind::kFloat: return "float";
    case Kind::kString: return "string";
    case Kind::kList: return "list";
    case Kind::kMap: return "map";
  }
  return "?";
}

Value Value::Null(Origin o) {
  Value v;
  v.origin_ = std::move(o);
  return v;
}
Value Value::Bool(bool b, Origin o) {
  Value v;
  v.kind_ = Kind::kBool;
  v.scalar_.b = b;
  v.origin_ = std::move(o);
  return v;
}
Value Value::Int(int64_t i, Origin o) {
  Value v;
  v.kind_ = Kind::kInt;
  v.scalar_.i = i;
  v.origin_ = std::move(o);
  return v;
}
Value Value::Float(double f, Origin o) {
  Value v;
  v.kind_ = Kind::kFloat;
  v.scalar_.f = f;
  v.origin_ = std::move(o);
  return v;
}
Value Value::String(std::string s, Origin o) {
  Value v;
  v.kind_ = Kind::kString;
  v.s_ = std::move(s);
  v.origin_ = std::move(o);
  return v;
}
Value Value::MakeList(Origin o) {
  Value v;
  v.kind_ = Kind::kList;
  v.origin_ = std::move(o);
  return v;
}
Value Value::MakeMap(Origin o) {
  Value v;
  v.kind_ = Kind::kMap;
  v.origin_ = std::move(o);
  return v;
}

Value::Value(const Value& other)
    : kind_(other.kind_),
      scalar_(other.scalar_),
      s_(other.s_),
      list_(other.list_ ? std::make_unique<List>(*other.list_) : nullptr),
      map_(other.map_ ? std::make_unique<Map>(*other.map_) : nullptr),
      origin_(other.origin_) {}

Value& Value::operator=(const Value& other) {
  if (this != &other) {
    Value copy(other);
    *this = std::move(copy);
  }
  return *this;
}

const List& Value::EmptyList() {
  static const List empty;
  return empty;
}

const Map& Value::EmptyMap() {
  static const Map empty;
  return empty;
}

List& Value::list() {
  if (!list_) list_ = std::make_unique<List>();
  return *list_;
}

Map& Value::map() {
  if (!map_) map_ = std::make_unique<Map>();
  return *map_;
}

const Value* Value::Find(const std::string& key) const {
  if (kind_ != Kind::kMap || !map_) return nullptr;
  auto it = map_->find(key);
  return it == map_->end() ? nullptr : &it->second;
}

Value* Value::Find(const std::string& key) {
  if (kind_ != Kind::kMap || !map_) return nullptr;
  auto it = map_->find(key);
  return it == map_->end() ? nullptr : &it->second;
}

const Value* Value::FindPath(const std::vector<std::string>& path) const {
  const Value* cur = this;
  for (const auto& key : path) {
    cur = cur->Find(key);
    if (!cur) return nullptr;
  }
  return cur;
}

bool Value::Equals(const Value& other) const {
  auto numeric = [](const Value& v) { return v.kind_ == Kind::kInt || v.kind_ == Kind::kFloat; };
  if (numeric(*this) && numeric(other)) {
    double a = kind_ == Kind::kInt ? static_cast<double>(scalar_.i) : scalar_.f;
    double b = other.kind_ == Kind::kInt ? static_cast<double>(other.scalar_.i) : other.scalar_.f;
    if (kind_ == Kind::kInt && other.kind_ == Kind::kInt) return scalar_.i == other.scalar_.i;
    return a == b;
  }
  if (kind_ != other.kind_) return false;
  switch (kind_) {
    case Kind::kNull: return true;
    case Kind::kBool: return scalar_.b == other.scalar_.b;
    case Kind::kString: return s_ == other.s_;
    case Kind::kList: {
      const List& l = list();
      const List& o = other.list();
      if (l.size() != o.size()) return false;
      for (size_t i = 0; i < l.size(); ++i)
        if (!l[i].Equals(o[i])) return false;
      return true;
    }
    case Kind::kMap: {
      const Map& m = map();
      const Map& o = other.map();
      if (m.size() != o.size()) return false;
      auto a = m.begin();
      auto b = o.begin();
      for (; a != m.end(); ++a, ++b)
        if (a->first != b->first || !a->second.Equals(b->second)) return false;
      return true;
    }
    default: return false;
  }
}

Path ParsePath(std::string_view dotted) {
  Path out;
  std::string cur;
  for (size_t i = 0; i < dotted.size(); ++i) {
    char c = dotted[i];
    if (c == '\\' && i + 1 < dotted.size()) {
      cur += dotted[++i];
    } else if (c == '.') {
      out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(std::move(cur));
  if (out.size() == 1 && out[0].empty()) out.clear();
  return out;
}

std::string FormatPath(const Path& path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    if (i) out += '.';
    for (char c : path[i]) {
      if (c == '.' || c == '\\') out += '\\';
      out += c;
    }
  }
  return out;
}

}  // namespace capstan::values
