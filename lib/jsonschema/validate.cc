// Schema::Validate and Schema::IsValid (see validator.h): refuse instances nested too deep for the recursive JSON
// helpers, run the evaluator (evaluator.h) and return its errors in instance order.
#include <algorithm>
#include <stdexcept>

#include "jsonschema/evaluator.h"

namespace capstan::jsonschema {
namespace {

using evaluation::Collected;
using evaluation::Evaluator;
using rapidjson::Value;

constexpr size_t kMaxInstanceDepth = 2000;

// Instances deeper than this are refused up front (JSON equality and hashing recurse). Counts the instance's nodes
// into *nodes (for the evaluation budget).
bool TooDeep(const Value& root, uint64_t* nodes) {
  std::vector<std::pair<const Value*, size_t>> stack{{&root, 0}};
  *nodes = 1;
  while (!stack.empty()) {
    auto [v, d] = stack.back();
    stack.pop_back();
    if (d > kMaxInstanceDepth) return true;
    if (v->IsArray()) {
      *nodes += v->Size();
      for (const auto& c : v->GetArray())
        if (c.IsArray() || c.IsObject()) stack.push_back({&c, d + 1});
    } else if (v->IsObject()) {
      *nodes += v->MemberCount();
      for (auto m = v->MemberBegin(); m != v->MemberEnd(); ++m)
        if (m->value.IsArray() || m->value.IsObject()) stack.push_back({&m->value, d + 1});
    }
  }
  return false;
}

uint64_t StepBudget(uint64_t instance_nodes) {
  return evaluation::kMaxEvalSteps + evaluation::kEvalStepsPerInstanceNode * instance_nodes;
}

}  // namespace

namespace {
void RequireCompiled(const void* impl) {
  if (!impl) throw std::logic_error("jsonschema: Schema used before Schema::Compile assigned it");
}
}  // namespace

std::vector<ValidationError> Schema::Validate(const rapidjson::Value& instance) const {
  RequireCompiled(impl_.get());
  std::vector<ValidationError> out;
  uint64_t nodes = 0;
  if (TooDeep(instance, &nodes)) {
    out.push_back({"", "", impl_->root->res->uri + "#", "", "the value is nested deeper than " +
                                                              std::to_string(kMaxInstanceDepth) + " levels", {}});
    return out;
  }
  std::vector<Collected> collected;
  Evaluator ev(*impl_, &collected, StepBudget(nodes));
  ev.Run(instance);
  std::stable_sort(collected.begin(), collected.end(),
                   [](const Collected& a, const Collected& b) { return a.order < b.order; });
  out.reserve(collected.size());
  for (auto& c : collected) out.push_back(std::move(c.error));
  return out;
}

bool Schema::IsValid(const rapidjson::Value& instance) const {
  RequireCompiled(impl_.get());
  uint64_t nodes = 0;
  if (TooDeep(instance, &nodes)) return false;
  Evaluator ev(*impl_, nullptr, StepBudget(nodes));
  return ev.Run(instance);
}

}  // namespace capstan::jsonschema
