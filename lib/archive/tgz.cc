#include "archive/tgz.h"

#include <zlib.h>

#include <cstring>

#include "util/error.h"

namespace capstan::archive {

std::string Gunzip(std::string_view data, const std::string& what, size_t max_bytes) {
  std::string out;
  z_stream zs;
  std::memset(&zs, 0, sizeof zs);
  if (inflateInit2(&zs, 15 + 32) != Z_OK) throw Error("cannot initialise zlib to read " + what);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  char buf[65536];
  int rc = Z_OK;
  while (true) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      throw Error(what + " is not a valid gzip archive (" + (zs.msg ? zs.msg : "corrupt data") +
                  "); re-package the chart with `helm package`");
    }
    out.append(buf, sizeof buf - zs.avail_out);
    if (out.size() > max_bytes) {
      inflateEnd(&zs);
      throw Error(what + " expands to more than " + std::to_string(max_bytes >> 20) + " MiB; refusing to read it");
    }
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0) break;
      inflateReset(&zs);  // concatenated gzip members
    }
    if (zs.avail_in == 0 && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      throw Error(what + " is truncated (unexpected end of gzip data)");
    }
  }
  inflateEnd(&zs);
  return out;
}

namespace {

size_t Octal(const char* p, size_t n) {
  size_t v = 0;
  size_t i = 0;
  while (i < n && (p[i] == ' ' || p[i] == '\0')) ++i;
  for (; i < n && p[i] >= '0' && p[i] <= '7'; ++i) v = v * 8 + static_cast<size_t>(p[i] - '0');
  return v;
}

std::string Field(const char* p, size_t n) {
  size_t len = 0;
  while (len < n && p[len] != '\0') ++len;
  return std::string(p, len);
}

}  // namespace

std::map<std::string, std::string> ReadTar(std::string_view tar, const std::string& what) {
  std::map<std::string, std::string> files;
  size_t pos = 0;
  std::string long_name;
  while (pos + 512 <= tar.size()) {
    const char* h = tar.data() + pos;
    bool zero = true;
    for (size_t i = 0; i < 512; ++i)
      if (h[i] != 0) {
        zero = false;
        break;
      }
    if (zero) break;
    std::string name = Field(h, 100);
    size_t size = Octal(h + 124, 12);
    char type = h[156];
    if (std::memcmp(h + 257, "ustar", 5) == 0) {
      std::string prefix = Field(h + 345, 155);
      if (!prefix.empty()) name = prefix + "/" + name;
    }
    pos += 512;
    if (size > tar.size() - pos) throw Error(what + " is truncated (tar entry " + name + " runs past the end)");
    std::string_view body = tar.substr(pos, size);
    pos += (size + 511) / 512 * 512;
    if (type == 'L') {  // GNU long name for the next entry
      long_name = Field(body.data(), body.size());
      continue;
    }
    if (!long_name.empty()) {
      name = long_name;
      long_name.clear();
    }
    if (type == 'x' || type == 'g') continue;  // pax headers
    if (type != '0' && type != '\0') continue;
    while (name.rfind("./", 0) == 0) name.erase(0, 2);
    files[name] = std::string(body);
  }
  return files;
}

std::map<std::string, std::string> ReadTgz(std::string_view data, const std::string& what) {
  return ReadTar(Gunzip(data, what), what);
}

}  // namespace capstan::archive
