// Exact decimal arithmetic for `multipleOf` where a double quotient cannot answer (the quotient under 1, beyond
// 2^53, or overflowing: 80 / 1e20 rounds to an integer within any tolerance, 1e308 / 0.1 is infinite). Numbers are
// taken as the shortest decimal that reads back as the same double (what the schema author wrote, e.g. 0.0075),
// so the answer is the one of decimal arithmetic on the written values.
#pragma once
#include <rapidjson/document.h>

namespace capstan::jsonschema {

// Whether x / m is an integer, computed exactly on the decimal forms of x and m (m != 0, both finite numbers).
bool DecimalMultipleOf(const rapidjson::Value& x, const rapidjson::Value& m);

}  // namespace capstan::jsonschema
