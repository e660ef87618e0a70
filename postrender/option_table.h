// capstan-postrender's options, each declared once by the filter (or the pipeline) that owns it. An option's
// name is at once its flag (--wait-image), its configuration-file key (wait-image:) and, upper-cased with '-' as
// '_', its environment variable (CAPSTAN_WAIT_IMAGE). Values apply in the order default < file < environment <
// flag. The keys of older files (maxDocumentSize, the nested checksum:/safety:/waits: sections) are deprecated
// aliases: still read, with a warning naming the key to write instead. Every error in the file names file:line
// and suggests the key meant.
#pragma once
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "yaml/tree.h"

namespace capstan::postrender {

// Reads values of the configuration file; every error is "FILE:LINE: what" (a usage error, exit 2).
class ConfigFileReader {
 public:
  explicit ConfigFileReader(std::string path) : path_(std::move(path)) {}
  const std::string& path() const { return path_; }
  [[noreturn]] void Fail(const yaml::Node& n, const std::string& msg) const;
  // Fails on a key of the mapping that is not allowed, suggesting the closest allowed one.
  void Keys(const yaml::Node& map, const std::vector<std::string>& allowed) const;
  std::string Str(const yaml::Node& n) const;
  bool Bool(const yaml::Node& n) const;

 private:
  std::string path_;
};

class OptionTable {
 public:
  enum class Kind { kText, kBool, kList };
  struct Option {
    std::string name;        // flag, file key and (upper-cased) environment variable
    std::string short_name;  // optional one-letter flag ("n" for -n)
    std::string help;
    Kind kind = Kind::kText;
    std::function<void(const std::string&)> set;  // a text value, or one item of a list; throws UsageError
    std::function<void(bool)> set_bool;
    // Optional: reads the file's value itself (structured values such as the wait rules).
    std::function<void(const yaml::Node&, const ConfigFileReader&)> read_file;
    std::vector<std::string> aliases;  // deprecated file keys: "maxDocumentSize", "checksum.annotation"
    std::vector<std::string> choices;  // allowed values (text options); empty: any
    bool has_flag = true, has_env = true, has_file = true;

    Option& Short(std::string letter) { return short_name = std::move(letter), *this; }
    Option& Alias(std::string key) { return aliases.push_back(std::move(key)), *this; }
    Option& Choices(std::vector<std::string> values) { return choices = std::move(values), *this; }
    Option& FileOnly() { return has_flag = has_env = false, *this; }
    Option& NoFile() { return has_file = false, *this; }
    Option& FileReader(std::function<void(const yaml::Node&, const ConfigFileReader&)> read) {
      return read_file = std::move(read), *this;
    }
  };

  // A text option stored as is.
  Option& Text(std::string name, std::string* target, std::string help);
  // A text option converted by set (a duration, a size...); set throws UsageError on a bad value.
  Option& Parsed(std::string name, std::function<void(const std::string&)> set, std::string help);
  // --name / --no-name; true or false in the file and the environment.
  Option& Bool(std::string name, bool* target, std::string help);
  // Repeatable; a list in the file; one item in the environment.
  Option& List(std::string name, std::function<void(const std::string&)> add, std::string help);

  const Option* Find(std::string_view name) const;
  const std::deque<Option>& options() const { return options_; }

  // Applies a configuration file (YAML mapping). Deprecated keys are applied and described in warnings().
  void LoadFile(const std::string& path);
  // Applies CAPSTAN_<NAME> variables that are set (getenv is replaceable for tests).
  void ApplyEnvironment(const std::function<const char*(const char*)>& getenv);
  // Adds every option with a flag to app; parsing the command line then applies them.
  void AddFlags(CLI::App& app);
  const std::vector<std::string>& warnings() const { return warnings_; }

  static std::string EnvName(std::string_view name);  // "wait-image" -> "CAPSTAN_WAIT_IMAGE"

 private:
  Option& Add(std::string name, Kind kind, std::string help);
  // where: the flag or variable the value came from ("" in the file: the caller adds file:line).
  void ApplyText(const Option& o, const std::string& value, const std::string& where) const;
  void ApplyNode(const Option& o, const yaml::Node& value, const ConfigFileReader& reader) const;
  std::deque<Option> options_;  // a deque: Option& stays valid while more are declared
  std::vector<std::string> warnings_;
};

}  // namespace capstan::postrender
