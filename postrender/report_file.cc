#include "postrender/report_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "util/error.h"
#include "util/file_io.h"

namespace capstan::postrender {

namespace {
std::string Directory(const std::string& path) {
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  return dir.empty() ? "." : dir.string();
}
}  // namespace

void PrepareReportFile(const std::string& path) {
  const std::string dir = Directory(path);
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw UsageError("--report " + path + " is a directory: give a file path, e.g. " + path + "/report.json");
  std::filesystem::create_directories(dir, ec);
  if (ec)
    throw UsageError("--report " + path + ": cannot create the directory " + dir + ": " + ec.message() +
                     ". Give a path in a directory you can write");
  std::string probe = dir + "/.capstan-report-" + std::to_string(::getpid());
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    throw UsageError("--report " + path + ": cannot create a file in " + dir + ": " + std::strerror(errno) +
                     ". Give a path in a directory you can write");
  ::close(fd);
  ::unlink(probe.c_str());
}

void WriteReportFile(const std::string& path, const std::string& json) {
  try {
    WriteFileAtomic(path, json);
  } catch (const Error& e) {
    throw Error(std::string("--report: ") + e.what() + ". Free the space or fix the path, and run again",
                e.exit_code());
  }
}

}  // namespace capstan::postrender
