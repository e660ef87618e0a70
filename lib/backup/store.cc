#include "backup/store.h"

#include "backup/local_store.h"
#include "backup/s3_store.h"
#include "s3/url.h"
#include "util/error.h"
#include "util/strings.h"

namespace capstan::backup {

std::unique_ptr<Store> OpenStore(const StoreOptions& options) {
  if (options.root.empty())
    throw UsageError("no backup root: pass --backup-root DIR (a volume) or --backup-root s3://BUCKET/PREFIX");
  if (s3::IsS3Url(options.root) || StartsWith(ToLower(options.root), "s3:"))
    return std::make_unique<S3Store>(options);  // ParseUrl explains a malformed s3:// URL
  if (options.root.find("://") != std::string::npos)
    throw UsageError("--backup-root " + options.root + ": only directories and s3://BUCKET/PREFIX are supported");
  return std::make_unique<LocalStore>(options.root);
}

}  // namespace capstan::backup
