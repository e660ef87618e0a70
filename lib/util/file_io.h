// Reading and writing whole files and streams, with errors that name the path; atomic replacement of files.
// Every file a user names (values files, schemas, policies, configurations) is read with ReadFile, which refuses
// what is not a regular file (a FIFO would block forever, /dev/zero would never end) and files over a size cap,
// so no named input can hang a command or exhaust its memory.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace capstan {

// The largest input file (or standard input, where a command reads one) ReadFile and ReadAllLimited accept.
inline constexpr size_t kMaxInputFileBytes = size_t{256} << 20;  // 256 MiB

// Reads a whole regular file (symbolic links followed). Throws UsageError naming the path when it cannot be opened,
// is not a regular file (directory, FIFO, device, socket: opened without blocking, refused before any read) or is
// larger than max_bytes.
std::string ReadFile(const std::string& path, size_t max_bytes = kMaxInputFileBytes);
// Reads all of standard input (or any fd) into memory, without a limit (the post-renderer's rendered manifests).
std::string ReadAll(int fd);
// Reads all of fd, refusing (UsageError naming `what`, e.g. "standard input") more than max_bytes.
std::string ReadAllLimited(int fd, size_t max_bytes, const std::string& what);
// Writes all bytes to fd, retrying on EINTR and short writes; throws Error on failure.
void WriteAll(int fd, std::string_view data);
// Writes a file through a temporary name in the same directory and renames it into place (fsync'd).
void WriteFileAtomic(const std::string& path, std::string_view data, unsigned mode = 0644);
bool FileExists(const std::string& path);

}  // namespace capstan
