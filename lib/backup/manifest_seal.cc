#include "backup/manifest_seal.h"

#include <algorithm>
#include <cctype>

#include "backup/manifest.h"
#include "digest/sha256.h"
#include "util/error.h"
#include "util/strings.h"

namespace capstan::backup {

std::string SealText(std::string_view json) { return Sha256::Hex(json) + "  " + kManifestFile + "\n"; }

void CheckSeal(std::string_view json, const std::optional<std::string>& seal, const std::string& manifest,
               const std::string& seal_where, const std::string& reseal) {
  if (!seal)
    throw Error(seal_where + " is missing: the manifest of this restore point is not sealed (written by an older "
                "Capstan, or the seal was removed), so it cannot be trusted for a restore. Check " + manifest +
                " (its artifacts and source directories), then seal it: " + reseal);
  std::string_view s = Trim(*seal);
  std::string recorded(s.substr(0, std::min<size_t>(s.size(), 64)));
  bool hex = recorded.size() == 64;
  for (char c : recorded) hex = hex && std::isxdigit(static_cast<unsigned char>(c));
  std::string rest(Trim(s.substr(recorded.size())));
  if (!hex || (rest != kManifestFile && rest != std::string("*") + kManifestFile))
    throw Error(seal_where + " is not a seal (expected \"<sha256>  manifest.json\"): the restore point is corrupt; "
                "use another restore point (capstan backup list)");
  std::string actual = Sha256::Hex(json);
  if (ToLower(recorded) != actual)
    throw Error(manifest + " does not match its seal " + kManifestSealFile + " (SHA-256 " + actual.substr(0, 12) +
                ", sealed " + ToLower(recorded).substr(0, 12) + "): the manifest was changed after the backup; "
                "refusing to trust it. Use another restore point (capstan backup list)");
}

}  // namespace capstan::backup
