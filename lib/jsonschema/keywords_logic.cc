// Applicators that combine subschemas (see evaluator.h): allOf, anyOf and oneOf (with a summary of why no
// alternative matched), not, and if/then/else.
#include "jsonschema/evaluator.h"
#include "jsonschema/json_value.h"

namespace capstan::jsonschema::evaluation {

bool Evaluator::Kw_AllOf(const Node* n, Kw k, const Value& x, Eval* e) {
  (void)k;
  bool ok = true;
  for (const auto& edge : n->all_of) {
    if (!InPlace(edge, x, e)) {
      ok = false;
      if (!collecting()) return false;
    }
  }
  return ok;
}

bool Evaluator::Kw_AnyOf(const Node* n, Kw k, const Value& x, Eval* e) {
  return Alternatives(n, k, x, e);
}

bool Evaluator::Kw_Not(const Node* n, Kw k, const Value& x, Eval* e) {
  const char* kw = KwName(k);
  (void)e;
  if (!Quiet(*n->not_, x, nullptr)) return true;
  Report(n, kw, "value " + JsonShort(x) + " must not match the schema in 'not'");
  return false;
}

bool Evaluator::Kw_If(const Node* n, Kw k, const Value& x, Eval* e) {
  (void)k;
  Eval branch;
  bool cond = Quiet(*n->if_, x, e ? &branch : nullptr);
  if (cond && e) e->Merge(branch);
  const std::optional<Edge>& next = cond ? n->then_ : n->else_;
  if (!next) return true;
  return InPlace(*next, x, e);
}

bool Evaluator::Alternatives(const Node* n, Kw k, const Value& x, Eval* e) {
  const bool one = k == Kw::kOneOf;
  const std::vector<Edge>& branches = one ? n->one_of : n->any_of;
  std::vector<std::vector<Collected>> errs(branches.size());
  std::vector<size_t> passed;
  Eval merged;
  for (size_t b = 0; b < branches.size(); ++b) {
    Eval be;
    bool ok = Quiet(branches[b], x, e ? &be : nullptr, collecting() ? &errs[b] : nullptr);
    if (ok) {
      passed.push_back(b);
      if (e && (!one || passed.size() == 1)) merged.Merge(be);
      if (!one && !e) return true;
      if (one && passed.size() > 1 && !e) break;
    }
  }
  const char* kw = one ? "oneOf" : "anyOf";
  if (one && passed.size() > 1) {
    Report(n, kw, "value matches alternatives #" + std::to_string(passed[0]) + " and #" +
                      std::to_string(passed[1]) + " of oneOf; exactly one must match");
    return false;
  }
  if (!passed.empty()) {
    if (e) e->Merge(merged);
    return true;
  }
  if (!collecting()) return false;
  // Which alternatives accept the value's type? If exactly one does, its errors are the useful ones.
  std::string here = InstanceLocation();
  std::vector<size_t> type_ok;
  for (size_t b = 0; b < branches.size(); ++b) {
    bool type_error = false;
    for (const auto& c : errs[b])
      if (c.error.instance_location == here && (c.error.keyword == "type" || c.error.keyword == "false"))
        type_error = true;
    if (!type_error) type_ok.push_back(b);
  }
  if (type_ok.size() == 1 && !errs[type_ok[0]].empty()) {
    for (auto& c : errs[type_ok[0]]) sink_->push_back(std::move(c));
    return false;
  }
  std::vector<std::string> extra;
  std::string summary;
  for (size_t b = 0; b < branches.size(); ++b) {
    std::string first = errs[b].empty() ? "fails" : errs[b][0].error.message;
    if (!errs[b].empty() && errs[b][0].error.instance_location != here)
      first = errs[b][0].error.instance_location + ": " + first;
    extra.push_back("#" + std::to_string(b) + ": " + first);
    if (summary.size() < 300) summary += (summary.empty() ? "" : "; ") + extra.back();
  }
  Report(n, kw, "value matches none of the " + std::to_string(branches.size()) + " alternatives of " + kw +
                    " (" + summary + ")",
         extra);
  return false;
}

}  // namespace capstan::jsonschema::evaluation
