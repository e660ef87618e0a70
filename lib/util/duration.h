// Durations and sizes as Kubernetes writes them: "30s", "5m", "1h30m", "250ms"; "512Mi", "2Gi", "100M".
#pragma once
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace capstan {

// Throws UsageError with the accepted forms when the text is not a duration.
std::chrono::milliseconds ParseDuration(std::string_view text);
std::string FormatDuration(std::chrono::milliseconds d);
// Bytes from a Kubernetes quantity ("512Mi", "2Gi", "1G", "1024"); throws UsageError.
uint64_t ParseSize(std::string_view text);
std::string FormatSize(uint64_t bytes);

}  // namespace capstan
