#include "util/duration.h"

#include <cmath>
#include <cstdio>

#include "util/error.h"
#include "util/strings.h"

namespace capstan {

std::chrono::milliseconds ParseDuration(std::string_view text) {
  std::string_view s = Trim(text);
  auto bad = [&] {
    return UsageError("invalid duration " + Quote(text) + ": use a number with a unit, e.g. 250ms, 30s, 5m, 1h30m");
  };
  if (s.empty()) throw bad();
  double total_ms = 0;
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
    if (start == i) throw bad();
    double value = 0;
    try {
      value = std::stod(std::string(s.substr(start, i - start)));
    } catch (...) {
      throw bad();
    }
    size_t ustart = i;
    while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
    std::string_view unit = s.substr(ustart, i - ustart);
    if (unit == "ms") total_ms += value;
    else if (unit == "s") total_ms += value * 1000;
    else if (unit == "m") total_ms += value * 60000;
    else if (unit == "h") total_ms += value * 3600000;
    else throw bad();
  }
  if (total_ms > 1e15) throw bad();
  return std::chrono::milliseconds(static_cast<int64_t>(std::llround(total_ms)));
}

std::string FormatDuration(std::chrono::milliseconds d) {
  int64_t ms = d.count();
  char buf[64];
  if (ms < 1000) std::snprintf(buf, sizeof buf, "%lldms", static_cast<long long>(ms));
  else if (ms < 60000) std::snprintf(buf, sizeof buf, "%.1fs", ms / 1000.0);
  else if (ms < 3600000) std::snprintf(buf, sizeof buf, "%lldm%llds", static_cast<long long>(ms / 60000),
                                       static_cast<long long>((ms % 60000) / 1000));
  else std::snprintf(buf, sizeof buf, "%lldh%lldm", static_cast<long long>(ms / 3600000),
                     static_cast<long long>((ms % 3600000) / 60000));
  return buf;
}

uint64_t ParseSize(std::string_view text) {
  std::string_view s = Trim(text);
  auto bad = [&] { return UsageError("invalid size " + Quote(text) + ": use e.g. 512Mi, 2Gi, 100M or a byte count"); };
  size_t i = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i == 0) throw bad();
  uint64_t n = 0;
  for (size_t j = 0; j < i; ++j) {
    if (n > (UINT64_MAX - 9) / 10) throw bad();
    n = n * 10 + static_cast<uint64_t>(s[j] - '0');
  }
  std::string_view unit = s.substr(i);
  uint64_t mul = 1;
  if (unit.empty()) mul = 1;
  else if (unit == "Ki") mul = 1ull << 10;
  else if (unit == "Mi") mul = 1ull << 20;
  else if (unit == "Gi") mul = 1ull << 30;
  else if (unit == "Ti") mul = 1ull << 40;
  else if (unit == "k" || unit == "K") mul = 1000;
  else if (unit == "M") mul = 1000000;
  else if (unit == "G") mul = 1000000000;
  else if (unit == "T") mul = 1000000000000ull;
  else throw bad();
  if (n != 0 && mul > UINT64_MAX / n) throw bad();
  return n * mul;
}

std::string FormatSize(uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  if (u == 0) std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  else std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
  return buf;
}

}  // namespace capstan
