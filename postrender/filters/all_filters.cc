#include "postrender/filters/all_filters.h"

#include "postrender/filters/check_filter.h"
#include "postrender/filters/checksum_filter.h"
#include "postrender/filters/safety_filter.h"
#include "postrender/filters/ordered_start_filter.h"
#include "postrender/filters/wait_filter.h"

namespace capstan::postrender {

std::vector<std::unique_ptr<Filter>> MakeFilters(const Config& config) {
  std::vector<std::unique_ptr<Filter>> filters;
  OrderedStartOptions ordered;  // StatefulSets that opt in with capstan.dev/ordered-start
  ordered.enabled = true;
  ordered.image = config.waits.image;  // the same hook image as the waits
  ordered.timeout = config.ordered_start_timeout;
  ordered.digest_annotation = config.checksum.annotation;
  ordered.config_digest = config.checksum.enabled;
  ordered.checksum_opt_annotation = config.checksum.opt_out_annotation;
  ordered.checksum_opt_in = config.checksum.opt_in;
  if (config.check) {  // check mode changes nothing
    filters.push_back(std::make_unique<CheckFilter>(config.check_options));
    ordered.check_only = true;  // reports ordered-start configurations that cannot work
    filters.push_back(std::make_unique<OrderedStartFilter>(ordered));
    return filters;
  }
  if (config.checksum.enabled) {
    ChecksumOptions checksum = config.checksum;
    checksum.namespace_source = config.pipeline.namespace_source;
    filters.push_back(std::make_unique<ChecksumFilter>(std::move(checksum)));
  }
  // Switched off, the wait filter only reports the annotations it ignores.
  filters.push_back(std::make_unique<WaitFilter>(config.waits));
  if (config.waits.enabled) {
    filters.push_back(std::make_unique<OrderedStartFilter>(ordered));
  }
  if (config.safety.any()) filters.push_back(std::make_unique<SafetyFilter>(config.safety));
  return filters;
}

}  // namespace capstan::postrender
