#include "backup/tar_format.h"

#include <cstdio>
#include <cstring>

namespace capstan::backup {

namespace {

// Writes value as zero-padded octal into a field of len bytes (len-1 digits and a NUL). Returns false when it
// does not fit.
bool PutOctal(char* field, size_t len, uint64_t value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*llo", static_cast<int>(len - 1), static_cast<unsigned long long>(value));
  if (std::strlen(buf) > len - 1) return false;
  std::memcpy(field, buf, len - 1);
  field[len - 1] = '\0';
  return true;
}

void PutString(char* field, size_t len, const std::string& s) {
  std::memcpy(field, s.data(), s.size() < len ? s.size() : len);
}

std::string PaxRecord(const std::string& key, const std::string& value) {
  // "<len> <key>=<value>\n" where len counts itself.
  size_t body = key.size() + value.size() + 3;  // ' ', '=', '\n'
  size_t len = body + 1;
  while (std::to_string(len).size() + body != len) ++len;
  return std::to_string(len) + " " + key + "=" + value + "\n";
}

std::string HeaderBlock(const std::string& name, const std::string& prefix, char type, uint32_t mode,
                        uint64_t size, int64_t mtime, uint32_t uid, uint32_t gid, const std::string& link) {
  std::string block(kTarBlock, '\0');
  char* h = block.data();
  PutString(h, 100, name);
  PutOctal(h + 100, 8, mode & 07777);
  PutOctal(h + 108, 8, uid > 07777777 ? 0 : uid);
  PutOctal(h + 116, 8, gid > 07777777 ? 0 : gid);
  PutOctal(h + 124, 12, size);
  PutOctal(h + 136, 12, mtime < 0 ? 0 : static_cast<uint64_t>(mtime));
  std::memset(h + 148, ' ', 8);
  h[156] = type;
  PutString(h + 157, 100, link);
  std::memcpy(h + 257, "ustar", 6);  // magic "ustar\0"
  std::memcpy(h + 263, "00", 2);
  PutString(h + 345, 155, prefix);
  unsigned sum = 0;
  for (size_t i = 0; i < kTarBlock; ++i) sum += static_cast<unsigned char>(h[i]);
  std::snprintf(h + 148, 8, "%06o", sum);  // six digits, NUL, then the space already there
  h[155] = ' ';
  return block;
}

// Splits a path into ustar prefix (<=155) and name (<=100) at a '/'; false when impossible.
bool SplitUstarName(const std::string& path, std::string& prefix, std::string& name) {
  if (path.size() <= 100) {
    prefix.clear();
    name = path;
    return true;
  }
  if (path.size() > 256) return false;
  for (size_t i = path.size() - 1; i > 0; --i) {
    if (path[i] != '/') continue;
    if (i <= 155 && path.size() - i - 1 <= 100 && path.size() - i - 1 > 0) {
      prefix = path.substr(0, i);
      name = path.substr(i + 1);
      return true;
    }
  }
  return false;
}

bool Ascii(const std::string& s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

}  // namespace

std::string EncodeTarHeader(const TarEntry& e) {
  std::string path = e.name;
  if (e.type == TarType::kDirectory && !path.empty() && path.back() != '/') path += '/';
  char type = e.type == TarType::kOther ? e.raw_type : static_cast<char>(e.type);
  std::string pax, prefix, name;
  if (!SplitUstarName(path, prefix, name) || !Ascii(path)) {
    pax += PaxRecord("path", path);
    name = path.substr(0, 100);
    prefix.clear();
  }
  if (e.link.size() > 100 || !Ascii(e.link)) pax += PaxRecord("linkpath", e.link);
  if (e.size > 077777777777ull) pax += PaxRecord("size", std::to_string(e.size));
  if (e.mtime < 0 || static_cast<uint64_t>(e.mtime) > 077777777777ull) pax += PaxRecord("mtime", std::to_string(e.mtime));
  if (e.uid > 07777777) pax += PaxRecord("uid", std::to_string(e.uid));
  if (e.gid > 07777777) pax += PaxRecord("gid", std::to_string(e.gid));
  std::string out;
  if (!pax.empty()) {
    std::string pax_name = "PaxHeaders/" + name.substr(0, 80);
    out += HeaderBlock(pax_name, "", 'x', 0644, pax.size(), e.mtime, 0, 0, "");
    out += pax;
    out.append((kTarBlock - pax.size() % kTarBlock) % kTarBlock, '\0');
  }
  uint64_t size = e.size > 077777777777ull ? 0 : e.size;
  out += HeaderBlock(name, prefix, type, e.mode, size, e.mtime, e.uid, e.gid, e.link.substr(0, 100));
  return out;
}

bool ParseTarNumber(const char* f, size_t len, uint64_t& value) {
  value = 0;
  if (len == 0) return false;
  if (static_cast<unsigned char>(f[0]) & 0x80) {  // GNU base-256 (positive only)
    if (static_cast<unsigned char>(f[0]) & 0x40) return false;
    uint64_t v = static_cast<unsigned char>(f[0]) & 0x3f;
    for (size_t i = 1; i < len; ++i) {
      if (v >> 56) return false;
      v = (v << 8) | static_cast<unsigned char>(f[i]);
    }
    value = v;
    return true;
  }
  size_t i = 0;
  while (i < len && f[i] == ' ') ++i;
  bool any = false;
  for (; i < len && f[i] >= '0' && f[i] <= '7'; ++i) {
    if (value >> 60) return false;
    value = value * 8 + static_cast<uint64_t>(f[i] - '0');
    any = true;
  }
  for (; i < len; ++i)
    if (f[i] != ' ' && f[i] != '\0') return false;
  (void)any;  // an all-blank field means 0
  return true;
}

}  // namespace capstan::backup
