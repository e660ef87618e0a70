// File-system helpers for backups and restores: removing a tree without following symlinks (making read-only
// directories writable first), fsync of a directory, creating a directory and its parents.
#pragma once
#include <string>

namespace capstan::backup {

// Removes path and everything below it; never follows symlinks. Missing paths are fine. Throws Error.
void RemoveTree(const std::string& path);
// fsyncs a directory so that renames and new entries in it are durable. Throws Error.
void SyncDirectory(const std::string& path);
// mkdir -p with the given mode for new directories. Throws Error.
void MakeDirectories(const std::string& path, unsigned mode = 0755);
// Whether path names a directory (following symlinks).
bool IsDirectory(const std::string& path);
// path made absolute (against the current directory) and lexically normal: no ".", ".." or doubled '/', no
// trailing '/' ("./data/" -> "/work/data"). Throws Error when the current directory cannot be determined.
std::string AbsolutePath(const std::string& path);
// The parent directory of a path ("/a/b" -> "/a", "b" -> ".").
std::string ParentPath(const std::string& path);

}  // namespace capstan::backup
