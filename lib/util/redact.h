// Credential redaction for every message Capstan writes: log lines (stderr and --log-file), the top-level error
// printer and command-line parse errors all pass through RedactSecrets(), and the places that quote text from
// outside (an API server's Status message, a condition argument, a database URL) call it at the source too.
//
// Redacted forms (the credential becomes "***", everything else stays readable):
//   URL userinfo           postgres://app:***@db/portal     (the user name stays; a user without ':' is kept)
//   key=value / key: value password=*** token=*** secret=*** (DSN, query string, JSON "password":"***")
//   Authorization headers  Authorization: Bearer ***, Authorization: Basic ***, "Bearer ***" anywhere
//   JSON Web Tokens        eyJ...  (Kubernetes service-account tokens)
//   registered secrets     any text registered with RegisterSecret() (a bearer token read from a kubeconfig, a
//                          password read from a file), wherever it appears
#pragma once
#include <string>
#include <string_view>

namespace capstan {

// Returns text with every credential it recognises (see above) replaced by "***". Idempotent.
std::string RedactSecrets(std::string_view text);

// Registers a secret value the process holds (a token, a password) so that RedactSecrets() removes it from any
// text, whatever surrounds it. Values shorter than 4 bytes are ignored (they would redact ordinary words).
// Thread-safe; registrations last for the life of the process.
void RegisterSecret(std::string_view secret);

}  // namespace capstan
