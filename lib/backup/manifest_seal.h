// Authentication of a restore point's manifest. manifest.json says which archives and dumps a restore point holds
// and where each directory came from, so a restore trusts it; it is sealed by manifest.json.sha256 beside it
// ("<hex>  manifest.json\n", the format of sha256sum), written when the restore point is completed and checked by
// `backup verify` and `restore` against the exact bytes they then parse. A manifest that does not match is refused.
//
// Restore points written before the seal existed have no manifest.json.sha256: they are refused with a message
// naming the fix (check the manifest, then seal it with sha256sum). Without encryption the seal is a checksum, not
// an HMAC: it stops a truncated or hand-edited manifest, not someone who can also rewrite the seal (keep the backup
// volume or bucket writable only by the backup hook). With an encryption key, every artifact is authenticated by
// AES-GCM under that key as well (crypt_stream.h).
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace capstan::backup {

inline constexpr const char* kManifestSealFile = "manifest.json.sha256";

// The seal file's text for the manifest text json.
std::string SealText(std::string_view json);

// Checks the manifest text json against the seal's text (nullopt: there is no seal). manifest and seal name the two
// files (paths or URLs) in messages; reseal says how to seal a checked manifest by hand. Throws Error naming the
// restore point and what to do when the seal is missing, malformed or does not match.
void CheckSeal(std::string_view json, const std::optional<std::string>& seal, const std::string& manifest,
               const std::string& seal_where, const std::string& reseal);

}  // namespace capstan::backup
