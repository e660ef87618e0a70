// Authentication of a restore point's manifest. manifest.json says which archives and dumps a restore point holds
// and where each directory came from, so a restore trusts it; it is sealed by manifest.json.sha256 beside it
// ("<hex>  manifest.json\n", the format of sha256sum), written when the restore point is completed and checked by
// `backup verify` and `restore` against the exact bytes they then parse. A manifest that does not match is refused.
//
// Restore points written before the seal existed have no manifest.json.sha256: they are refused with a message
// naming the fix (check the manifest, then seal it with sha256sum). Capstan has no backup encryption key, so the
// seal is a checksum, not an HMAC: it stops a truncated or hand-edited manifest, not someone who can also rewrite
// the seal (keep the backup volume writable only by the backup hook).
#pragma once
#include <string>
#include <string_view>

namespace capstan::backup {

inline constexpr const char* kManifestSealFile = "manifest.json.sha256";

// Writes <dir>/manifest.json.sha256 for the manifest text json (fsynced).
void WriteManifestSeal(const std::string& dir, std::string_view json);

// Reads <dir>/manifest.json and returns its text when its SHA-256 matches the seal. Throws Error naming the
// restore point and what to do when the seal is missing, malformed or does not match.
std::string ReadSealedManifest(const std::string& dir);

}  // namespace capstan::backup
