#include "wait/condition.h"

#include <algorithm>
#include <map>
#include <mutex>

#include "util/duration.h"
#include "util/strings.h"
#include "util/suggest.h"
#include "wait/kinds.h"
#include "wait/syntax.h"

namespace capstan::wait {

Millis AttemptContext::Remaining() const {
  auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now());
  return left.count() > 0 ? left : Millis(0);
}

Condition::Condition(std::string kind, std::string canonical_target)
    : kind_(std::move(kind)), target_(std::move(canonical_target)) {}

void Condition::AddCanonicalOption(std::string key, std::string op, std::string value) {
  options_.push_back({std::move(key), std::move(op), std::move(value)});
}

// ---- probes ---------------------------------------------------------------------------------------------------

namespace {
struct Probes {
  std::mutex mu;
  std::map<std::string, ProbeFactory> factories;
};
Probes& TheProbes() {
  static Probes* p = new Probes();
  return *p;
}
}  // namespace

void AttachProbe(const std::string& kind, ProbeFactory factory) {
  if (kind.empty() || !factory) throw Error("AttachProbe: a kind and a factory are required");
  auto& p = TheProbes();
  std::lock_guard<std::mutex> lock(p.mu);
  p.factories[kind] = std::move(factory);
}

bool HasProbe(const std::string& kind) {
  auto& p = TheProbes();
  std::lock_guard<std::mutex> lock(p.mu);
  return p.factories.count(kind) > 0;
}

AttemptResult Condition::Check(const AttemptContext& ctx) {
  if (!probe_) {
    ProbeFactory factory;
    {
      auto& p = TheProbes();
      std::lock_guard<std::mutex> lock(p.mu);
      auto it = p.factories.find(kind_);
      if (it != p.factories.end()) factory = it->second;
    }
    if (!factory)
      throw Error("cannot check " + ToArg() + ": no probe is attached for " + kind_ +
                  ": conditions (this program only validates them; `capstan wait` checks them)");
    probe_ = factory(*this);
    if (!probe_) throw Error("cannot check " + ToArg() + ": the " + kind_ + ": probe made nothing");
  }
  return probe_->Check(ctx);
}

std::string Condition::ToArg() const {
  std::vector<std::string> parts;
  for (const auto& o : options_) parts.push_back(o.op.empty() ? o.key : o.key + o.op + FormatValue(o.value));
  if (timeout_) parts.push_back("timeout=" + FormatDurationExact(*timeout_));
  if (attempt_timeout_) parts.push_back("attempt-timeout=" + FormatDurationExact(*attempt_timeout_));
  if (parts.empty()) return target_;
  return target_ + " (" + Join(parts, ", ") + ")";
}

// ---- options -------------------------------------------------------------------------------------------------

OptionReader::OptionReader(const ConditionSpec& spec, std::string_view text)
    : spec_(spec), text_(text), taken_(spec.options.size(), false) {}

const ConditionOption* OptionReader::Find(std::string_view key) {
  known_.emplace_back(key);
  const ConditionOption* found = nullptr;
  for (size_t i = 0; i < spec_.options.size(); ++i) {
    const auto& o = spec_.options[i];
    if (o.key != key) continue;
    if (found) detail::Fail(text_, o.offset, spec_.index, "option '" + o.key + "' is given twice");
    found = &o;
    taken_[i] = true;
  }
  return found;
}

std::optional<std::string> OptionReader::Take(std::string_view key) {
  const ConditionOption* o = Find(key);
  if (!o) return std::nullopt;
  if (o->op.empty()) FailOption(*o, "option '" + o->key + "' needs a value: " + o->key + "=VALUE");
  if (o->op != "=")
    detail::Fail(text_, o->value_offset, spec_.index,
                 "option '" + o->key + "' takes '=', not '" + o->op + "': " + o->key + "=VALUE");
  return o->value;
}

std::optional<ConditionOption> OptionReader::TakeWithOp(std::string_view key,
                                                        const std::vector<std::string>& allowed_ops) {
  const ConditionOption* o = Find(key);
  if (!o) return std::nullopt;
  if (std::find(allowed_ops.begin(), allowed_ops.end(), o->op) == allowed_ops.end()) {
    std::vector<std::string> forms;
    for (const auto& op : allowed_ops) forms.push_back(std::string(key) + op + "VALUE");
    std::string got = o->op.empty() ? "no value" : "'" + o->op + "'";
    detail::Fail(text_, o->op.empty() ? o->offset : o->value_offset, spec_.index,
                 "option '" + o->key + "' has " + got + "; write " + Join(forms, " or "));
  }
  return *o;
}

bool OptionReader::TakeFlag(std::string_view key) {
  const ConditionOption* o = Find(key);
  if (!o) return false;
  if (o->op.empty()) return true;
  if (o->op == "=" && (o->value == "true" || o->value == "false")) return o->value == "true";
  FailOption(*o, "option '" + o->key + "' is a flag: write just '" + o->key + "' (or " + o->key + "=true|false)");
}

std::optional<Millis> OptionReader::TakeDuration(std::string_view key) {
  auto v = Take(key);
  if (!v) return std::nullopt;
  const ConditionOption* o = nullptr;
  for (const auto& opt : spec_.options)
    if (opt.key == key) o = &opt;
  Millis d{0};
  try {
    d = ParseDuration(*v);
  } catch (const UsageError&) {
    FailOption(*o, "option '" + o->key + "' is not a duration: " + Quote(*v) + " (use e.g. 500ms, 30s, 5m, 1h)");
  }
  if (d.count() <= 0) FailOption(*o, "option '" + o->key + "' must be more than 0");
  return d;
}

void OptionReader::FailTarget(const std::string& reason, size_t offset_in_body) const {
  size_t off = offset_in_body > spec_.body.size() ? spec_.body.size() : offset_in_body;
  detail::Fail(text_, spec_.body_offset + off, spec_.index, reason);
}

void OptionReader::FailOption(const ConditionOption& option, const std::string& reason) const {
  detail::Fail(text_, option.value_offset, spec_.index, reason);
}

void OptionReader::CheckAllTaken() const {
  for (size_t i = 0; i < spec_.options.size(); ++i) {
    if (taken_[i]) continue;
    const auto& o = spec_.options[i];
    std::string best = SuggestClosest(o.key, known_);
    std::vector<std::string> known = known_;
    std::sort(known.begin(), known.end());
    known.erase(std::unique(known.begin(), known.end()), known.end());
    std::string msg = "unknown option '" + o.key + "' for " + spec_.scheme + ":";
    if (!best.empty()) msg += " (did you mean '" + best + "'?)";
    msg += "; " + spec_.scheme + ": takes " + Join(known, ", ");
    detail::Fail(text_, o.offset, spec_.index, msg);
  }
}

// ---- registry ------------------------------------------------------------------------------------------------

namespace {
struct Kind {
  ConditionFactory factory;
  std::string summary;
};
struct Registry {
  std::mutex mu;
  std::map<std::string, Kind> kinds;
};
Registry& TheRegistry() {
  static Registry* r = [] {
    auto* reg = new Registry();
    for (auto& b : detail::BuiltinKinds()) reg->kinds[b.scheme] = Kind{std::move(b.factory), std::move(b.summary)};
    return reg;
  }();
  return *r;
}
bool ValidScheme(const std::string& s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (unsigned char c : s)
    if (!(std::islower(c) || std::isdigit(c) || c == '+' || c == '-' || c == '.')) return false;
  return true;
}
}  // namespace

void RegisterConditionKind(const std::string& scheme, ConditionFactory factory, std::string summary) {
  if (!ValidScheme(scheme) || !factory)
    throw Error("RegisterConditionKind: invalid scheme " + Quote(scheme) +
                " (lower-case letters, digits, '+', '-', '.'; a factory is required)");
  auto& r = TheRegistry();
  std::lock_guard<std::mutex> lock(r.mu);
  r.kinds[scheme] = Kind{std::move(factory), std::move(summary)};
}

std::vector<std::pair<std::string, std::string>> ConditionKinds() {
  auto& r = TheRegistry();
  std::lock_guard<std::mutex> lock(r.mu);
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [k, v] : r.kinds) out.emplace_back(k, v.summary);
  return out;
}

std::unique_ptr<Condition> BuildCondition(const ConditionSpec& spec, std::string_view text) {
  ConditionFactory factory;
  std::vector<std::string> names;
  {
    auto& r = TheRegistry();
    std::lock_guard<std::mutex> lock(r.mu);
    auto it = r.kinds.find(spec.scheme);
    if (it != r.kinds.end()) factory = it->second.factory;
    for (const auto& [k, v] : r.kinds) names.push_back(k);
  }
  if (!factory) {
    std::string msg = "unknown condition kind " + Quote(spec.scheme);
    bool numeric_body = !spec.body.empty() &&
                        std::all_of(spec.body.begin(), spec.body.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (numeric_body) {
      msg += "; for a TCP port write tcp://" + spec.scheme + ":" + spec.body;
    } else {
      std::string best = SuggestClosest(spec.scheme, names);
      if (!best.empty()) msg += " (did you mean '" + best + "'?)";
    }
    msg += "; known kinds: " + Join(names, ", ");
    detail::Fail(text, spec.offset, spec.index, msg);
  }
  OptionReader reader(spec, text);
  auto timeout = reader.TakeDuration("timeout");
  auto attempt_timeout = reader.TakeDuration("attempt-timeout");
  std::unique_ptr<Condition> cond = factory(reader);
  if (!cond) detail::Fail(text, spec.offset, spec.index, "condition kind '" + spec.scheme + "' built nothing");
  reader.CheckAllTaken();
  cond->timeout_ = timeout;
  cond->attempt_timeout_ = attempt_timeout;
  return cond;
}

ConditionList ParseConditionList(std::string_view text) {
  ConditionList out;
  for (const auto& spec : ParseSpecs(text)) out.push_back(BuildCondition(spec, text));
  return out;
}

std::unique_ptr<Condition> ParseCondition(std::string_view text) {
  auto specs = ParseSpecs(text);
  if (specs.empty()) detail::Fail(text, 0, 0, "empty condition: expected KIND:TARGET (e.g. tcp://db:5432)");
  if (specs.size() > 1)
    detail::Fail(text, specs[1].offset, 2, "expected one condition, found a second one");
  return BuildCondition(specs[0], text);
}

std::vector<std::string> ToArgs(const ConditionList& conditions) {
  std::vector<std::string> out;
  for (const auto& c : conditions) out.push_back(c->ToArg());
  return out;
}

std::string ToListString(const ConditionList& conditions) { return Join(ToArgs(conditions), ", "); }

std::vector<std::string> WaitArgv(const ConditionList& conditions, const WaitCommandOptions& options) {
  std::vector<std::string> argv = {"wait", "--timeout", FormatDurationExact(options.timeout)};
  if (options.initial_interval) {
    argv.push_back("--initial-interval");
    argv.push_back(FormatDurationExact(*options.initial_interval));
  }
  if (options.max_interval) {
    argv.push_back("--max-interval");
    argv.push_back(FormatDurationExact(*options.max_interval));
  }
  argv.push_back("--");
  for (const auto& c : conditions) argv.push_back(c->ToArg());
  return argv;
}

}  // namespace capstan::wait
