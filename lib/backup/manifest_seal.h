// Authentication of a restore point's manifest. manifest.json says which archives and dumps a restore point holds
// and where each directory came from, so a restore trusts it; it is sealed by manifest.json.sha256 beside it
// ("<hex>  manifest.json\n", the format of sha256sum), written when the restore point is completed and checked by
// `backup verify` and `restore` against the exact bytes they then parse. A manifest that does not match is refused.
//
// Restore points written before the seal existed have no manifest.json.sha256: they are refused with a message
// naming the fix (check the manifest, then seal it with sha256sum). Without encryption the seal is a checksum: it
// stops a truncated or hand-edited manifest, not someone who can also rewrite the seal (keep the backup volume or
// bucket writable only by the backup hook). An encrypted restore point's seal is an HMAC-SHA-256 of the manifest
// under a key derived from the encryption key (HKDF, its own label), in the same "<hex>  manifest.json" line: only
// a holder of the key can seal a manifest, and every artifact is authenticated by AES-GCM (crypt_stream.h).
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "backup/crypt_key.h"

namespace capstan::backup {

inline constexpr const char* kManifestSealFile = "manifest.json.sha256";

// The seal file's text for the manifest text json: its SHA-256, or with a key its HMAC.
std::string SealText(std::string_view json, const Key* key = nullptr);

// Checks the manifest text json against the seal's text (nullopt: there is no seal). manifest and seal name the two
// files (paths or URLs) in messages; reseal says how to seal a checked manifest by hand. Throws Error naming the
// restore point and what to do when the seal is missing, malformed or does not match.
// With a key the seal must be the manifest's HMAC under it.
void CheckSeal(std::string_view json, const std::optional<std::string>& seal, const std::string& manifest,
               const std::string& seal_where, const std::string& reseal, const Key* key = nullptr);

}  // namespace capstan::backup
