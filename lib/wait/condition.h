// The wait-condition language: what `capstan wait` waits for and what the `capstan.dev/wait-for` annotation lists.
//
// A condition list is one human-readable string (grammar in docs/wait.md, "Grammar"):
//
//   tcp://db:5432, postgres://app@db:5432/portal (schema>=12, password-file=/secrets/pg),
//   https://solr:8983/solr/admin/ping (expect='OK', ca=/etc/ca.crt, timeout=2m),
//   dns:db.default.svc, file:/shared/.capstan/ready (content=3f2a...)
//
// Each condition is KIND:TARGET optionally followed by "(option, option, ...)"; conditions are separated by commas
// or line breaks. Parsing turns the text into Condition objects (validated: unknown kinds and options, bad values
// are ConditionErrors naming the column); Condition::ToArg() writes one condition back in canonical form, so
// Parse -> ToArg -> Parse gives an equal condition. The post-renderer uses WaitArgv() to build the init
// container's command line; `capstan wait` parses each argument with ParseConditionList() and runs them (run.h).
//
// Parsing never touches the network or the file system: it runs in the post-renderer on a developer's machine.
// The language is data: every built-in kind (tcp, http, https, dns, postgres/postgresql, file, job, rollout) is
// parsed, validated and written back here (kinds.h), and Condition::Files() says which local files a condition
// reads. Checking is separate: a Probe per kind, attached with AttachProbe() by the `capstan` binary alone
// (lib/probe, lib/kube/wait_probes.h), so the post-renderer links no network, database or Kubernetes client.
// Kinds are pluggable too: RegisterConditionKind("x", factory) adds one whose conditions may check themselves.
// Registration is explicit (call it before parsing; a static library drops unreferenced static registrars).
#pragma once
#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"

namespace capstan::wait {

using Millis = std::chrono::milliseconds;

// A syntax or validation error in a condition string; exit code 2. what() already says where:
//   "condition 2 at column 17: unknown option 'expct' for https (did you mean 'expect'?)"
// offset() is the 0-based byte offset into the parsed text; column()/line() are 1-based.
class ConditionError : public UsageError {
 public:
  ConditionError(const std::string& message, std::string reason, size_t offset, size_t line, size_t column)
      : UsageError(message), reason_(std::move(reason)), offset_(offset), line_(line), column_(column) {}
  const std::string& reason() const { return reason_; }  // the message without the location prefix
  size_t offset() const { return offset_; }
  size_t line() const { return line_; }
  size_t column() const { return column_; }

 private:
  std::string reason_;
  size_t offset_, line_, column_;
};

// One "(key op value)" item as written. op is "=", ">=", "<=", ">", "<" or "!="; a bare flag ("(complete)") has an
// empty op and value. "key value" (a space instead of "=") means "key=value".
struct ConditionOption {
  std::string key;
  std::string op;
  std::string value;    // unquoted, escapes resolved
  size_t offset = 0;        // of the key, into the parsed text
  size_t value_offset = 0;  // of the value (or of the key for a flag)
};

// One condition as written, before its kind validated it.
struct ConditionSpec {
  std::string scheme;  // lower-cased kind: "tcp", "https", "file", "job" ...
  std::string body;    // everything after "scheme:" up to whitespace, ',' or '(' (e.g. "//db:5432"), not decoded
  size_t offset = 0;       // of the scheme, into the parsed text
  size_t body_offset = 0;  // of the body
  size_t index = 0;        // 1-based position in the list
  std::vector<ConditionOption> options;
};

// Bounds and cancellation for one attempt. Check() must return by deadline (best effort: a blocking resolver call
// may overrun a little) and should return early when stop becomes true.
struct AttemptContext {
  std::chrono::steady_clock::time_point deadline;
  const std::atomic<bool>* stop = nullptr;
  Millis Remaining() const;
  bool Stopping() const { return stop != nullptr && stop->load(); }
};

// The outcome of one attempt. detail: the error when the condition does not hold ("connection refused",
// "HTTP 503", "schema version 11 < 12"), or a short note when it does ("resolved to 10.0.0.7"). Never secrets.
struct AttemptResult {
  bool held = false;
  std::string detail;
  static AttemptResult Held(std::string note = {}) { return {true, std::move(note)}; }
  static AttemptResult NotYet(std::string error) { return {false, std::move(error)}; }
};

class OptionReader;
class Condition;

// Checks conditions of one kind (one Probe object per condition, made on its first attempt; it may keep state
// such as a client between attempts). Probes are attached per kind with AttachProbe().
class Probe {
 public:
  virtual ~Probe() = default;
  // One attempt: does the condition hold now? Never throws for "not yet" (returns NotYet with the reason); may
  // throw Error for a problem no retry can fix.
  virtual AttemptResult Check(const AttemptContext& ctx) = 0;
};
// Makes the probe of one condition (of the kind it was attached for; downcast to the kind's class in kinds.h).
using ProbeFactory = std::function<std::unique_ptr<Probe>(const Condition& condition)>;

// A validated condition. Subclasses (one per kind, kinds.h) hold what the target and options say; the base keeps
// the canonical text. Check() runs the probe attached for kind(); a kind added in code may override it instead.
class Condition {
 public:
  virtual ~Condition() = default;
  Condition(const Condition&) = delete;
  Condition& operator=(const Condition&) = delete;

  const std::string& kind() const { return kind_; }
  // The canonical target, e.g. "tcp://db:5432", "file:/shared/.capstan/ready".
  const std::string& target() const { return target_; }
  // The network host this condition depends on ("db" for tcp://db:5432), empty for file: and API kinds. Lets the
  // post-renderer's check mode match a wait against the Services a chart (or only its hooks) creates.
  virtual std::string host() const { return {}; }
  // Canonical text of this one condition: target, then "(k=v, ...)" in a fixed order when there are options.
  // Suitable as one argv element of `capstan wait`; ParseCondition(ToArg()) yields an equal condition.
  std::string ToArg() const;
  // What logs and error messages call the condition (the canonical text; conditions never hold secrets).
  virtual std::string Describe() const { return ToArg(); }

  // Overall limit for this condition ("timeout=2m"); none: the command's --timeout applies.
  std::optional<Millis> timeout() const { return timeout_; }
  // Limit for one attempt ("attempt-timeout=3s"); none: the command's --attempt-timeout applies.
  std::optional<Millis> attempt_timeout() const { return attempt_timeout_; }

  // The local files this condition reads when checked (file: targets, password-file=, ca=), as absolute paths;
  // the post-renderer mounts the volumes that hold them into the injected init container.
  virtual std::vector<std::string> Files() const { return {}; }

  // One attempt: does the condition hold now? Never throws for "not yet" (returns NotYet with the reason); may
  // throw Error for a problem no retry can fix. The default runs the probe attached for kind(); without one it
  // throws Error (this program only validates conditions).
  virtual AttemptResult Check(const AttemptContext& ctx);

 protected:
  Condition(std::string kind, std::string canonical_target);
  // Adds an option to the canonical form (in call order, before timeout/attempt-timeout). Empty op: a flag.
  void AddCanonicalOption(std::string key, std::string op, std::string value);

 private:
  friend std::unique_ptr<Condition> BuildCondition(const ConditionSpec& spec, std::string_view text);
  std::string kind_;
  std::string target_;
  struct Canon {
    std::string key, op, value;
  };
  std::vector<Canon> options_;
  std::optional<Millis> timeout_;
  std::optional<Millis> attempt_timeout_;
  std::unique_ptr<Probe> probe_;
};

using ConditionList = std::vector<std::unique_ptr<Condition>>;

// Gives a kind's factory the options of its spec, one at a time, and reports mistakes with their column.
// Options a factory does not take are reported as unknown (with a did-you-mean) after the factory returns.
class OptionReader {
 public:
  OptionReader(const ConditionSpec& spec, std::string_view text);
  const ConditionSpec& spec() const { return spec_; }

  // The value of "key=value" (or "key value"), if present; a repeated key or another operator is an error.
  std::optional<std::string> Take(std::string_view key);
  // The operator and value of "key OP value" for OP in allowed_ops (e.g. {">=", "="}).
  std::optional<ConditionOption> TakeWithOp(std::string_view key, const std::vector<std::string>& allowed_ops);
  // A bare flag: "(complete)". "complete=true"/"complete=false" are accepted too.
  bool TakeFlag(std::string_view key);
  // "timeout=30s": a positive duration.
  std::optional<Millis> TakeDuration(std::string_view key);

  // Throws ConditionError at the target (offset_in_body: 0-based offset inside spec().body).
  [[noreturn]] void FailTarget(const std::string& reason, size_t offset_in_body = 0) const;
  // Throws ConditionError at an option's value.
  [[noreturn]] void FailOption(const ConditionOption& option, const std::string& reason) const;
  // Throws for every option nobody took. Called by the parser after the factory returned.
  void CheckAllTaken() const;

 private:
  const ConditionOption* Find(std::string_view key);
  const ConditionSpec& spec_;
  std::string_view text_;
  std::vector<bool> taken_;
  std::vector<std::string> known_;
};

// Builds a condition of one kind from its spec. Validate everything here (syntax only: no network, no files) and
// call reader.Fail*() for bad input. Return the condition; the parser then handles timeout= and attempt-timeout=.
using ConditionFactory = std::function<std::unique_ptr<Condition>(OptionReader& reader)>;

// Adds (or replaces) a kind. scheme: lower-case letters, digits, '+', '-', '.'; e.g. "job", "rollout".
// summary: one line for `capstan wait --help` and docs ("job:NAME  a Kubernetes Job completed").
void RegisterConditionKind(const std::string& scheme, ConditionFactory factory, std::string summary = {});
// Registered kinds (built-in and added), sorted, with their summaries.
std::vector<std::pair<std::string, std::string>> ConditionKinds();

// Attaches (or replaces) the probe that checks conditions of kind (Condition::kind(): "tcp", "http", "https",
// "dns", "file", "postgres", "job", "rollout", ...). Conditions parsed before the call use it too.
void AttachProbe(const std::string& kind, ProbeFactory factory);
// Whether a probe is attached for kind.
bool HasProbe(const std::string& kind);

// Parses the syntax only (no kind validation). Throws ConditionError.
std::vector<ConditionSpec> ParseSpecs(std::string_view text);
// Parses and validates a list (an annotation value, or one `capstan wait` argument). An empty or all-blank text
// gives an empty list. Throws ConditionError (exit 2) naming the condition, line/column and what is expected.
ConditionList ParseConditionList(std::string_view text);
// Exactly one condition; a second one is an error.
std::unique_ptr<Condition> ParseCondition(std::string_view text);
// The canonical argv elements, one per condition.
std::vector<std::string> ToArgs(const ConditionList& conditions);
// The canonical list as one annotation value: ToArg()s joined by ", ".
std::string ToListString(const ConditionList& conditions);

// Command line of an injected init container, after the binary: {"wait", "--timeout", "5m", "--", <ToArg>...}.
struct WaitCommandOptions {
  Millis timeout{std::chrono::minutes(5)};
  std::optional<Millis> initial_interval;  // omitted when unset: the command's default applies
  std::optional<Millis> max_interval;
};
std::vector<std::string> WaitArgv(const ConditionList& conditions, const WaitCommandOptions& options = {});

// Formats a value for the canonical form: bare when it has no special character, else single-quoted with
// backslash escapes. Exposed for kinds whose targets or options are built in code.
std::string FormatValue(std::string_view value);
// Writes a duration exactly, in the largest units that divide it: 300000ms -> "5m", 90000 -> "1m30s", 1500 ->
// "1500ms". ParseDuration() reads it back to the same value.
std::string FormatDurationExact(Millis d);

}  // namespace capstan::wait
