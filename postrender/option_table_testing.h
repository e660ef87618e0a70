// Test helpers for the option table (postrender/option_table_test.cc, check_options_test.cc): Settle applies a
// configuration file, an environment and a command line to a fresh Config as main() does; ErrorOf returns the
// message of the usage error (ours or CLI11's) a call throws.
#pragma once
#include <CLI/CLI.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "postrender/config.h"
#include "util/error.h"

namespace capstan::postrender::testing {

inline Config Settle(const std::string& file, const std::map<std::string, std::string>& env,
                     std::vector<std::string> args, std::vector<std::string>* warnings = nullptr) {
  Config c;
  OptionTable t = DeclareOptions(c);
  if (!file.empty()) t.LoadFile(file);
  t.ApplyEnvironment([&](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
  CLI::App app;
  t.AddFlags(app);
  std::reverse(args.begin(), args.end());
  app.parse(args);
  if (warnings) *warnings = t.warnings();
  return c;
}

inline std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const UsageError& e) {
    return e.what();
  } catch (const CLI::Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace capstan::postrender::testing
