#include "backup/manifest_seal.h"

#include <algorithm>
#include <cctype>

#include "backup/manifest.h"
#include "backup/streams.h"
#include "digest/sha256.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/strings.h"

namespace capstan::backup {

void WriteManifestSeal(const std::string& dir, std::string_view json) {
  std::string line = Sha256::Hex(json) + "  " + kManifestFile + "\n";
  FileSink sink(dir + "/" + kManifestSealFile, 0644);
  sink.Write(line.data(), line.size());
  sink.Finish();
}

std::string ReadSealedManifest(const std::string& dir) {
  const std::string manifest = dir + "/" + kManifestFile;
  const std::string seal_path = dir + "/" + kManifestSealFile;
  std::string text;
  try {
    text = ReadFile(manifest);
  } catch (const Error& e) {
    throw Error(std::string(e.what()) + ": the restore point is incomplete or corrupt");
  }
  if (!FileExists(seal_path))
    throw Error(seal_path + " is missing: the manifest of this restore point is not sealed (written by an older "
                "Capstan, or the seal was removed), so it cannot be trusted for a restore. Check " + manifest +
                " (its artifacts and source directories), then seal it: cd " + dir + " && sha256sum " +
                kManifestFile + " > " + kManifestSealFile);
  std::string seal;
  try {
    seal = ReadFile(seal_path);
  } catch (const Error& e) {
    throw Error(std::string(e.what()) + ": cannot read the seal of the restore point's manifest");
  }
  std::string_view s = Trim(seal);
  std::string recorded(s.substr(0, std::min<size_t>(s.size(), 64)));
  bool hex = recorded.size() == 64;
  for (char c : recorded) hex = hex && std::isxdigit(static_cast<unsigned char>(c));
  std::string rest(Trim(s.substr(recorded.size())));
  if (!hex || (rest != kManifestFile && rest != std::string("*") + kManifestFile))
    throw Error(seal_path + " is not a seal (expected \"<sha256>  manifest.json\"): the restore point is corrupt; "
                "use another restore point (capstan backup list)");
  std::string actual = Sha256::Hex(text);
  if (ToLower(recorded) != actual)
    throw Error(manifest + " does not match its seal " + kManifestSealFile + " (SHA-256 " + actual.substr(0, 12) +
                ", sealed " + ToLower(recorded).substr(0, 12) + "): the manifest was changed after the backup; "
                "refusing to trust it. Use another restore point (capstan backup list)");
  return text;
}

}  // namespace capstan::backup
