#include "wait/flags.h"

#include "wait/condition.h"

namespace capstan::wait {

std::string KindsHelp() {
  std::string out = "\nCondition kinds (KIND:TARGET (option=value, ...); every kind also takes timeout= and "
                    "attempt-timeout=):\n";
  for (const auto& [scheme, summary] : wait::ConditionKinds()) out += "  " + (summary.empty() ? scheme : summary) + "\n";
  return out;
}

void AddWaitFlags(CLI::App& sub, wait::WaitCommand& cmd) {
  sub.add_option("--timeout", cmd.timeout, "Give up after this long (exit 1)")->envname("CAPSTAN_TIMEOUT")
      ->capture_default_str();
  sub.add_option("--initial-interval", cmd.initial_interval, "First delay between attempts (doubles, jittered)")
      ->capture_default_str();
  sub.add_option("--max-interval", cmd.max_interval, "Longest delay between attempts")->capture_default_str();
  sub.add_option("--attempt-timeout", cmd.attempt_timeout, "Bound of one attempt (connect, read, resolve)")
      ->capture_default_str();
  sub.add_option("--marker-dir", cmd.marker_dir, "Ordered start: directory on the volume all pods share")
      ->envname("CAPSTAN_MARKER_DIR");
  sub.add_option("--digest", cmd.digest, "Ordered start: the current configuration digest")
      ->envname("CAPSTAN_DIGEST");
  sub.add_option("--pod-name", cmd.pod_name, "Ordered start: this pod's name, <statefulset>-<ordinal>")
      ->envname("CAPSTAN_POD_NAME");
}

}  // namespace capstan::wait
