// The post-renderer's filters, in the order they run. To add a filter: write filters/<name>_filter.{h,cc} with
// its own options in Config (config.h/.cc) and its tests in tests/postrender/, then add it to MakeFilters.
#pragma once
#include <memory>
#include <vector>

#include "postrender/config.h"
#include "postrender/filter.h"

namespace capstan::postrender {

std::vector<std::unique_ptr<Filter>> MakeFilters(const Config& config);

}  // namespace capstan::postrender
