// What backup and restore commands print on stdout: a JSON summary (the default off a terminal, and in pods) or
// readable text. Never contains a secret: connection descriptions are redacted by lib/pg.
#pragma once
#include <string>
#include <vector>

#include "backup/engine.h"

namespace capstan::backup {

enum class Output { kText, kJson };
// "text" | "json" | "" (text on a terminal, json otherwise); throws UsageError.
Output ResolveOutput(const std::string& flag);

std::string RenderBackup(const BackupResult& r, Output out);
std::string RenderList(const std::vector<PointInfo>& points, Output out);
std::string RenderVerify(const VerifyResult& r, Output out);
std::string RenderPrune(const std::vector<std::string>& deleted, Output out);
std::string RenderRestore(const RestoreResult& r, Output out);

}  // namespace capstan::backup
