// The lint test chart (see lint_fixture.h). Line numbers below are asserted by the tests: keep them stable.
#include "lint/lint_fixture.h"

#include <filesystem>

namespace capstan::test {

LintChart::LintChart() {
  Write("portal/Chart.yaml",
        "apiVersion: v2\nname: portal\nversion: 2.0.0\ndependencies:\n  - name: cache\n    version: 0.1.0\n");
  Write("portal/values.yaml",
        "replicas: 2\n"                // 1
        "image:\n"                     // 2
        "  repository: nginx\n"        // 3
        "  tag: \"1.25\"\n"            // 4
        "country: \"SE\"\n"            // 5
        "podAnnotations: {}\n"         // 6
        "fileMode: \"0644\"\n"         // 7
        "workers: 4\n"                 // 8
        "db:\n"                        // 9
        "  host: db\n"                 // 10
        "extraEnv: {}\n"               // 11
        "legacyPort: 8080\n"           // 12
        "cache:\n"                     // 13
        "  size: 64\n");               // 14
  Write("portal/values.schema.json",
        "{\n"                                                                   // 1
        "  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n"   // 2
        "  \"type\": \"object\",\n"                                             // 3
        "  \"properties\": {\n"                                                 // 4
        "    \"replicas\": {\"type\": \"integer\", \"minimum\": 1},\n"          // 5
        "    \"image\": {\n"                                                    // 6
        "      \"type\": \"object\",\n"                                         // 7
        "      \"properties\": {\n"                                             // 8
        "        \"repository\": {\"type\": \"string\"},\n"                     // 9
        "        \"tag\": {\"type\": \"string\"},\n"                            // 10
        "        \"pullPolicy\": {\"type\": \"string\", \"deprecated\": true,\n"  // 11
        "                       \"description\": \"set by the platform\"}\n"    // 12
        "      },\n"                                                            // 13
        "      \"additionalProperties\": false\n"                               // 14
        "    },\n"                                                              // 15
        "    \"db\": {\n"                                                       // 16
        "      \"type\": \"object\",\n"                                         // 17
        "      \"required\": [\"host\", \"port\"],\n"                           // 18
        "      \"properties\": {\"host\": {\"type\": \"string\"}, \"port\": {\"type\": \"integer\"}}\n"  // 19
        "    },\n"                                                              // 20
        "    \"labels\": {\"type\": \"object\", \"additionalProperties\": {\"type\": \"string\"}}\n"  // 21
        "  }\n"                                                                 // 22
        "}\n");                                                                 // 23
  Write("portal/values.renames.yaml",
        "renames:\n"
        "  - {from: image.name, to: image.repository, since: 2.0.0}\n"
        "deprecated:\n"
        "  - {key: legacyPort, since: 1.9.0, message: the service listens on service.port}\n");
  Write("portal/charts/cache/Chart.yaml", "apiVersion: v2\nname: cache\nversion: 0.1.0\n");
  Write("portal/charts/cache/values.yaml", "size: 32\nlevel: info\n");
  Write("portal/charts/cache/values.schema.json",
        "{\"type\": \"object\", \"properties\": {\"level\": {\"enum\": [\"debug\", \"info\"]}}}\n");
}

values::lint::LintResult LintChart::Lint(const std::vector<std::string>& files, const std::vector<std::string>& sets,
                                         int helm) const {
  values::UserInput in;
  for (const auto& f : files) in.value_files.push_back(dir() + "/" + f);
  in.set = sets;
  values::lint::LintOptions o;
  o.helm_major = helm;
  return values::lint::Lint(chart(), in, o);
}

ProcessResult LintChart::Cli(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {Binary("capstan"), "values", "lint", "portal"};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessOptions o;
  o.cwd = dir();
  o.env["NO_COLOR"] = "1";
  return Run(argv, o);
}

std::vector<std::string> Where(const std::vector<findings::Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) {
    std::string file = f.file;
    // Paths relative to the fixture directory read better in assertions.
    size_t pos = file.find("/portal/");
    if (pos != std::string::npos) file = file.substr(pos + 1);
    else if (file.rfind('/') != std::string::npos) file = file.substr(file.rfind('/') + 1);
    out.push_back(file + ":" + std::to_string(f.line) + " " + f.rule);
  }
  return out;
}

std::vector<findings::Finding> OfRule(const std::vector<findings::Finding>& findings, const std::string& rule) {
  std::vector<findings::Finding> out;
  for (const auto& f : findings)
    if (f.rule == rule) out.push_back(f);
  return out;
}

}  // namespace capstan::test
