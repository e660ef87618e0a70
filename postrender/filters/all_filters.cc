#include "postrender/filters/all_filters.h"

#include "postrender/filters/check_filter.h"
#include "postrender/filters/checksum_filter.h"
#include "postrender/filters/safety_filter.h"

namespace capstan::postrender {

std::vector<std::unique_ptr<Filter>> MakeFilters(const Config& config) {
  std::vector<std::unique_ptr<Filter>> filters;
  if (config.check) {  // check mode changes nothing
    filters.push_back(std::make_unique<CheckFilter>());
    return filters;
  }
  if (config.checksum.enabled) filters.push_back(std::make_unique<ChecksumFilter>(config.checksum));
  if (config.safety.any()) filters.push_back(std::make_unique<SafetyFilter>(config.safety));
  return filters;
}

}  // namespace capstan::postrender
