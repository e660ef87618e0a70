// The manifest of a restore point (<root>/<id>/manifest.json): who and what it belongs to (release, chart and app
// version, database server version), each artifact with its size and SHA-256, the CSI VolumeSnapshots taken with it
// (lib/snapshot), and its state. A restore point is complete only when its directory has its final name and its
// manifest says "complete". A restore point may hold only snapshots (no dump, no archive).
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

// A CSI VolumeSnapshot (snapshot.storage.k8s.io/v1) taken with the restore point, as it was when it became ready,
// with what a restore needs to create a PVC from it (the original claim's class, access modes, size, volume mode).
struct VolumeSnapshotRecord {
  std::string pvc;             // spec.source.persistentVolumeClaimName
  std::string name;            // the VolumeSnapshot's name
  std::string namespace_name;
  std::string class_name;      // spec.volumeSnapshotClassName ("" : the cluster's default class)
  std::string restore_size;    // status.restoreSize, a quantity ("10Gi")
  std::string content_name;    // status.boundVolumeSnapshotContentName
  std::string creation_time;   // status.creationTime (RFC 3339)
  bool ready_to_use = false;   // status.readyToUse
  // The original claim's spec when the snapshot was taken.
  std::string pvc_storage_class;
  std::vector<std::string> pvc_access_modes;
  std::string pvc_size;        // spec.resources.requests.storage
  std::string pvc_volume_mode; // "Filesystem" or "Block" ("" : not set)
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
  std::vector<VolumeSnapshotRecord> volume_snapshots;  // absent in restore points written before snapshots existed
};

std::string ManifestToJson(const Manifest& m);
// Parses and checks a manifest; throws Error naming `where` when it is malformed.
Manifest ManifestFromJson(std::string_view json, const std::string& where);

// Artifact and restore-point identifiers: [A-Za-z0-9._-], not starting with '.', at most 128 characters.
bool ValidId(std::string_view id);
bool ValidArtifactName(std::string_view name);
// A Kubernetes object name (DNS-1123 subdomain: [a-z0-9.-], starting and ending alphanumeric, at most 253).
bool ValidKubeName(std::string_view name);

}  // namespace capstan::backup
