#include "kube/yaml_json.h"

#include <cstdlib>
#include <memory>

#include <libfyaml.h>

#include "util/error.h"
#include "util/strings.h"

namespace capstan::kube {
namespace {

void CollectDiag(struct fy_diag*, void* user, const char* buf, size_t len) {
  auto* out = static_cast<std::string*>(user);
  if (out->size() < 2000) out->append(buf, len);
}

}  // namespace

JsonDoc YamlToJson(std::string_view text, const std::string& origin) {
  std::string diag_text;
  fy_diag_cfg dcfg;
  fy_diag_cfg_default(&dcfg);
  dcfg.fp = nullptr;
  dcfg.output_fn = CollectDiag;
  dcfg.user = &diag_text;
  dcfg.colorize = false;
  dcfg.show_source = false;
  std::unique_ptr<fy_diag, void (*)(fy_diag*)> diag(fy_diag_create(&dcfg), fy_diag_destroy);
  fy_parse_cfg cfg{};
  cfg.flags = static_cast<fy_parse_cfg_flags>(FYPCF_QUIET | FYPCF_RESOLVE_DOCUMENT);
  cfg.diag = diag.get();
  std::unique_ptr<fy_document, void (*)(fy_document*)> doc(
      fy_document_build_from_string(&cfg, text.data(), text.size()), fy_document_destroy);
  if (!doc) {
    std::string why(Trim(diag_text));
    // libfyaml writes "<memory-...>:L:C: error: msg"; keep the "L:C: msg" part.
    size_t pos = why.find(">:");
    if (pos != std::string::npos) why = why.substr(pos + 2);
    size_t nl = why.find('\n');
    if (nl != std::string::npos) why = why.substr(0, nl);
    throw UsageError(origin + ":" + (why.empty() ? std::string(" not valid YAML") : why) +
                     " (fix the YAML syntax)");
  }
  if (fy_document_root(doc.get()) == nullptr) {
    JsonDoc empty;
    empty.SetObject();
    return empty;
  }
  char* json = fy_emit_document_to_string(doc.get(),
                                          static_cast<fy_emitter_cfg_flags>(FYECF_MODE_JSON | FYECF_WIDTH_INF));
  if (json == nullptr) throw UsageError(origin + ": cannot convert the YAML document to JSON");
  std::string s(json);
  std::free(json);
  JsonDoc d;
  d.Parse(s.c_str(), s.size());
  if (d.HasParseError()) throw UsageError(origin + ": cannot convert the YAML document to JSON");
  return d;
}

}  // namespace capstan::kube
