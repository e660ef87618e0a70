#include "values/yaml_load.h"

#include "util/error.h"
#include "values/yaml_decode.h"
#include "values/yaml_documents.h"

namespace capstan::values {
namespace {

std::string FileName(const LayerPtr& layer) { return layer && !layer->file.empty() ? layer->file : "<input>"; }

// A failure with Helm's words (after "failed to parse F: ") and where in the file it is (1-based, 0: unknown).
struct ParseFailure {
  std::string message;
  int line = 0;
};

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

// sigs.k8s.io/yaml.Unmarshal(text, &map[string]interface{}): the first YAML document, which must be a map (or
// null, which leaves the map empty).
Value UnmarshalMap(std::string_view text, const LayerPtr& layer, int line_offset) {
  Value doc;
  try {
    doc = DecodeFirstYamlDocument(text, layer, line_offset);
  } catch (const YamlDecodeError& e) {
    throw ParseFailure{"error converting YAML to JSON: " + e.message, e.line};
  }
  if (!doc.is_null() && !doc.is_map()) {
    throw ParseFailure{"error unmarshaling JSON: while decoding JSON: json: cannot unmarshal " +
                           std::string(GoTypeName(doc)) + " into Go value of type map[string]interface {}",
                       doc.origin().line};
  }
  return doc.is_map() ? doc : Value::MakeMap();
}

Value ParseAll(std::string_view text, const LayerPtr& layer, int helm_major) {
  if (helm_major < 4) {  // Helm 3: yaml.Unmarshal of the whole file, so its first document only
    Value v = UnmarshalMap(text, layer, 0);
    v.set_origin(Origin{layer, 1, 1});
    return v;
  }
  // Helm 4: loader.LoadValues, every document of the YAMLReader merged in order.
  YamlChunks chunks = SplitYamlDocuments(text);
  Value result = Value::MakeMap(Origin{layer, 1, 1});
  for (const auto& chunk : chunks.chunks) {
    Value doc;
    try {
      doc = UnmarshalMap(chunk.text, layer, chunk.first_line - 1);
    } catch (ParseFailure& f) {
      f.message = "cannot unmarshal yaml document: " + f.message;
      throw;
    }
    result = MergeMaps(result, doc);
    result.set_origin(Origin{layer, 1, 1});
  }
  if (chunks.error) throw ParseFailure{"error reading yaml document: " + chunks.error->message, chunks.error->line};
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
  try {
    return ParseAll(text, layer, helm_major);
  } catch (const ParseFailure& f) {
    throw ValuesParseError("failed to parse " + FileName(layer) + ": " + f.message, FileName(layer), f.line);
  }
}

Value ParseYamlDocument(std::string_view text, const LayerPtr& layer) {
  try {
    return DecodeFirstYamlDocument(text, layer, 0);
  } catch (const YamlDecodeError& e) {
    std::string where = e.line > 0 ? ":" + std::to_string(e.line) : "";
    throw Error("cannot parse " + FileName(layer) + where + ": " + e.message);
  }
}

}  // namespace capstan::values
