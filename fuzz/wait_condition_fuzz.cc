// Fuzz target for the wait-condition parser: any input either parses or throws ConditionError (never another
// exception, a crash or a hang), and every parsed list survives the canonical round trip: parsing the ToArg() of
// each condition gives a condition with the same ToArg(), and the joined list string parses to the same list.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "wait/condition.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  std::string text(reinterpret_cast<const char*>(data), size);
  capstan::wait::ConditionList list;
  try {
    list = capstan::wait::ParseConditionList(text);
  } catch (const capstan::wait::ConditionError& e) {
    if (e.column() == 0 || e.line() == 0 || e.offset() > text.size()) std::abort();
    return 0;
  }
  for (const auto& c : list) {
    std::string arg = c->ToArg();
    std::string again;
    try {
      again = capstan::wait::ParseCondition(arg)->ToArg();
    } catch (const capstan::wait::ConditionError&) {
      std::abort();  // the canonical form must always parse
    }
    if (again != arg) std::abort();
  }
  std::string joined = capstan::wait::ToListString(list);
  try {
    if (capstan::wait::ToListString(capstan::wait::ParseConditionList(joined)) != joined) std::abort();
  } catch (const capstan::wait::ConditionError&) {
    std::abort();
  }
  return 0;
}
