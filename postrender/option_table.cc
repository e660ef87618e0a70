#include "postrender/option_table.h"

#include <algorithm>
#include <cstdint>
#include <set>

#include "util/error.h"
#include "util/file_io.h"
#include "util/strings.h"
#include "util/suggest.h"
#include "yaml/yaml11.h"

namespace capstan::postrender {

// ---- ConfigFileReader ------------------------------------------------------------------------------------------

void ConfigFileReader::Fail(const yaml::Node& n, const std::string& msg) const {
  throw UsageError(path_ + ":" + std::to_string(n.start().line + 1) + ": " + msg);
}

void ConfigFileReader::Keys(const yaml::Node& map, const std::vector<std::string>& allowed) const {
  if (!map.IsMapping()) Fail(map, "expected a mapping");
  for (const auto& [k, v] : map.Entries()) {
    std::string key(k.scalar());
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string best = SuggestClosest(key, allowed);
    Fail(k, "unknown key " + Quote(key) + (best.empty() ? "" : " (did you mean " + Quote(best) + "?)") +
                "; allowed: " + Join(allowed, ", "));
  }
}

std::string ConfigFileReader::Str(const yaml::Node& n) const {
  if (!n.IsScalar()) Fail(n, "expected a string");
  return std::string(n.scalar());
}

bool ConfigFileReader::Bool(const yaml::Node& n) const {
  yaml::ResolvedScalar r = yaml::Resolve(n);
  if (!n.IsScalar() || r.type != yaml::ScalarType::kBool) Fail(n, "expected true or false");
  return r.boolean;
}

// ---- declaring -------------------------------------------------------------------------------------------------

OptionTable::Option& OptionTable::Add(std::string name, Kind kind, std::string help) {
  Option& o = options_.emplace_back();
  o.name = std::move(name);
  o.kind = kind;
  o.help = std::move(help);
  return o;
}

OptionTable::Option& OptionTable::Text(std::string name, std::string* target, std::string help) {
  Option& o = Add(std::move(name), Kind::kText, std::move(help));
  o.set = [target](const std::string& v) { *target = v; };
  return o;
}

OptionTable::Option& OptionTable::Parsed(std::string name, std::function<void(const std::string&)> set,
                                         std::string help) {
  Option& o = Add(std::move(name), Kind::kText, std::move(help));
  o.set = std::move(set);
  return o;
}

OptionTable::Option& OptionTable::Bool(std::string name, bool* target, std::string help) {
  Option& o = Add(std::move(name), Kind::kBool, std::move(help));
  o.set_bool = [target](bool v) { *target = v; };
  return o;
}

OptionTable::Option& OptionTable::List(std::string name, std::function<void(const std::string&)> add,
                                       std::string help) {
  Option& o = Add(std::move(name), Kind::kList, std::move(help));
  o.set = std::move(add);
  return o;
}

const OptionTable::Option* OptionTable::Find(std::string_view name) const {
  for (const auto& o : options_)
    if (o.name == name) return &o;
  return nullptr;
}

std::string OptionTable::EnvName(std::string_view name) {
  std::string env = "CAPSTAN_";
  for (char c : name) env += c == '-' ? '_' : static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return env;
}

// ---- applying --------------------------------------------------------------------------------------------------

void OptionTable::ApplyText(const Option& o, const std::string& value, const std::string& where) const {
  if (!o.choices.empty() && std::find(o.choices.begin(), o.choices.end(), value) == o.choices.end()) {
    std::string best = SuggestClosest(value, o.choices);
    throw UsageError((where.empty() ? "" : where + ": ") + "unknown value " + Quote(value) + " for " + o.name +
                     (best.empty() ? "" : " (did you mean " + Quote(best) + "?)") + "; one of " +
                     Join(o.choices, ", "));
  }
  o.set(value);
}

void OptionTable::ApplyNode(const Option& o, const yaml::Node& value, const ConfigFileReader& reader) const {
  try {
    if (o.read_file) {
      o.read_file(value, reader);
    } else if (o.kind == Kind::kBool) {
      o.set_bool(reader.Bool(value));
    } else if (o.kind == Kind::kList && value.IsSequence()) {
      for (const auto& item : value.Items()) ApplyText(o, reader.Str(item), "");
    } else {
      ApplyText(o, reader.Str(value), "");
    }
  } catch (const Error& e) {
    std::string msg = e.what();
    if (StartsWith(msg, reader.path() + ":")) throw;  // already placed
    reader.Fail(value, msg);
  }
}

void OptionTable::LoadFile(const std::string& path) {
  std::string text = ReadFile(path);
  yaml::Tree tree = [&] {
    try {
      return yaml::Tree::Parse(text);
    } catch (const yaml::ParseError& e) {
      throw UsageError(path + ":" + std::to_string(e.line() + 1) + ": invalid YAML: " + e.reason());
    }
  }();
  yaml::Node root = tree.root();
  if (!root || root.IsNull()) return;
  ConfigFileReader reader(path);
  if (!root.IsMapping()) reader.Fail(root, "expected a mapping of option names to values (e.g. release: web)");

  // Deprecated sections: "checksum" for aliases "checksum.annotation"...
  std::set<std::string> sections;
  for (const auto& o : options_)
    for (const auto& a : o.aliases)
      if (size_t dot = a.find('.'); dot != std::string::npos) sections.insert(a.substr(0, dot));
  auto by_alias = [&](const std::string& key) -> const Option* {
    for (const auto& o : options_)
      if (std::find(o.aliases.begin(), o.aliases.end(), key) != o.aliases.end()) return &o;
    return nullptr;
  };
  auto deprecated = [&](const yaml::Node& k, const std::string& old_key, const Option& o) {
    warnings_.push_back(path + ":" + std::to_string(k.start().line + 1) + ": the key " + Quote(old_key) +
                        " is deprecated: write " + Quote(o.name) +
                        " at the top level (configuration keys are the flag names)");
  };

  for (const auto& [k, v] : root.Entries()) {
    std::string key(k.scalar());
    bool section = sections.count(key) && v.IsMapping();
    const Option* o = Find(key);
    if (o && o->has_file && !section) {
      ApplyNode(*o, v, reader);
      continue;
    }
    if (section) {
      std::vector<std::string> allowed;
      for (const auto& opt : options_)
        for (const auto& a : opt.aliases)
          if (StartsWith(a, key + ".")) allowed.push_back(a.substr(key.size() + 1));
      reader.Keys(v, allowed);
      for (const auto& [sk, sv] : v.Entries()) {
        std::string old_key = key + "." + std::string(sk.scalar());
        const Option* target = by_alias(old_key);
        deprecated(sk, old_key, *target);
        ApplyNode(*target, sv, reader);
      }
      continue;
    }
    if (const Option* target = by_alias(key)) {
      deprecated(k, key, *target);
      ApplyNode(*target, v, reader);
      continue;
    }
    std::vector<std::string> names;
    for (const auto& opt : options_)
      if (opt.has_file) names.push_back(opt.name);
    std::string best = SuggestClosest(key, names);
    if (best.empty()) {
      std::vector<std::string> old_keys;
      for (const auto& opt : options_)
        for (const auto& a : opt.aliases)
          if (a.find('.') == std::string::npos) old_keys.push_back(a);
      if (std::string old = SuggestClosest(key, old_keys); !old.empty()) best = by_alias(old)->name;
    }
    reader.Fail(k, "unknown key " + Quote(key) + (best.empty() ? "" : " (did you mean " + Quote(best) + "?)") +
                       "; the keys are the flag names: " + Join(names, ", "));
  }
}

void OptionTable::ApplyEnvironment(const std::function<const char*(const char*)>& getenv) {
  for (const auto& o : options_) {
    if (!o.has_env) continue;
    std::string env = EnvName(o.name);
    const char* value = getenv(env.c_str());
    if (!value || !*value) continue;
    std::string v = value;
    if (o.kind == Kind::kBool) {
      std::string lv = ToLower(Trim(v));
      if (lv == "true" || lv == "1" || lv == "yes" || lv == "on") o.set_bool(true);
      else if (lv == "false" || lv == "0" || lv == "no" || lv == "off") o.set_bool(false);
      else throw UsageError(env + "=" + Quote(v) + ": expected true or false");
    } else {
      ApplyText(o, v, env);
    }
  }
}

void OptionTable::AddFlags(CLI::App& app) {
  for (const auto& opt : options_) {
    if (!opt.has_flag) continue;
    const Option* o = &opt;
    std::string names = (o->short_name.empty() ? "" : "-" + o->short_name + ",") + "--" + o->name;
    std::string help = o->help + (o->has_env ? " [" + EnvName(o->name) + "]" : "");
    std::string where = "--" + o->name;
    switch (o->kind) {
      case Kind::kBool:
        app.add_flag_function(names + ",!--no-" + o->name, [o](std::int64_t count) { o->set_bool(count > 0); },
                              help);
        break;
      case Kind::kText:
        app.add_option_function<std::string>(
            names, [this, o, where](const std::string& v) { ApplyText(*o, v, where); }, help);
        break;
      case Kind::kList:
        app.add_option_function<std::vector<std::string>>(
            names,
            [this, o, where](const std::vector<std::string>& values) {
              for (const auto& v : values) ApplyText(*o, v, where);
            },
            help);
        break;
    }
  }
}

}  // namespace capstan::postrender
