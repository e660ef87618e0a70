// The evaluator behind Schema::Validate and Schema::IsValid (internal, see validator.h): walks a compiled schema
// (schema_internal.h) over an instance, collecting errors with instance and keyword locations, tracking the
// annotations unevaluatedProperties/unevaluatedItems need, the dynamic scope for $dynamicRef/$recursiveRef, and a
// bounded evaluation depth. Its keywords are defined by kind: evaluator.cc (dispatch, references),
// keywords_scalar.cc (type, enum, const, numbers, strings, format), keywords_containers.cc (arrays, objects,
// unevaluated*), keywords_logic.cc (allOf, anyOf, oneOf, not, if/then/else). Not a public API.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "jsonschema/schema_internal.h"

namespace capstan::jsonschema::evaluation {

using rapidjson::Value;

inline constexpr int kMaxEvalDepth = 1000;
// The evaluation budget: this many schema-node evaluations plus kEvalStepsPerInstanceNode per instance node.
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
// Fuzz builds (ASan at -O1, several validations per input) keep a hostile schema well within the per-input timeout.
inline constexpr uint64_t kMaxEvalSteps = 200'000;
#else
inline constexpr uint64_t kMaxEvalSteps = 2'000'000;
#endif
inline constexpr uint64_t kEvalStepsPerInstanceNode = 100;

inline std::string_view Sv(const Value& v) { return {v.GetString(), v.GetStringLength()}; }
const char* KwName(Kw k);
std::string TypesText(uint8_t t);
std::string NumText(const Value& v);
std::string Quote(std::string_view s);

// Locations evaluated by subschemas at one instance location (annotations for unevaluated*).
struct Eval {
  std::vector<uint8_t> props, items;
  void MarkProp(size_t i, size_t n) {
    if (props.size() < n) props.resize(n, 0);
    props[i] = 1;
  }
  void MarkItem(size_t i, size_t n) {
    if (items.size() < n) items.resize(n, 0);
    items[i] = 1;
  }
  bool Prop(size_t i) const { return i < props.size() && props[i]; }
  bool Item(size_t i) const { return i < items.size() && items[i]; }
  void Merge(const Eval& o) {
    if (props.size() < o.props.size()) props.resize(o.props.size(), 0);
    for (size_t i = 0; i < o.props.size(); ++i) props[i] |= o.props[i];
    if (items.size() < o.items.size()) items.resize(o.items.size(), 0);
    for (size_t i = 0; i < o.items.size(); ++i) items[i] |= o.items[i];
  }
};

struct Collected {
  ValidationError error;
  std::vector<uint32_t> order;  // instance position (member/element ordinals) for sorting
};

struct PathTok {
  const char* s;
  size_t n;
  size_t index;
  bool is_index;
  uint32_t ordinal;
};

class Evaluator {
 public:
  // max_steps bounds the work: schema nodes evaluated, counting re-evaluations (nested anyOf/oneOf alternatives
  // can otherwise take time exponential in their depth).
  Evaluator(const Schema::Impl& impl, std::vector<Collected>* sink, uint64_t max_steps)
      : impl_(impl), sink_(sink), root_sink_(sink), max_steps_(max_steps) {}
  // Evaluates the root schema. Past max_steps it stops: false, and when collecting, one error saying so in place
  // of the partial ones.
  bool Run(const Value& instance);

 private:
  bool collecting() const { return sink_ != nullptr; }
  std::string InstanceLocation() const;
  [[gnu::noinline]] void Report(const Node* n, const char* kw, std::string message,
                                std::vector<std::string> extra = {}, const PathTok* child = nullptr);
  // Evaluates `edge` against the same instance location.
  bool InPlace(const Edge& e, const Value& x, Eval* ev) {
    kpath_.push_back(&e.path);
    bool ok = V(e.node, x, ev);
    kpath_.pop_back();
    return ok;
  }
  // Evaluates `edge` against a child instance location.
  bool Child(const Edge& e, const Value& x, const PathTok& tok) {
    kpath_.push_back(&e.path);
    ipath_.push_back(tok);
    bool ok = V(e.node, x, nullptr);
    ipath_.pop_back();
    kpath_.pop_back();
    return ok;
  }
  // Evaluates without reporting (contains, not, if, anyOf/oneOf branches collect into `into` when given).
  bool Quiet(const Edge& e, const Value& x, Eval* ev, std::vector<Collected>* into = nullptr) {
    std::vector<Collected>* saved = sink_;
    sink_ = into;
    bool ok = InPlace(e, x, ev);
    sink_ = saved;
    return ok;
  }
  bool QuietChild(const Edge& e, const Value& x, const PathTok& tok) {
    std::vector<Collected>* saved = sink_;
    sink_ = nullptr;
    bool ok = Child(e, x, tok);
    sink_ = saved;
    return ok;
  }
  static PathTok Key(const Value& obj, size_t i) {
    const Value& name = (obj.MemberBegin() + static_cast<long>(i))->name;
    return {name.GetString(), name.GetStringLength(), 0, false, static_cast<uint32_t>(i)};
  }
  static PathTok Index(size_t i) { return {nullptr, 0, i, true, static_cast<uint32_t>(i)}; }
  bool V(const Node* n, const Value& x, Eval* ev);
  // Dispatches one keyword. Each keyword lives in its own non-inlined function so that the frames on the recursion
  // path stay small (deep instances and reference chains recurse through here).
  bool Keyword(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_Ref(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_DynamicRef(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_RecursiveRef(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_Type(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_Enum(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_Const(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_MultipleOf(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_Maximum(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_Minimum(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_ExclusiveMaximum(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_ExclusiveMinimum(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_MaxLength(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_MinLength(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_Pattern(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_Format(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_MaxItems(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_MinItems(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_UniqueItems(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_Items(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_Contains(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_MaxProperties(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_MinProperties(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_Required(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_DependentRequired(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_DependentSchemas(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_Properties(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_PropertyNames(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_AllOf(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_AnyOf(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_Not(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_If(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_UnevaluatedItems(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] bool Kw_UnevaluatedProperties(const Node* n, Kw k, const Value& x, Eval* e);
  [[gnu::noinline]] void ReportAdditional(const Node* n, const Value& x, size_t i);
  bool Properties(const Node* n, const Value& x, Eval* e);
  // anyOf / oneOf: branch errors are kept aside and summarised.
  bool Alternatives(const Node* n, Kw k, const Value& x, Eval* e);

  const Schema::Impl& impl_;
  std::vector<Collected>* sink_;
  std::vector<PathTok> ipath_;
  std::vector<const std::string*> kpath_;
  std::vector<const Resource*> scope_;
  int depth_ = 0;
  std::vector<Collected>* root_sink_;  // sink_ is swapped while alternatives are tried
  uint64_t max_steps_;
  uint64_t steps_ = 0;
};

}  // namespace capstan::jsonschema::evaluation
