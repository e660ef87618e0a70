#include "postrender/filters/all_filters.h"

#include "postrender/filters/checksum_filter.h"

namespace capstan::postrender {

std::vector<std::unique_ptr<Filter>> MakeFilters(const Config& config) {
  std::vector<std::unique_ptr<Filter>> filters;
  if (config.checksum.enabled) filters.push_back(std::make_unique<ChecksumFilter>(config.checksum));
  return filters;
}

}  // namespace capstan::postrender
