// The flags that name a backup store and how to read it, shared by `capstan backup` (and its list, verify and
// prune) and `capstan restore`: --backup-root (a directory or s3://BUCKET/PREFIX), --s3-credentials-dir and
// --encryption-key-file, each with a CAPSTAN_* variable as fallback.
#pragma once
#include <CLI/CLI.hpp>

#include "backup/store.h"

namespace capstan::backup {

void AddStoreFlags(CLI::App& app, StoreOptions& options);

}  // namespace capstan::backup
