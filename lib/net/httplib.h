// Includes cpp-httplib for every HTTP user (Kubernetes client, smoke checks, waits, test servers). GCC 12 with
// -O1 -fsanitize=address,undefined reports a false -Wmaybe-uninitialized inside <regex>'s std::function members
// that httplib instantiates; templates are instantiated at the end of the translation unit, so the warning is
// silenced for the whole including file (GCC only; clang does not report it).
#pragma once
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <httplib.h>
