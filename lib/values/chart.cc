#include "values/chart.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>

#include "archive/tgz.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/strings.h"
#include "values/yaml_load.h"

namespace capstan::values {
namespace fs = std::filesystem;

namespace {

// The files of one chart, whether on disk or inside an archive.
struct ChartSource {
  std::string path;  // for messages
  std::function<bool(const std::string&, std::string*)> read;  // relative path -> contents
  // Subchart entries under charts/: directory names and .tgz file names.
  std::vector<std::string> subdirs;
  std::vector<std::string> archives;
  std::function<ChartSource(const std::string&)> open_subdir;
};

std::string Str(const Value* v) {
  if (!v) return {};
  if (v->kind() == Kind::kString) return v->as_string();
  if (v->kind() == Kind::kFloat) {
    double f = v->as_float();
    if (f == static_cast<double>(static_cast<int64_t>(f))) return std::to_string(static_cast<int64_t>(f));
    return std::to_string(f);
  }
  if (v->kind() == Kind::kBool) return v->as_bool() ? "true" : "false";
  return {};
}

void ParseDependencies(const Value* deps, Chart& chart, const std::string& file) {
  if (!deps || deps->is_null()) return;
  if (!deps->is_list()) throw Error(file + ": `dependencies` must be a list");
  chart.has_dependencies = !deps->list().empty();
  for (const auto& d : deps->list()) {
    if (!d.is_map()) throw Error(file + ":" + std::to_string(d.origin().line) + ": each dependency must be a map");
    Dependency dep;
    dep.name = Str(d.Find("name"));
    dep.version = Str(d.Find("version"));
    dep.alias = Str(d.Find("alias"));
    dep.condition = Str(d.Find("condition"));
    if (const Value* tags = d.Find("tags"); tags && tags->is_list())
      for (const auto& t : tags->list()) dep.tags.push_back(Str(&t));
    if (const Value* iv = d.Find("import-values")) dep.import_values = *iv;
    chart.dependencies.push_back(std::move(dep));
  }
}

std::shared_ptr<Chart> LoadFrom(const ChartSource& src, const std::string& display_parent, int helm_major,
                                std::vector<Warning>* warnings, int depth);

ChartSource FromArchive(std::shared_ptr<std::map<std::string, std::string>> files, const std::string& prefix,
                        const std::string& path) {
  ChartSource src;
  src.path = path;
  src.read = [files, prefix](const std::string& rel, std::string* out) {
    auto it = files->find(prefix + rel);
    if (it == files->end()) return false;
    *out = it->second;
    return true;
  };
  std::string charts = prefix + "charts/";
  std::vector<std::string> dirs, tgzs;
  for (const auto& [name, body] : *files) {
    if (name.rfind(charts, 0) != 0) continue;
    std::string rest = name.substr(charts.size());
    if (rest.empty() || rest[0] == '_' || rest[0] == '.') continue;  // Helm skips these
    size_t slash = rest.find('/');
    if (slash == std::string::npos) {
      if (EndsWith(rest, ".tgz")) tgzs.push_back(rest);
    } else if (rest.substr(slash + 1) == "Chart.yaml") {
      dirs.push_back(rest.substr(0, slash));
    }
  }
  src.subdirs = dirs;
  src.archives = tgzs;
  src.open_subdir = [files, charts, path](const std::string& name) {
    return FromArchive(files, charts + name + "/", path + "/charts/" + name);
  };
  return src;
}

ChartSource OpenArchiveData(const std::string& data, const std::string& path) {
  auto files = std::make_shared<std::map<std::string, std::string>>(archive::ReadTgz(data, path));
  std::string top;
  for (const auto& [name, body] : *files) {
    size_t slash = name.find('/');
    if (slash != std::string::npos && name.substr(slash + 1) == "Chart.yaml") {
      top = name.substr(0, slash + 1);
      break;
    }
  }
  if (top.empty()) throw UsageError(path + ": no Chart.yaml found in the archive; is it a Helm chart package?");
  return FromArchive(files, top, path);
}

ChartSource FromDirectory(const std::string& dir) {
  ChartSource src;
  src.path = dir;
  src.read = [dir](const std::string& rel, std::string* out) {
    std::string p = dir + "/" + rel;
    std::error_code ec;
    fs::file_status st = fs::status(p, ec);  // symbolic links followed, as Helm does
    if (!fs::exists(st) || fs::is_directory(st)) return false;
    if (!fs::is_regular_file(st)) {
      throw Error("cannot load irregular file " + p + " as it has file mode type bits set (a FIFO, device or socket, "
                  "or a link to one; Helm refuses it too): replace it with a regular file");
    }
    if (std::uintmax_t size = fs::file_size(p, ec); !ec && size > kMaxChartFileBytes) {
      throw Error("chart file \"" + rel + "\" is larger than the maximum file size " +
                  std::to_string(kMaxChartFileBytes) + " (" + p + "; Helm refuses it too): make it smaller");
    }
    *out = ReadFile(p, kMaxChartFileBytes);
    return true;
  };
  std::error_code ec;
  fs::path charts = fs::path(dir) / "charts";
  if (fs::is_directory(charts, ec)) {
    for (const auto& entry : fs::directory_iterator(charts, ec)) {
      std::string name = entry.path().filename().string();
      if (name.empty() || name[0] == '_' || name[0] == '.') continue;  // Helm skips these
      if (entry.is_directory(ec)) {
        src.subdirs.push_back(name);  // without a Chart.yaml Helm fails to load it too
      } else if (EndsWith(name, ".tgz")) {
        src.archives.push_back(name);
      }
    }
  }
  std::sort(src.subdirs.begin(), src.subdirs.end());
  std::sort(src.archives.begin(), src.archives.end());
  src.open_subdir = [dir](const std::string& name) { return FromDirectory(dir + "/charts/" + name); };
  return src;
}

std::shared_ptr<Chart> LoadFrom(const ChartSource& src, const std::string& display_parent, int helm_major,
                                std::vector<Warning>* warnings, int depth) {
  if (depth > 20) throw Error(src.path + ": subcharts nested more than 20 levels deep");
  auto chart = std::make_shared<Chart>();
  chart->path = src.path;
  std::string chart_yaml;
  if (!src.read("Chart.yaml", &chart_yaml)) {
    if (depth > 0) {
      throw Error("error unpacking subchart " + src.path + " in " + display_parent +
                  ": Chart.yaml file is missing (remove the folder from charts/ or run `helm dependency build`)");
    }
    throw UsageError(src.path + ": Chart.yaml file is missing; pass the chart directory (the one with Chart.yaml)");
  }
  auto meta_layer = std::make_shared<Layer>();
  meta_layer->kind = LayerKind::kChartDefault;
  meta_layer->file = src.path + "/Chart.yaml";
  Value meta = ParseYamlDocument(chart_yaml, meta_layer);
  if (!meta.is_map()) throw Error(meta_layer->file + ": Chart.yaml must be a map");
  chart->name = Str(meta.Find("name"));
  chart->version = Str(meta.Find("version"));
  if (chart->name.empty()) throw Error(meta_layer->file + ": validation: chart.metadata.name is required");
  chart->display = display_parent.empty() ? chart->name : display_parent + "/" + chart->name;
  ParseDependencies(meta.Find("dependencies"), *chart, meta_layer->file);
  std::string requirements;
  if (chart->dependencies.empty() && src.read("requirements.yaml", &requirements)) {  // apiVersion v1 charts
    auto req_layer = std::make_shared<Layer>(*meta_layer);
    req_layer->file = src.path + "/requirements.yaml";
    Value req = ParseYamlDocument(requirements, req_layer);
    if (req.is_map()) ParseDependencies(req.Find("dependencies"), *chart, req_layer->file);
  }

  auto layer = std::make_shared<Layer>();
  layer->kind = LayerKind::kChartDefault;
  layer->file = src.path + "/values.yaml";
  layer->chart = chart->display;
  std::string values;
  if (src.read("values.yaml", &values)) {
    chart->values_file = layer->file;
    chart->values = ParseValuesYaml(values, layer, helm_major);
  } else {
    chart->values = Value::MakeMap(Origin{layer, 0, 0});
  }
  std::string text;
  if (src.read("values.schema.json", &text)) {
    chart->schema_file = src.path + "/values.schema.json";
    chart->schema_text = std::move(text);
  }
  text.clear();
  if (src.read("values.renames.yaml", &text)) {
    chart->renames_file = src.path + "/values.renames.yaml";
    chart->renames_text = std::move(text);
  }
  for (const auto& dir : src.subdirs)
    chart->subcharts.push_back(LoadFrom(src.open_subdir(dir), chart->display, helm_major, warnings, depth + 1));
  for (const auto& tgz : src.archives) {
    std::string data;
    std::string rel = "charts/" + tgz;
    if (!src.read(rel, &data)) continue;
    chart->subcharts.push_back(
        LoadFrom(OpenArchiveData(data, src.path + "/" + rel), chart->display, helm_major, warnings, depth + 1));
  }
  return chart;
}

}  // namespace

std::shared_ptr<Chart> Chart::Clone() const {
  auto c = std::make_shared<Chart>(*this);
  for (auto& s : c->subcharts) s = s->Clone();
  return c;
}

std::shared_ptr<Chart> LoadChart(const std::string& path, int helm_major, std::vector<Warning>* warnings) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return LoadFrom(FromDirectory(path), "", helm_major, warnings, 0);
  if (fs::is_regular_file(path, ec)) {
    if (!EndsWith(path, ".tgz") && !EndsWith(path, ".tar.gz")) {
      throw UsageError(path + " is not a chart directory or a packaged chart (.tgz)");
    }
    return LoadFrom(OpenArchiveData(ReadFile(path), path), "", helm_major, warnings, 0);
  }
  throw UsageError("chart " + path + " not found: pass the path of a chart directory (with Chart.yaml) or a .tgz");
}

}  // namespace capstan::values
