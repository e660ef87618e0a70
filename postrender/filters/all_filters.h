// The post-renderer's filters, in the order they run. To add a filter: write filters/<name>_filter.{h,cc} with
// its options in its static DeclareOptions (called from config.cc) and its unit tests beside it, then add it
// to MakeFilters.
#pragma once
#include <memory>
#include <vector>

#include "postrender/config.h"
#include "postrender/filter.h"

namespace capstan::postrender {

std::vector<std::unique_ptr<Filter>> MakeFilters(const Config& config);

}  // namespace capstan::postrender
