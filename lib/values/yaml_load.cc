#include "values/yaml_load.h"
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"  // GCC 12 false positive on "literal" + std::string (PR105651)
#endif

#include <libfyaml.h>

#include <cctype>
#include <cmath>
#include <map>
#include <memory>

#include "util/error.h"
#include "util/strings.h"
#include "yaml/yaml11.h"

namespace capstan::values {
namespace {

constexpr size_t kMaxNodes = 5'000'000;  // guards against alias bombs ("billion laughs")

struct ParseFailure {
  std::string message;
  int line = 0;
};

class Builder {
 public:
  Builder(std::string_view text, LayerPtr layer) : layer_(std::move(layer)) {
    fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = nullptr;
    dcfg.output_fn = [](fy_diag*, void*, const char*, size_t) {};
    dcfg.colorize = false;
    diag_ = fy_diag_create(&dcfg);
    if (diag_) fy_diag_set_collect_errors(diag_, true);
    fy_parse_cfg cfg{};
    cfg.flags = static_cast<fy_parse_cfg_flags>(FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_1 | FYPCF_JSON_NONE);
    cfg.diag = diag_;
    parser_ = fy_parser_create(&cfg);
    if (!parser_) throw Error("cannot create a YAML parser (out of memory?)");
    if (fy_parser_set_string(parser_, text.data(), text.size()) != 0) {
      throw Error("cannot read YAML input");
    }
  }
  ~Builder() {
    if (parser_) fy_parser_destroy(parser_);
    if (diag_) fy_diag_destroy(diag_);
  }
  Builder(const Builder&) = delete;
  Builder& operator=(const Builder&) = delete;

  // Returns false at the end of the stream; otherwise fills *doc with the document's root (null if empty).
  bool NextDocument(Value* doc, bool* empty) {
    anchors_.clear();
    while (true) {
      Event ev = Next();
      if (!ev) return false;
      switch (ev->type) {
        case FYET_STREAM_START: continue;
        case FYET_STREAM_END: return false;
        case FYET_DOCUMENT_START: {
          Event first = Next();
          if (!first) throw Fail("unexpected end of input", 0);
          if (first->type == FYET_DOCUMENT_END) {
            *doc = Value::Null();
            *empty = true;
            return true;
          }
          *doc = Build(first.get());
          *empty = false;
          Event end = Next();
          if (!end || end->type != FYET_DOCUMENT_END) throw Fail("expected the end of the document", 0);
          return true;
        }
        default: throw Fail("unexpected YAML event", 0);
      }
    }
  }

 private:
  struct EventDeleter {
    fy_parser* parser;
    void operator()(fy_event* e) const {
      if (e) fy_parser_event_free(parser, e);
    }
  };
  using Event = std::unique_ptr<fy_event, EventDeleter>;

  ParseFailure Fail(std::string message, int line) { return ParseFailure{std::move(message), line}; }

  Event Next() {
    fy_event* e = fy_parser_parse(parser_);
    if (!e) {
      if (fy_parser_get_stream_error(parser_)) {
        std::string msg = "invalid YAML";
        int line = 0;
        if (diag_) {
          void* it = nullptr;
          if (fy_diag_error* err = fy_diag_errors_iterate(diag_, &it)) {
            if (err->msg) msg = err->msg;
            line = err->line + 1;
          }
        }
        throw Fail(msg, line);
      }
      return Event(nullptr, EventDeleter{parser_});
    }
    return Event(e, EventDeleter{parser_});
  }

  Origin OriginOf(fy_token* tok) const {
    Origin o;
    o.layer = layer_;
    if (tok) {
      if (const fy_mark* m = fy_token_start_mark(tok)) {
        o.line = m->line + 1;
        o.column = m->column + 1;
      }
    }
    return o;
  }

  static std::string TokenText(fy_token* tok) {
    if (!tok) return {};
    size_t len = 0;
    const char* t = fy_token_get_text(tok, &len);
    return t ? std::string(t, len) : std::string();
  }

  void Count() {
    if (++nodes_ > kMaxNodes) throw Fail("document contains excessive aliasing", 0);
  }

  // A scalar with its go-yaml v2 resolution (needed for keys, which format ints and floats differently).
  struct ScalarInfo {
    yaml::Scalar resolved;
    std::string text;
    bool plain = true;
  };

  ScalarInfo Resolve(fy_event* ev) {
    ScalarInfo info;
    info.text = TokenText(ev->scalar.value);
    std::string tag = TokenText(ev->scalar.tag);
    bool quoted = fy_token_scalar_style(ev->scalar.value) != FYSS_PLAIN;
    auto is = [&](const char* short_name, const char* long_name) { return tag == short_name || tag == long_name; };
    if (is("!!str", "tag:yaml.org,2002:str") || is("!!binary", "tag:yaml.org,2002:binary")) {
      info.plain = false;
      return info;
    }
    if (quoted && tag.empty()) {
      info.plain = false;
      return info;
    }
    info.resolved = yaml::ResolvePlain(info.text);
    if (!tag.empty() && tag != "!") {
      // An explicit tag must agree with the resolution, as in go-yaml v2.
      yaml::ScalarType t = info.resolved.type;
      bool ok = true;
      if (is("!!int", "tag:yaml.org,2002:int")) ok = t == yaml::ScalarType::kInt || t == yaml::ScalarType::kUint;
      else if (is("!!float", "tag:yaml.org,2002:float")) {
        ok = t == yaml::ScalarType::kInt || t == yaml::ScalarType::kUint || t == yaml::ScalarType::kFloat;
      } else if (is("!!bool", "tag:yaml.org,2002:bool")) ok = t == yaml::ScalarType::kBool;
      else if (is("!!null", "tag:yaml.org,2002:null")) ok = t == yaml::ScalarType::kNull;
      if (!ok) {
        throw Fail("cannot decode " + std::string(quoted ? "" : "!!") + "str `" + info.text + "` as a " + tag,
                   OriginOf(ev->scalar.value).line);
      }
    } else if (tag == "!") {
      info.plain = false;
    }
    if (!info.plain) info.resolved = yaml::Scalar{};
    return info;
  }

  Value ScalarValue(const ScalarInfo& info, Origin origin) {
    if (!info.plain) return Value::String(info.text, std::move(origin));
    const auto& r = info.resolved;
    switch (r.type) {
      case yaml::ScalarType::kNull: return Value::Null(std::move(origin));
      case yaml::ScalarType::kBool: return Value::Bool(r.b, std::move(origin));
      case yaml::ScalarType::kInt:
      case yaml::ScalarType::kUint:
        return Value::Float(r.AsDouble(), std::move(origin));
      case yaml::ScalarType::kFloat:
        if (std::isnan(r.f) || std::isinf(r.f)) {
          throw Fail("json: unsupported value: " +
                         std::string(std::isnan(r.f) ? "NaN" : (r.f > 0 ? "+Inf" : "-Inf")),
                     origin.line);
        }
        return Value::Float(r.f, std::move(origin));
      case yaml::ScalarType::kString: return Value::String(info.text, std::move(origin));
    }
    return Value::Null(std::move(origin));
  }

  std::string KeyString(const ScalarInfo& info, int line) {
    if (!info.plain) return info.text;
    const auto& r = info.resolved;
    switch (r.type) {
      case yaml::ScalarType::kString: return info.text;
      case yaml::ScalarType::kBool: return r.b ? "true" : "false";
      case yaml::ScalarType::kInt: return std::to_string(r.i);
      case yaml::ScalarType::kUint: return std::to_string(r.u);
      case yaml::ScalarType::kFloat: return yaml::FormatFloatKey(r.f);
      case yaml::ScalarType::kNull:
        throw Fail("Unsupported map key of type: %!s(<nil>)", line);
    }
    return info.text;
  }

  void RememberAnchor(fy_token* anchor, const Value& v) {
    if (anchor) anchors_[TokenText(anchor)] = v;
  }

  Value Build(fy_event* ev) {
    Count();
    switch (ev->type) {
      case FYET_SCALAR: {
        ScalarInfo info = Resolve(ev);
        Value v = ScalarValue(info, OriginOf(ev->scalar.value));
        RememberAnchor(ev->scalar.anchor, v);
        return v;
      }
      case FYET_ALIAS: {
        std::string name = TokenText(ev->alias.anchor);
        auto it = anchors_.find(name);
        if (it == anchors_.end()) throw Fail("unknown anchor '" + name + "' referenced", OriginOf(ev->alias.anchor).line);
        CountTree(it->second);
        return it->second;
      }
      case FYET_SEQUENCE_START: {
        Value list = Value::MakeList(OriginOf(ev->sequence_start.sequence_start));
        fy_token* anchor = ev->sequence_start.anchor;
        std::string anchor_name = TokenText(anchor);
        while (true) {
          Event item = Next();
          if (!item) throw Fail("unexpected end of a sequence", 0);
          if (item->type == FYET_SEQUENCE_END) break;
          list.list().push_back(Build(item.get()));
        }
        if (!list.list().empty() && list.origin().line == 0) list.set_origin(list.list().front().origin());
        if (anchor) anchors_[anchor_name] = list;
        return list;
      }
      case FYET_MAPPING_START: {
        Value map = Value::MakeMap(OriginOf(ev->mapping_start.mapping_start));
        fy_token* anchor = ev->mapping_start.anchor;
        std::string anchor_name = TokenText(anchor);
        bool first = true;
        while (true) {
          Event key = Next();
          if (!key) throw Fail("unexpected end of a mapping", 0);
          if (key->type == FYET_MAPPING_END) break;
          if (key->type != FYET_SCALAR) {
            if (key->type == FYET_ALIAS) {
              Value k = Build(key.get());
              if (!k.is_scalar()) throw Fail("invalid map key: a map or list cannot be a key", 0);
              Event val = Next();
              if (!val) throw Fail("unexpected end of a mapping", 0);
              Value v = Build(val.get());
              map.map()[ScalarKey(k)] = std::move(v);
              continue;
            }
            throw Fail("invalid map key: a map or list cannot be a key (go-yaml: hash of unhashable type)",
                       0);
          }
          Origin key_origin = OriginOf(key->scalar.value);
          if (first && map.origin().line == 0) map.set_origin(key_origin);
          first = false;
          ScalarInfo kinfo = Resolve(key.get());
          bool merge = kinfo.text == "<<" && fy_token_scalar_style(key->scalar.value) == FYSS_PLAIN &&
                       TokenText(key->scalar.tag).empty();
          if (key->scalar.anchor) RememberAnchor(key->scalar.anchor, ScalarValue(kinfo, key_origin));
          Event val = Next();
          if (!val) throw Fail("unexpected end of a mapping", 0);
          if (merge) {
            Value src = Build(val.get());
            MergeInto(map, src, val->type == FYET_SEQUENCE_START, key_origin.line);
            continue;
          }
          std::string k = KeyString(kinfo, key_origin.line);
          Value v = Build(val.get());
          // The node's origin is where its key is written: that is the line explain and lint point at.
          v.set_origin(key_origin);
          map.map()[k] = std::move(v);  // a duplicate key: the last one wins, as in go-yaml v2
        }
        if (anchor) anchors_[anchor_name] = map;
        return map;
      }
      default: throw Fail("unexpected YAML event", 0);
    }
  }

  std::string ScalarKey(const Value& k) {
    switch (k.kind()) {
      case Kind::kString: return k.as_string();
      case Kind::kBool: return k.as_bool() ? "true" : "false";
      case Kind::kFloat: {
        double f = k.as_float();
        if (f == std::floor(f) && std::fabs(f) < 9.2e18) return std::to_string(static_cast<int64_t>(f));
        return yaml::FormatFloatKey(f);
      }
      case Kind::kInt: return std::to_string(k.as_int());
      default: throw Fail("Unsupported map key of type: %!s(<nil>)", k.origin().line);
    }
  }

  void MergeInto(Value& map, const Value& src, bool from_sequence, int line) {
    auto need_map = [&]() { return Fail("map merge requires map or sequence of maps as the value", line); };
    if (src.is_map()) {
      if (from_sequence) throw need_map();
      for (const auto& [k, v] : src.map()) map.map()[k] = v;
      return;
    }
    if (src.is_list() && from_sequence) {
      const auto& items = src.list();
      for (size_t i = items.size(); i-- > 0;) {
        if (!items[i].is_map()) throw need_map();
        for (const auto& [k, v] : items[i].map()) map.map()[k] = v;
      }
      return;
    }
    throw need_map();
  }

  void CountTree(const Value& v) {
    Count();
    if (v.is_map())
      for (const auto& [k, c] : v.map()) CountTree(c);
    else if (v.is_list())
      for (const auto& c : v.list()) CountTree(c);
  }

  LayerPtr layer_;
  fy_diag* diag_ = nullptr;
  fy_parser* parser_ = nullptr;
  std::map<std::string, Value> anchors_;
  size_t nodes_ = 0;
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

Value ParseAll(std::string_view text, const LayerPtr& layer, int helm_major) {
  Builder b(text, layer);
  Value result = Value::MakeMap(Origin{layer, 1, 1});
  Value doc;
  bool empty = false;
  bool any = false;
  while (b.NextDocument(&doc, &empty)) {
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
    Builder b(text, layer);
    Value doc;
    bool empty = false;
    if (!b.NextDocument(&doc, &empty)) return Value::Null();
    return doc;
  } catch (const ParseFailure& f) {
    std::string where = f.line > 0 ? ":" + std::to_string(f.line) : "";
    throw Error("cannot parse " + FileName(layer) + where + ": " + f.message);
  }
}

}  // namespace capstan::values
