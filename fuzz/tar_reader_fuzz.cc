// Fuzz target for the archive reader: arbitrary bytes as a tar stream (and, when they start with the gzip magic,
// as a .tar.gz) through TarReader and ArchiveValidator; inputs that validate are extracted into a private directory,
// and nothing may appear outside it. Never a crash, never a write outside the target.
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "backup/archive.h"
#include "backup/archive_paths.h"
#include "backup/fs_util.h"
#include "backup/streams.h"
#include "backup/tar_reader.h"
#include "util/error.h"

using namespace capstan;
using namespace capstan::backup;

namespace {

std::string& Base() {
  static std::string base = [] {
    char tmpl[] = "/tmp/capstan-tar-fuzz-XXXXXX";
    char* d = ::mkdtemp(tmpl);
    if (!d) ::abort();
    return std::string(d);
  }();
  return base;
}

size_t CountEntries(const std::string& dir) {
  size_t n = 0;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d))
      if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) ++n;
    ::closedir(d);
  }
  return n;
}

bool Validates(ByteSource& src) {
  try {
    TarReader reader(src, "fuzz");
    ArchiveValidator v("fuzz");
    TarEntry e;
    char buf[4096];
    while (reader.Next(e)) {
      v.Add(e);
      while (reader.ReadData(buf, sizeof buf) > 0) {
      }
    }
    v.Finish();
    return true;
  } catch (const Error&) {
    return false;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const char* bytes = reinterpret_cast<const char*>(data);
  if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
    MemorySource mem(bytes, size);
    try {
      GzipSource gz(mem, "fuzz.gz");
      Validates(gz);
    } catch (const Error&) {
    }
    return 0;
  }
  MemorySource mem(bytes, size);
  if (!Validates(mem)) return 0;
  // A valid archive: extract it (gzip'd to a file) into base/out/x and check that nothing escaped.
  const std::string& base = Base();
  std::string archive = base + "/in.tar.gz", out = base + "/out";
  ::unlink(archive.c_str());
  RemoveTree(out);
  ::mkdir(out.c_str(), 0700);
  ::mkdir((out + "/x").c_str(), 0700);
  {
    FileSink f(archive);
    GzipSink gz(f, 1);
    gz.Write(bytes, size);
    gz.Finish();
    f.Finish();
  }
  try {
    ExtractArchiveFile(archive, out + "/x", "");
  } catch (const Error&) {
  }
  if (CountEntries(base) != 2 || CountEntries(out) != 1) ::abort();  // something was written outside out/x
  RemoveTree(out);
  return 0;
}
