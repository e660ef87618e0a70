// libFuzzer target for loading values YAML and merging: the input is two YAML texts separated by a line "%%%"
// (chart defaults and a user values file). Both are parsed as Helm 3 and Helm 4 would, coalesced through a chart
// with one subchart (globals included), explained and printed. Errors must be capstan::Error, never crashes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "util/error.h"
#include "values/engine.h"
#include "values/output.h"
#include "values/yaml_load.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace capstan::values;
  std::string text(reinterpret_cast<const char*>(data), size);
  size_t sep = text.find("\n%%%\n");
  std::string defaults = sep == std::string::npos ? text : text.substr(0, sep);
  std::string user = sep == std::string::npos ? std::string() : text.substr(sep + 5);
  for (int helm : {3, 4}) {
    try {
      auto chart_layer = std::make_shared<Layer>();
      chart_layer->file = "values.yaml";
      auto user_layer = std::make_shared<Layer>();
      user_layer->kind = LayerKind::kValuesFile;
      user_layer->file = "user.yaml";
      Chart chart;
      chart.name = "top";
      chart.display = "top";
      chart.values = ParseValuesYaml(defaults, chart_layer, helm);
      auto sub = std::make_shared<Chart>();
      sub->name = "sub";
      sub->display = "top/sub";
      if (const Value* s = chart.values.Find("sub"); s && s->is_map()) sub->values = *s;
      else sub->values = Value::MakeMap();
      chart.subcharts.push_back(sub);
      Value u = ParseValuesYaml(user, user_layer, helm);
      Options o;
      o.helm_major = helm;
      MergeResult r = ComputeValuesFrom(chart, u, o);
      r.layers.push_back({user_layer, u});
      (void)ToJson(r.values);
      (void)ToYaml(r.values);
      if (r.values.is_map() && !r.values.map().empty()) {
        Path p = {r.values.map().begin()->first, "x"};
        (void)Explain(r, chart, p);
      }
    } catch (const capstan::Error&) {
    }
  }
  return 0;
}
