#include "backup/tar_reader.h"

#include <cstring>
#include <vector>

#include "util/error.h"

namespace capstan::backup {

namespace {

constexpr uint64_t kMaxMetaPayload = 1 << 20;  // pax / GNU long-name payloads larger than this are refused

std::string CString(const char* f, size_t len) {
  size_t n = 0;
  while (n < len && f[n] != '\0') ++n;
  return std::string(f, n);
}

bool AllZero(const char* b) {
  for (size_t i = 0; i < kTarBlock; ++i)
    if (b[i] != '\0') return false;
  return true;
}

}  // namespace

TarReader::TarReader(ByteSource& in, std::string what) : what_(std::move(what)), in_(in) {}

void TarReader::ReadExact(char* data, size_t n, const char* context) {
  while (n > 0) {
    size_t got = in_.Read(data, n);
    if (got == 0)
      throw Error(what_ + ": the archive ends in the middle of " + context + " (entry " + std::to_string(entries_ + 1) +
                  "): it is truncated or corrupt");
    data += got;
    n -= got;
  }
}

void TarReader::Skip(uint64_t n) {
  char buf[16384];
  while (n > 0) {
    size_t chunk = n > sizeof buf ? sizeof buf : static_cast<size_t>(n);
    ReadExact(buf, chunk, "an entry's data");
    n -= chunk;
  }
}

std::string TarReader::ReadSmallPayload(uint64_t size, const char* kind) {
  if (size > kMaxMetaPayload)
    throw Error(what_ + ": a " + kind + " header of " + std::to_string(size) + " bytes is too large: the archive is corrupt");
  std::string s(static_cast<size_t>(size), '\0');
  ReadExact(s.data(), s.size(), kind);
  Skip((kTarBlock - size % kTarBlock) % kTarBlock);
  return s;
}

size_t TarReader::ReadData(char* data, size_t n) {
  if (remaining_ == 0) return 0;
  size_t chunk = n > remaining_ ? static_cast<size_t>(remaining_) : n;
  ReadExact(data, chunk, "an entry's data");
  remaining_ -= chunk;
  return chunk;
}

bool TarReader::Next(TarEntry& e) {
  if (ended_) return false;
  Skip(remaining_ + padding_);
  remaining_ = padding_ = 0;
  std::string long_name, long_link;
  bool have_long_name = false, have_long_link = false;
  uint64_t pax_size = 0, pax_mtime = 0, pax_uid = 0, pax_gid = 0;
  bool have_pax_size = false, have_pax_mtime = false, have_pax_uid = false, have_pax_gid = false;
  for (int meta = 0;; ++meta) {
    if (meta > 16) throw Error(what_ + ": too many extended headers in a row: the archive is corrupt");
    char h[kTarBlock];
    ReadExact(h, kTarBlock, "a header");
    if (AllZero(h)) {
      // End of archive: a second zero block should follow; what comes after is padding.
      ended_ = true;
      return false;
    }
    uint64_t stored_sum = 0;
    if (!ParseTarNumber(h + 148, 8, stored_sum))
      throw Error(what_ + ": entry " + std::to_string(entries_ + 1) + " has a malformed header checksum: not a tar archive or corrupt");
    uint64_t sum = 0;
    for (size_t i = 0; i < kTarBlock; ++i) sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(h[i]);
    if (sum != stored_sum)
      throw Error(what_ + ": entry " + std::to_string(entries_ + 1) + " fails its header checksum: the archive is corrupt");
    uint64_t size = 0, mode = 0, mtime = 0, uid = 0, gid = 0;
    if (!ParseTarNumber(h + 124, 12, size) || !ParseTarNumber(h + 100, 8, mode) || !ParseTarNumber(h + 136, 12, mtime))
      throw Error(what_ + ": entry " + std::to_string(entries_ + 1) + " has a malformed numeric field: the archive is corrupt");
    if (!ParseTarNumber(h + 108, 8, uid)) uid = 0;
    if (!ParseTarNumber(h + 116, 8, gid)) gid = 0;
    char type = h[156];
    if (type == 'x' || type == 'g') {
      std::string pax = ReadSmallPayload(size, "pax");
      if (type == 'g') continue;  // global headers: ignored
      size_t pos = 0;
      while (pos < pax.size()) {
        size_t sp = pax.find(' ', pos);
        if (sp == std::string::npos) throw Error(what_ + ": a malformed pax record: the archive is corrupt");
        uint64_t len = 0;
        for (size_t i = pos; i < sp; ++i) {
          if (pax[i] < '0' || pax[i] > '9' || len > kMaxMetaPayload) throw Error(what_ + ": a malformed pax record length: the archive is corrupt");
          len = len * 10 + static_cast<uint64_t>(pax[i] - '0');
        }
        if (len <= sp - pos + 1 || pos + len > pax.size() || pax[pos + len - 1] != '\n')
          throw Error(what_ + ": a malformed pax record: the archive is corrupt");
        std::string rec = pax.substr(sp + 1, pos + len - sp - 2);
        pos += len;
        size_t eq = rec.find('=');
        if (eq == std::string::npos) throw Error(what_ + ": a malformed pax record: the archive is corrupt");
        std::string key = rec.substr(0, eq), value = rec.substr(eq + 1);
        auto number = [&](uint64_t& out, bool& have) {
          uint64_t v = 0;
          size_t dot = value.find('.');
          std::string digits = value.substr(0, dot);
          if (digits.empty() || digits.size() > 19) throw Error(what_ + ": a malformed pax " + key + ": the archive is corrupt");
          for (char c : digits) {
            if (c < '0' || c > '9') throw Error(what_ + ": a malformed pax " + key + ": the archive is corrupt");
            v = v * 10 + static_cast<uint64_t>(c - '0');
          }
          out = v;
          have = true;
        };
        if (key == "path") long_name = value, have_long_name = true;
        else if (key == "linkpath") long_link = value, have_long_link = true;
        else if (key == "size") number(pax_size, have_pax_size);
        else if (key == "mtime") number(pax_mtime, have_pax_mtime);
        else if (key == "uid") number(pax_uid, have_pax_uid);
        else if (key == "gid") number(pax_gid, have_pax_gid);
      }
      continue;
    }
    if (type == 'L' || type == 'K') {  // GNU long name / long link
      std::string s = ReadSmallPayload(size, type == 'L' ? "GNU long name" : "GNU long link");
      std::string v = CString(s.data(), s.size());
      if (type == 'L') long_name = v, have_long_name = true;
      else long_link = v, have_long_link = true;
      continue;
    }
    e = TarEntry{};
    std::string name = CString(h, 100);
    if (std::memcmp(h + 257, "ustar", 5) == 0) {
      std::string prefix = CString(h + 345, 155);
      if (!prefix.empty()) name = prefix + "/" + name;
    }
    e.name = have_long_name ? long_name : name;
    e.link = have_long_link ? long_link : CString(h + 157, 100);
    e.mode = static_cast<uint32_t>(mode & 07777);
    e.size = have_pax_size ? pax_size : size;
    e.mtime = static_cast<int64_t>(have_pax_mtime ? pax_mtime : mtime);
    e.uid = static_cast<uint32_t>(have_pax_uid ? pax_uid : uid);
    e.gid = static_cast<uint32_t>(have_pax_gid ? pax_gid : gid);
    e.raw_type = type;
    switch (type) {
      case '0': case '\0': case '7': e.type = TarType::kFile; break;
      case '1': e.type = TarType::kHardLink; break;
      case '2': e.type = TarType::kSymlink; break;
      case '5': e.type = TarType::kDirectory; break;
      default: e.type = TarType::kOther; break;
    }
    if (type == '0' || type == '\0') {
      if (!e.name.empty() && e.name.back() == '/') e.type = TarType::kDirectory;  // old-style directory
    }
    uint64_t data = (e.type == TarType::kFile || e.type == TarType::kOther) ? e.size : 0;
    if (e.type != TarType::kFile) {
      // Links and directories carry no data in our archives; skip whatever a foreign archive stored.
      padding_ = e.size + (kTarBlock - e.size % kTarBlock) % kTarBlock;
      if (e.type != TarType::kOther) e.size = 0;
      data = 0;
    } else {
      padding_ = (kTarBlock - data % kTarBlock) % kTarBlock;
    }
    remaining_ = data;
    while (!e.name.empty() && e.name.size() > 1 && e.name.back() == '/') e.name.pop_back();
    ++entries_;
    return true;
  }
}

}  // namespace capstan::backup
