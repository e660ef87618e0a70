#include "backup/store_flags.h"

namespace capstan::backup {

void AddStoreFlags(CLI::App& app, StoreOptions& options) {
  app.add_option("--backup-root", options.root,
                 "Where the restore points are: a directory (a persistent volume) or s3://BUCKET/PREFIX")
      ->envname("CAPSTAN_BACKUP_ROOT");
  app.add_option("--s3-credentials-dir", options.s3_credentials_dir,
                 "With s3://: a directory holding access-key-id and secret-access-key (and session-token), e.g. a "
                 "mounted Secret (default: the AWS_* variables, the shared credentials file, web identity)")
      ->envname("CAPSTAN_S3_CREDENTIALS_DIR");
  app.add_option("--encryption-key-file", options.encryption_key_file,
                 "Encrypt (backup) or decrypt (verify, restore) the artifacts with the AES-256 key in this file, "
                 "e.g. a mounted Secret: 32 bytes, 64 hex digits or base64")
      ->envname("CAPSTAN_ENCRYPTION_KEY_FILE");
}

}  // namespace capstan::backup
