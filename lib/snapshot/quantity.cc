#include "snapshot/quantity.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>
#include <utility>

namespace capstan::snapshot {

std::optional<long double> QuantityBytes(std::string_view q) {
  if (q.empty() || q.size() > 64) return std::nullopt;
  size_t i = 0;
  if (q[i] == '+') ++i;
  size_t digits = 0;
  while (i < q.size() && (std::isdigit(static_cast<unsigned char>(q[i])) || q[i] == '.')) {
    digits += q[i] != '.';
    ++i;
  }
  if (digits == 0) return std::nullopt;
  std::string number(q.substr(0, i));
  std::string_view suffix = q.substr(i);
  long double scale = 1;
  static const std::pair<std::string_view, long double> kSuffixes[] = {
      {"Ki", 1024.0L}, {"Mi", 1048576.0L}, {"Gi", 1073741824.0L}, {"Ti", 1099511627776.0L},
      {"Pi", 1125899906842624.0L}, {"Ei", 1152921504606846976.0L}, {"k", 1e3L}, {"M", 1e6L}, {"G", 1e9L},
      {"T", 1e12L}, {"P", 1e15L}, {"E", 1e18L}, {"m", 1e-3L}, {"", 1.0L}};
  bool known = false;
  for (const auto& [s, f] : kSuffixes)
    if (suffix == s) {
      scale = f;
      known = true;
      break;
    }
  if (!known) {
    if (suffix.size() < 2 || (suffix[0] != 'e' && suffix[0] != 'E')) return std::nullopt;
    std::string exp(suffix.substr(1));
    size_t j = exp[0] == '-' || exp[0] == '+' ? 1 : 0;
    if (j >= exp.size() || exp.size() > 4) return std::nullopt;
    for (; j < exp.size(); ++j)
      if (!std::isdigit(static_cast<unsigned char>(exp[j]))) return std::nullopt;
    scale = std::pow(10.0L, std::strtold(exp.c_str(), nullptr));
  }
  char* end = nullptr;
  long double v = std::strtold(number.c_str(), &end);
  if (end != number.c_str() + number.size()) return std::nullopt;
  return std::ceil(v * scale);
}

}  // namespace capstan::snapshot
