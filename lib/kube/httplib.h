// Includes cpp-httplib for the Kubernetes client, the smoke checks and the kube test server. GCC 12 with
// -O1 -fsanitize=address,undefined reports a false -Wmaybe-uninitialized inside <regex>'s std::function members
// that httplib instantiates; templates are instantiated at the end of the translation unit, so the warning is
// silenced for the whole including file (GCC only; clang does not report it).
#pragma once
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <httplib.h>
