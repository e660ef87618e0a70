// Where a restore writes directories. A manifest records the directory each archive came from; restoring "in
// place" replaces that directory's contents, so the recorded path is trusted only when it is where a volume is
// mounted in this pod (at or below a mount point other than "/" and the kernel's /proc, /sys, /dev); anything else
// must be named by the operator with --dir-map FROM=TO. A --dir-map entry that matches no archive is an error.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace capstan::backup {

// The mount points of this process's mount namespace (from /proc/self/mountinfo), unescaped.
std::vector<std::string> MountPoints();

// True when path lies at or below one of mounts that can hold an application's data volume.
bool OnDataVolume(const std::string& path, const std::vector<std::string>& mounts);

// The directory to restore the archive of `source` into: the --dir-map target when one names it, else source
// itself when it is on a data volume. Throws UsageError naming --dir-map otherwise.
std::string RestoreTarget(const std::string& source, const std::vector<std::pair<std::string, std::string>>& dir_map,
                          const std::vector<std::string>& mounts);

}  // namespace capstan::backup
