#include "postrender_testing.h"

#include "manifest/object.h"
#include "manifest/pod_template.h"
#include "manifest/stream.h"
#include "postrender/filters/all_filters.h"
#include "postrender/pipeline.h"
#include "yaml/yaml11.h"

namespace capstan::test {

std::string PostRender(const std::string& input, const postrender::Config& config, postrender::Report* report) {
  postrender::Report local;
  postrender::Pipeline p(config.pipeline, postrender::MakeFilters(config));
  std::string out;
  p.Run(input, [&](std::string_view s) { out.append(s); }, report ? *report : local);
  return out;
}

namespace {
void Walk(const yaml::Node& n, const std::string& path, std::vector<std::string>& out) {
  if (n.IsMapping()) {
    std::string order = path + " {";
    for (const auto& [k, v] : n.Entries()) {
      std::string key(k.scalar());
      order += key + ",";
      Walk(v, path + "/" + key, out);
    }
    out.push_back(order + "}");
  } else if (n.IsSequence()) {
    size_t i = 0;
    for (const auto& item : n.Items()) Walk(item, path + "/" + std::to_string(i++), out);
    out.push_back(path + " [" + std::to_string(i) + "]");
  } else {
    out.push_back(path + " = " + yaml::Canonical(yaml::Resolve(n)) + " !" +
                  std::to_string(static_cast<int>(n.style())));
  }
}
}  // namespace

std::vector<std::string> TypedLines(const yaml::Node& root) {
  std::vector<std::string> out;
  if (root) Walk(root, "", out);
  return out;
}

std::vector<std::string> CommentLines(std::string_view text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    std::string_view line = text.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    size_t i = line.find_first_not_of(' ');
    if (i != std::string_view::npos && line[i] == '#') out.emplace_back(line);
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  return out;
}

std::map<std::string, std::string> Digests(const std::string& stream, const std::string& annotation) {
  std::map<std::string, std::string> out;
  for (const auto& d : manifest::Split(stream)) {
    if (d.blank) continue;
    yaml::Tree t = yaml::Tree::Parse(d.text);
    manifest::ObjectInfo info = manifest::Describe(t.root());
    manifest::PodTemplate tmpl = manifest::FindPodTemplate(t.root(), info);
    if (!tmpl.node) continue;
    std::string_view v = manifest::Annotation(tmpl.node, annotation);
    if (!v.empty()) out[info.Ref()] = std::string(v);
  }
  return out;
}

}  // namespace capstan::test
