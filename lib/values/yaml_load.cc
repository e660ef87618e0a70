#include "values/yaml_load.h"


#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <memory>

#include "util/error.h"
#include "util/strings.h"
#include "values/go_format.h"
#include "yaml/tree.h"
#include "yaml/yaml11.h"

namespace capstan::values {
namespace {

// Alias bombs ("billion laughs"): go-yaml v2 refuses a document whose nodes decoded through aliases outgrow the
// ratio below (decode.go: allowedAliasRatio), so Helm refuses a 342-byte bomb after a few thousand nodes; the same
// rule here, plus a cap on the expanded node total that bounds time and memory whatever the ratio.
constexpr size_t kMaxNodes = 5'000'000;
constexpr size_t kAliasRatioRangeLow = 400'000;
constexpr size_t kAliasRatioRangeHigh = 4'000'000;

double AllowedAliasRatio(size_t decode_count) {
  if (decode_count <= kAliasRatioRangeLow) return 0.99;  // at most 99% of the nodes come from aliases
  if (decode_count >= kAliasRatioRangeHigh) return 0.10;
  return 0.99 - 0.89 * (static_cast<double>(decode_count - kAliasRatioRangeLow) /
                        static_cast<double>(kAliasRatioRangeHigh - kAliasRatioRangeLow));
}

struct ParseFailure {
  std::string message;
  int line = 0;
};

// Converts the documents of a yaml::Tree (the shared libfyaml reader, which also guards against libfyaml's known
// bugs) into Values with go-yaml v2 / sigs.k8s.io/yaml semantics.
class Converter {
 public:
  explicit Converter(LayerPtr layer) : layer_(std::move(layer)) {}

  Value Convert(const yaml::Node& n) {
    Count(n);
    if (n.kind() == yaml::Kind::kAlias) {
      yaml::Node target = n.Resolved();
      if (!target.valid()) return Value::Null(OriginOf(n));
      ++alias_depth_;
      Value v = ConvertNode(target, OriginOf(n));
      --alias_depth_;
      return v;
    }
    return ConvertNode(n, OriginOf(n));
  }

 private:
  // go-yaml v2's decoder counts (decode.go: d.decodeCount, d.aliasCount).
  void Count(const yaml::Node& n) {
    ++nodes_;
    if (alias_depth_ > 0) ++alias_nodes_;
    if (alias_nodes_ > 100 && nodes_ > 1000 &&
        static_cast<double>(alias_nodes_) / static_cast<double>(nodes_) > AllowedAliasRatio(nodes_)) {
      throw ParseFailure{"document contains excessive aliasing", 0};  // go-yaml's words (no line), as Helm says
    }
    if (nodes_ > kMaxNodes) {
      throw ParseFailure{"the document expands to more than " + std::to_string(kMaxNodes) +
                             " nodes (aliases counted at every use); split the file or use fewer aliases",
                         Line(n)};
    }
  }

  Value ConvertNode(const yaml::Node& node, Origin origin) {
    if (!node.valid()) return Value::Null(std::move(origin));
    switch (node.kind()) {
      case yaml::Kind::kMapping: {
        Value map = Value::MakeMap(origin);
        for (const auto& [k, v] : node.Entries()) {
          yaml::Node key = k.kind() == yaml::Kind::kAlias ? k.Resolved() : k;
          if (key.valid() && key.kind() == yaml::Kind::kScalar && k.kind() != yaml::Kind::kAlias &&
              key.scalar() == "<<" && key.style() == yaml::Style::kPlain && key.tag().empty()) {
            MergeInto(map, v);
            continue;
          }
          Origin key_origin = OriginOf(k);
          Value value = Convert(v);
          value.set_origin(key_origin);  // a node's origin is where its key is written
          map.map()[KeyString(key)] = std::move(value);  // duplicate keys: the last wins, as in go-yaml v2
        }
        if (!map.map().empty() && map.origin().line == 0) map.set_origin(map.map().begin()->second.origin());
        return map;
      }
      case yaml::Kind::kSequence: {
        Value list = Value::MakeList(origin);
        for (const auto& item : node.Items()) list.list().push_back(Convert(item));
        return list;
      }
      default: return Scalar(node, std::move(origin));
    }
  }

  int Line(const yaml::Node& n) const { return n.valid() && n.has_position() ? static_cast<int>(n.start().line) + 1 : 0; }

  Origin OriginOf(const yaml::Node& n) const {
    Origin o;
    o.layer = layer_;
    if (n.valid() && n.has_position()) {
      o.line = static_cast<int>(n.start().line) + 1;
      o.column = static_cast<int>(n.start().column) + 1;
    }
    return o;
  }

  Value Scalar(const yaml::Node& n, Origin origin) {
    yaml::ResolvedScalar r = yaml::Resolve(n);
    switch (r.type) {
      case yaml::ScalarType::kNull: return Value::Null(std::move(origin));
      case yaml::ScalarType::kBool: return Value::Bool(r.boolean, std::move(origin));
      case yaml::ScalarType::kInt:
        return Value::Float(r.is_unsigned ? static_cast<double>(r.uinteger) : static_cast<double>(r.integer),
                            std::move(origin));
      case yaml::ScalarType::kFloat:
        if (std::isnan(r.number) || std::isinf(r.number)) {
          throw ParseFailure{"json: unsupported value: " +
                                 std::string(std::isnan(r.number) ? "NaN" : (r.number > 0 ? "+Inf" : "-Inf")),
                             origin.line};
        }
        return Value::Float(r.number, std::move(origin));
      case yaml::ScalarType::kString: return Value::String(std::string(n.scalar()), std::move(origin));
    }
    return Value::Null(std::move(origin));
  }

  // sigs.k8s.io/yaml's conversion of a go-yaml map key to a JSON object key.
  std::string KeyString(const yaml::Node& key) {
    if (!key.valid()) throw ParseFailure{"Unsupported map key of type: %!s(<nil>)", 0};
    if (key.kind() != yaml::Kind::kScalar) {
      throw ParseFailure{"invalid map key: a map or a list cannot be a key", Line(key)};
    }
    yaml::ResolvedScalar r = yaml::Resolve(key);
    switch (r.type) {
      case yaml::ScalarType::kString: return std::string(key.scalar());
      case yaml::ScalarType::kBool: return r.boolean ? "true" : "false";
      case yaml::ScalarType::kInt: return r.is_unsigned ? std::to_string(r.uinteger) : std::to_string(r.integer);
      case yaml::ScalarType::kFloat: return FormatFloatKey(r.number);
      case yaml::ScalarType::kNull: break;
    }
    throw ParseFailure{"Unsupported map key of type: %!s(<nil>)", Line(key)};
  }

  // go-yaml v2: "<<: map" or "<<: [map, map]" copies keys into the map being built (overriding earlier keys);
  // in a list the earlier maps win.
  void MergeInto(Value& map, const yaml::Node& value) {
    int line = Line(value);
    auto fail = [&]() { return ParseFailure{"map merge requires map or sequence of maps as the value", line}; };
    yaml::Node v = value.kind() == yaml::Kind::kAlias ? value.Resolved() : value;
    if (!v.valid()) throw fail();
    if (v.kind() == yaml::Kind::kMapping) {
      Value src = Convert(value);
      for (auto& [k, c] : src.map()) map.map()[k] = std::move(c);
      return;
    }
    if (v.kind() == yaml::Kind::kSequence && value.kind() != yaml::Kind::kAlias) {
      auto items = v.Items();
      for (size_t i = items.size(); i-- > 0;) {
        yaml::Node item = items[i].kind() == yaml::Kind::kAlias ? items[i].Resolved() : items[i];
        if (!item.valid() || item.kind() != yaml::Kind::kMapping) throw fail();
        Value src = Convert(items[i]);
        for (auto& [k, c] : src.map()) map.map()[k] = std::move(c);
      }
      return;
    }
    throw fail();
  }

  LayerPtr layer_;
  size_t nodes_ = 0;        // nodes converted, aliased ones at every use
  size_t alias_nodes_ = 0;  // of which reached through an alias
  int alias_depth_ = 0;
};

std::string FileName(const LayerPtr& layer) { return layer && !layer->file.empty() ? layer->file : "<input>"; }

const char* GoTypeName(const Value& v) {
  switch (v.kind()) {
    case Kind::kList: return "array";
    case Kind::kString: return "string";
    case Kind::kBool: return "bool";
    case Kind::kInt:
    case Kind::kFloat: return "number";
    default: return "value";
  }
}

// libfyaml 0.7 rejects an empty item of an indentless block sequence ("key:\n- 1\n-\nnext: 2"), which go-yaml
// reads as null. When parsing fails, a bare "-" line whose next content line is not more indented (so the item is
// certainly empty) is rewritten to "- ~" and the parse retried. Lines inside block scalars are left alone.
bool RewriteEmptySequenceItems(std::string_view text, std::string* out) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  auto indent_of = [](std::string_view l) {
    size_t i = 0;
    while (i < l.size() && l[i] == ' ') ++i;
    return i;
  };
  auto blank = [&](std::string_view l) {
    size_t i = indent_of(l);
    return i == l.size() || l[i] == '#' || l[i] == '\r';
  };
  bool changed = false;
  long block_indent = -1;  // inside a block scalar started by a line with this indentation
  std::string result;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view l = lines[i];
    size_t ind = indent_of(l);
    if (block_indent >= 0) {
      if (blank(l) || static_cast<long>(ind) > block_indent) {
        result.append(l);
        if (i + 1 < lines.size()) result += '\n';
        continue;
      }
      block_indent = -1;
    }
    std::string_view body = l.substr(ind);
    size_t hash = body.find(" #");
    std::string_view code = Trim(hash == std::string_view::npos ? body : body.substr(0, hash));
    bool bare_dash = code == "-";
    if (bare_dash) {
      size_t j = i + 1;
      while (j < lines.size() && blank(lines[j])) ++j;
      if (j == lines.size() || indent_of(lines[j]) <= ind) {
        result.append(l.substr(0, ind));
        result += "- ~";
        changed = true;
        if (i + 1 < lines.size()) result += '\n';
        continue;
      }
    }
    // A block scalar header ends the line: "key: |", "- >-", "key: |2+".
    if (!code.empty()) {
      size_t k = code.size();
      while (k > 0 && (std::isdigit(static_cast<unsigned char>(code[k - 1])) || code[k - 1] == '+' || code[k - 1] == '-'))
        --k;
      if (k > 0 && (code[k - 1] == '|' || code[k - 1] == '>') &&
          (k == 1 || code[k - 2] == ' ' || code[k - 2] == ':' || code[k - 2] == '-')) {
        block_indent = static_cast<long>(ind);
      }
    }
    result.append(l);
    if (i + 1 < lines.size()) result += '\n';
  }
  if (changed) *out = std::move(result);
  return changed;
}

std::vector<yaml::Tree> ParseTrees(std::string_view text) {
  yaml::ParseOptions po;
  po.allow_duplicate_keys = true;
  po.allow_multiple_documents = true;
  // The Converter bounds alias expansion itself, as go-yaml v2 does (its ratio rule and Helm's words first, then
  // kMaxNodes), while it converts: the tree's own expansion limit would refuse first, in other words than Helm's.
  po.max_expanded_nodes = std::numeric_limits<size_t>::max();
  try {
    return yaml::Tree::ParseAll(text, po);
  } catch (const yaml::ParseError& e) {
    throw ParseFailure{e.reason(), static_cast<int>(e.line()) + 1};
  }
}

Value ParseAll(std::string_view text, const LayerPtr& layer, int helm_major) {
  std::vector<yaml::Tree> trees = ParseTrees(text);
  Value result = Value::MakeMap(Origin{layer, 1, 1});
  bool any = false;
  for (const auto& tree : trees) {
    Converter conv(layer);
    Value doc = tree.root().valid() ? conv.Convert(tree.root()) : Value::Null();
    if (!doc.is_null() && !doc.is_map()) {
      throw ParseFailure{"error unmarshaling JSON: while decoding JSON: json: cannot unmarshal " +
                             std::string(GoTypeName(doc)) + " into Go value of type map[string]interface {}",
                         doc.origin().line};
    }
    if (doc.is_map()) {
      result = any ? MergeMaps(result, doc) : doc;
      result.set_origin(Origin{layer, 1, 1});
      any = true;
    }
    if (helm_major < 4) break;  // Helm 3: the first document only
  }
  return result;
}

}  // namespace

Value MergeMaps(const Value& a, const Value& b) {
  Value out = a.is_map() ? a : Value::MakeMap(b.origin());
  for (const auto& [k, v] : b.map()) {
    Value* existing = out.Find(k);
    if (v.is_map() && existing && existing->is_map()) {
      *existing = MergeMaps(*existing, v);
      existing->set_origin(v.origin());
    } else {
      out.map()[k] = v;
    }
  }
  return out;
}

Value ParseValuesYaml(std::string_view text, const LayerPtr& layer, int helm_major) {
  std::string prefix = "failed to parse " + FileName(layer) + ": ";
  if (helm_major >= 4) prefix += "cannot unmarshal yaml document: ";
  try {
    return ParseAll(text, layer, helm_major);
  } catch (const ParseFailure& f) {
    std::string rewritten;
    if (RewriteEmptySequenceItems(text, &rewritten)) {
      try {
        return ParseAll(rewritten, layer, helm_major);
      } catch (const ParseFailure&) {
      }
    }
    std::string where = f.line > 0 ? "yaml: line " + std::to_string(f.line) + ": " : "yaml: ";
    throw Error(prefix + "error converting YAML to JSON: " + where + f.message);
  }
}

Value ParseYamlDocument(std::string_view text, const LayerPtr& layer) {
  try {
    std::vector<yaml::Tree> trees = ParseTrees(text);
    if (trees.empty() || !trees.front().root().valid()) return Value::Null();
    Converter conv(layer);
    return conv.Convert(trees.front().root());
  } catch (const ParseFailure& f) {
    std::string where = f.line > 0 ? ":" + std::to_string(f.line) : "";
    throw Error("cannot parse " + FileName(layer) + where + ": " + f.message);
  }
}

}  // namespace capstan::values
