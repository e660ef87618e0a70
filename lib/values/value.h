// The values data model: a tree of null/bool/int64/float64/string/list/map nodes, each carrying its provenance
// (which layer set it: a chart's values.yaml, a -f file, a --set flag; and the line and column in that file).
// Numbers follow Helm: every YAML/JSON number is a float64 (sigs.k8s.io/yaml -> JSON -> interface{}), only --set
// produces int64. Maps are ordered by key, the order Helm's toJson/toYaml print them.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace capstan::values {

// Where a layer of values comes from. The order of the enumerators is Helm's precedence for user values
// (files < --set-json < --set < --set-string < --set-file < --set-literal); chart defaults sit below all of them.
enum class LayerKind {
  kChartDefault,  // a chart's (or subchart's) values.yaml
  kImport,        // copied from a subchart by Chart.yaml import-values
  kValuesFile,    // -f/--values
  kSetJson,       // --set-json
  kSet,           // --set
  kSetString,     // --set-string
  kSetFile,       // --set-file
  kSetLiteral,    // --set-literal
};

// The flag spelling of a user layer kind ("--set-json"), or "values.yaml" / "import-values".
std::string_view LayerKindName(LayerKind kind);

struct Layer {
  LayerKind kind = LayerKind::kChartDefault;
  std::string file;   // values.yaml or -f path (as given); for --set-file the file that was read; else empty
  std::string chart;  // for chart defaults and imports: chart path from the top, e.g. "portal" or "portal/db"
  int index = 0;      // 1-based position among the flags of the same kind (--set #2); for -f the file's position
  std::string flag;   // the flag argument as given (for --set* kinds)

  // "values/custom.yaml", "charts/portal/values.yaml", "--set #2 (a.b=1)".
  std::string Describe() const;
};
using LayerPtr = std::shared_ptr<const Layer>;

// Where a node was written. line/column are 1-based; 0 when not known (e.g. --set flags, synthesized maps).
struct Origin {
  LayerPtr layer;
  int line = 0;
  int column = 0;

  bool known() const { return layer != nullptr; }
  // "values.yaml:12:3", "--set #2 (a.b=1)", or "(unknown)".
  std::string Location() const;
};

enum class Kind { kNull, kBool, kInt, kFloat, kString, kList, kMap };
std::string_view KindName(Kind kind);  // "null", "bool", "int", "float", "string", "list", "map"

class Value;
using List = std::vector<Value>;
using Map = std::map<std::string, Value>;

class Value {
 public:
  Value() = default;
  Value(const Value& other);
  Value(Value&&) noexcept = default;
  Value& operator=(const Value& other);
  Value& operator=(Value&&) noexcept = default;
  ~Value() = default;
  static Value Null(Origin o = {});
  static Value Bool(bool b, Origin o = {});
  static Value Int(int64_t i, Origin o = {});
  static Value Float(double f, Origin o = {});
  static Value String(std::string s, Origin o = {});
  static Value MakeList(Origin o = {});
  static Value MakeMap(Origin o = {});

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_map() const { return kind_ == Kind::kMap; }
  bool is_list() const { return kind_ == Kind::kList; }
  bool is_scalar() const { return kind_ != Kind::kMap && kind_ != Kind::kList; }

  bool as_bool() const { return kind_ == Kind::kBool && scalar_.b; }
  int64_t as_int() const { return kind_ == Kind::kInt ? scalar_.i : 0; }
  double as_float() const { return kind_ == Kind::kFloat ? scalar_.f : 0; }
  const std::string& as_string() const { return s_; }
  // The children of a list or map (empty for other kinds; the mutable forms create them on first use).
  const List& list() const { return list_ ? *list_ : EmptyList(); }
  List& list();
  const Map& map() const { return map_ ? *map_ : EmptyMap(); }
  Map& map();

  const Origin& origin() const { return origin_; }
  void set_origin(Origin o) { origin_ = std::move(o); }

  // Map helpers (the value must be a map). Find returns nullptr when absent.
  const Value* Find(const std::string& key) const;
  Value* Find(const std::string& key);
  // Walks a path of map keys; nullptr when any step is missing or not a map.
  const Value* FindPath(const std::vector<std::string>& path) const;

  // Structural equality of the data (origins ignored). Int and Float compare by numeric value.
  bool Equals(const Value& other) const;

 private:
  static const List& EmptyList();
  static const Map& EmptyMap();

  // Kept small (a large values file has millions of nodes): one scalar slot, children behind pointers.
  Kind kind_ = Kind::kNull;
  union Scalar {
    bool b;
    int64_t i;
    double f;
  } scalar_{};
  std::string s_;
  std::unique_ptr<List> list_;
  std::unique_ptr<Map> map_;
  Origin origin_;
};

// A path of map keys, e.g. {"image", "tag"}. Written as "image.tag"; a literal dot in a key is "a\.b".
using Path = std::vector<std::string>;
Path ParsePath(std::string_view dotted);
std::string FormatPath(const Path& path);

// A non-fatal remark, as Helm prints it ("warning: skipped value for mini.a: Not a table."), with the origin of
// the value that caused it when known.
struct Warning {
  std::string message;
  Origin origin;
};

}  // namespace capstan::values
