// Reading and writing whole files and streams, with errors that name the path; atomic replacement of files.
#pragma once
#include <string>
#include <string_view>

namespace capstan {

// Reads a whole file; throws UsageError naming the path when it cannot be read.
std::string ReadFile(const std::string& path);
// Reads all of standard input (or any fd) into memory.
std::string ReadAll(int fd);
// Writes all bytes to fd, retrying on EINTR and short writes; throws Error on failure.
void WriteAll(int fd, std::string_view data);
// Writes a file through a temporary name in the same directory and renames it into place (fsync'd).
void WriteFileAtomic(const std::string& path, std::string_view data, unsigned mode = 0644);
bool FileExists(const std::string& path);

}  // namespace capstan
