// The --report file of capstan-postrender: its directory is created and checked before any work (so a path that
// cannot be written fails at once, before Helm gets any output), and the report is written atomically at the end.
// Errors name the option, the path and what to do.
#pragma once
#include <string>

namespace capstan::postrender {

// Creates the file's directory when missing and checks that a file can be created there. UsageError otherwise.
void PrepareReportFile(const std::string& path);
// Writes the report (temporary file, fsync, rename).
void WriteReportFile(const std::string& path, const std::string& json);

}  // namespace capstan::postrender
