// Which restore point a rollback restores. `helm rollback R N` runs the pre-rollback hooks stored with revision N
// (rendered when N was installed or upgraded to, so they carry N as .Release.Revision); the data that belongs to
// revision N is the restore point taken by the pre-upgrade backup of the first upgrade away from N. A restore point
// records the revision being installed (`revision`, .Release.Revision at pre-upgrade) and the revision of the
// release's newest restore point when it was taken (`previous_revision`): Helm numbers revisions upwards, so the
// point for N is the one with the smallest revision above N, accepted when that revision is N+1 or when its
// previous_revision shows that no restore point was taken between N and it (the upgrades in between stopped at
// the backup gate). Anything else is refused: restoring a later revision's data under N's manifests is worse than
// not restoring.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "backup/engine.h"

namespace capstan::backup {

// The restore point (complete, of `release`) for a rollback to revision `target`. Throws Error (exit 1) naming
// the target, the restore points of the release and what to do when none matches.
PointInfo SelectForRollback(const std::vector<PointInfo>& points, const std::string& release, int64_t target);

// A Helm revision as recorded ("7"); 0 when empty or not a positive integer.
int64_t ParseRevision(const std::string& s);

}  // namespace capstan::backup
