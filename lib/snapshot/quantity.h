// Kubernetes resource quantities ("10Gi", "500M", "1.5Ti", "1073741824"), read into bytes to compare a claim's
// requested size with a snapshot's restoreSize.
#pragma once
#include <optional>
#include <string_view>

namespace capstan::snapshot {

// Bytes of a storage quantity (binary Ki..Ei, decimal k..E, plain numbers, decimals, exponents "1e9"); nullopt
// when the text is not a quantity. Rounded up to a whole byte.
std::optional<long double> QuantityBytes(std::string_view quantity);

}  // namespace capstan::snapshot
