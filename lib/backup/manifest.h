// The manifest of a restore point (<root>/<id>/manifest.json): who and what it belongs to (release, chart and app
// version, database server version), each artifact with its size and SHA-256, and its state. A restore point is
// complete only when its directory has its final name and its manifest says "complete".
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace capstan::backup {

inline constexpr const char* kManifestFile = "manifest.json";
inline constexpr const char* kManifestFormat = "capstan.dev/restore-point/v1";
inline constexpr const char* kKindDump = "postgresql-dump";
inline constexpr const char* kKindArchive = "directory-archive";
inline constexpr const char* kStateComplete = "complete";
inline constexpr const char* kEncryptionAlgorithm = "AES-256-GCM";
inline constexpr const char* kEncryptionFormat = "capstan.dev/encrypted-stream/v1";

struct Artifact {
  std::string name;       // file name inside the restore point
  std::string kind;       // kKindDump or kKindArchive
  std::string source;     // the directory archived, or the database dumped
  uint64_t size = 0;
  std::string sha256;
  uint64_t entries = 0;     // archives: number of entries; dumps: number of TOC entries
  uint64_t data_bytes = 0;  // archives: bytes of file data before compression
};

struct Manifest {
  std::string id;
  std::string time;       // RFC 3339, UTC
  int64_t time_unix = 0;
  std::string release, namespace_name, revision, chart, chart_version, app_version;
  // The revision of the release's newest complete restore point when this one was taken ("0": none; "" in restore
  // points written before this was recorded). With `revision` it tells a rollback which point is its own
  // (rollback_point.h).
  std::string previous_revision;
  std::string database;               // database name ("" when no database was backed up)
  std::string server_version;         // e.g. "15.20"
  int server_version_num = 0;         // e.g. 150020
  std::string pg_dump_version;        // e.g. "15.20"
  int pg_dump_major = 0;
  std::string capstan_version;
  // The key id (crypt_key.h) of the key every artifact is encrypted with (crypt_stream.h); "" when not encrypted.
  std::string encryption_key_id;
  std::string state;                  // "complete"
  double seconds = 0;                 // how long the backup took
  std::vector<Artifact> artifacts;
};

std::string ManifestToJson(const Manifest& m);
// Parses and checks a manifest; throws Error naming `where` when it is malformed.
Manifest ManifestFromJson(std::string_view json, const std::string& where);

// Artifact and restore-point identifiers: [A-Za-z0-9._-], not starting with '.', at most 128 characters.
bool ValidId(std::string_view id);
bool ValidArtifactName(std::string_view name);

}  // namespace capstan::backup
