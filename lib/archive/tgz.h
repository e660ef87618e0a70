// Reading .tgz archives (gzip + ustar/GNU tar) into memory with zlib: used to load packaged Helm charts
// (charts/*.tgz subcharts). Regular files only; directories, links and other entries are skipped.
#pragma once
#include <map>
#include <string>
#include <string_view>

namespace capstan::archive {

// Decompresses gzip data (one or more members). Throws capstan::Error naming `what` on corrupt input or when the
// result would exceed max_bytes.
std::string Gunzip(std::string_view data, const std::string& what, size_t max_bytes = 256u << 20);

// Parses a tar stream: path -> contents of every regular file (GNU long names and ustar prefixes supported).
std::map<std::string, std::string> ReadTar(std::string_view tar, const std::string& what);

// Gunzip + ReadTar.
std::map<std::string, std::string> ReadTgz(std::string_view data, const std::string& what);

}  // namespace capstan::archive
