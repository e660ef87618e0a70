// Fuzz target for the encrypted backup reader (lib/backup/crypt_stream.h), which parses untrusted headers and
// segment framing: arbitrary bytes through DecryptSource with a fixed key (bytes 0x00..0x1f; the seeds in
// fuzz/seeds/backup_decrypt/ are objects encrypted with it, with 1 KiB segments). Every input either decrypts or
// throws capstan::Error, never crashes; what decrypts has exactly the size the format says.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "backup/crypt_key.h"
#include "backup/crypt_stream.h"
#include "backup/streams.h"
#include "util/error.h"

using namespace capstan;
using namespace capstan::backup;

namespace {

const Key& FuzzKey() {
  static const Key key = [] {
    std::string k;
    for (int i = 0; i < 32; ++i) k += static_cast<char>(i);
    return Key(k);
  }();
  return key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  MemorySource src(reinterpret_cast<const char*>(data), size);
  uint64_t plain = 0;
  size_t segment = 0;
  try {
    DecryptSource dec(src, FuzzKey(), "fuzz");
    segment = dec.segment_size();
    char buf[3000];  // not a divisor of any segment size: reads straddle segments
    while (size_t r = dec.Read(buf, sizeof buf)) plain += r;
    if (dec.Read(buf, sizeof buf) != 0) std::abort();
  } catch (const Error&) {
    return 0;
  }
  if (EncryptedSize(plain, segment) != size) std::abort();  // a decrypted object is exactly what the format says
  return 0;
}
