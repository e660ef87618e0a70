// The file a log is mirrored to (--log-file, or capstan-postrender's default log): appended to with one write per
// call (lines of concurrent runs do not interleave within a line), created 0600 (a log may name hosts, objects and
// paths that are nobody else's business), its missing directories created 0700 when asked, and rotated to FILE.1
// when a write would take it past a size limit (one older file is kept, so the log never holds more than twice the
// limit). Writing it is never a reason to fail a command: errors are returned, never thrown.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace capstan::log {

class LogFile {
 public:
  struct Options {
    std::string path;
    std::uint64_t max_bytes = 0;  // 0: no limit, never rotated
    bool make_dirs = false;       // create the missing directories of path (0700)
  };

  LogFile() = default;
  ~LogFile();
  LogFile(const LogFile&) = delete;
  LogFile& operator=(const LogFile&) = delete;

  // Opens the file for appending (creating it, and its directories when asked). Returns false, with error() saying
  // why, when it cannot be opened; a file that is open is closed first.
  bool Open(const Options& options);
  void Close();
  bool is_open() const { return fd_ >= 0; }
  const std::string& path() const { return options_.path; }
  // Why the last Open or Append failed ("" when they did not).
  const std::string& error() const { return error_; }

  // Appends text (whole lines) in one write, rotating first when the file would pass max_bytes. Returns false
  // (error() says why) when the file is not open or the write failed.
  bool Append(std::string_view text);

 private:
  bool OpenFd();
  void RotateIfFull(std::size_t incoming);
  Options options_;
  int fd_ = -1;
  std::string error_;
};

// The file's rotated predecessor: "FILE.1".
std::string RotatedPath(const std::string& path);

}  // namespace capstan::log
