#include "wait/ordered_start.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "util/file_io.h"
#include "util/strings.h"
#include "wait/syntax.h"

namespace capstan::wait {

PodIdentity ParsePodName(const std::string& pod_name) {
  size_t dash = pod_name.rfind('-');
  auto bad = [&](const std::string& why) {
    return UsageError("pod name " + Quote(pod_name) + " " + why +
                      ": ordered start needs a StatefulSet pod name such as portal-0 "
                      "(pass it with --pod-name or CAPSTAN_POD_NAME from the downward API: metadata.name)");
  };
  if (pod_name.empty()) throw bad("is empty");
  if (dash == std::string::npos || dash == 0 || dash + 1 == pod_name.size()) throw bad("has no -ORDINAL suffix");
  std::string digits = pod_name.substr(dash + 1);
  if (digits.size() > 9 || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    throw bad("does not end in -ORDINAL");
  if (digits.size() > 1 && digits[0] == '0') throw bad("has an ordinal with a leading zero");
  PodIdentity id;
  id.set = pod_name.substr(0, dash);
  id.ordinal = std::stoi(digits);
  for (unsigned char c : id.set)
    if (!(std::islower(c) || std::isdigit(c) || c == '-' || c == '.')) throw bad("is not a Kubernetes object name");
  return id;
}

void ValidateDigest(const std::string& digest) {
  if (digest.empty())
    throw UsageError("the configuration digest is empty: pass --digest or CAPSTAN_DIGEST (the post-renderer's "
                     "capstan.dev/ordered-start-digest annotation through the downward API, which it writes on every "
                     "StatefulSet it injects ordered start into)");
  if (digest.size() > 256) throw UsageError("the configuration digest is longer than 256 characters");
  for (unsigned char c : digest)
    if (!(std::isalnum(c) || c == '.' || c == '_' || c == ':' || c == '+' || c == '/' || c == '=' || c == '-'))
      throw UsageError("the configuration digest " + Quote(digest) +
                       " has a character outside [A-Za-z0-9._:+/=-]");
}

std::string MarkerDigest(const std::string& template_digest, const std::string& config_digest, bool consumes_config) {
  return consumes_config ? template_digest + "+" + config_digest : template_digest;
}

std::string MarkerPath(const std::string& marker_dir, const std::string& set) {
  std::string dir = marker_dir;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir + "/" + set + ".ready";
}

std::unique_ptr<Condition> MarkerCondition(const std::string& marker_dir, const std::string& set,
                                           const std::string& digest) {
  ValidateDigest(digest);
  if (marker_dir.empty() || marker_dir[0] != '/')
    throw UsageError("--marker-dir " + Quote(marker_dir) + " must be an absolute path on the shared volume");
  return ParseCondition("file:" + detail::PercentEncode(MarkerPath(marker_dir, set)) +
                        " (content=" + FormatValue(digest) + ")");
}

void WriteMarker(const std::string& marker_dir, const std::string& set, const std::string& digest) {
  ValidateDigest(digest);
  if (marker_dir.empty() || marker_dir[0] != '/')
    throw UsageError("--marker-dir " + Quote(marker_dir) + " must be an absolute path on the shared volume");
  std::error_code ec;
  std::filesystem::create_directories(marker_dir, ec);
  if (ec)
    throw Error("cannot create the marker directory " + marker_dir + ": " + ec.message() +
                " (is the shared volume mounted read-write at this path?)");
  WriteFileAtomic(MarkerPath(marker_dir, set), digest + "\n", 0644);
}

std::string MarkerMismatch(const std::string& marker_dir, const std::string& set, const std::string& digest) {
  ValidateDigest(digest);
  if (marker_dir.empty() || marker_dir[0] != '/')
    throw UsageError("--marker-dir " + Quote(marker_dir) + " must be an absolute path on the shared volume");
  std::string path = MarkerPath(marker_dir, set);
  if (!std::filesystem::exists(path)) return "the marker " + path + " is not written yet (pod 0 is initialising)";
  std::string content;
  try {
    content = ReadFile(path, 4096);
  } catch (const Error& e) {
    return std::string("cannot read the marker: ") + e.what();
  }
  std::string_view got = Trim(content);
  if (got == digest) return "";
  if (got.empty()) return "the marker " + path + " is empty (pod 0 is initialising)";
  std::string shown(got.substr(0, 80));
  return "the marker " + path + " holds " + Quote(shown) + (got.size() > 80 ? "..." : "") + ", not this pod's digest " +
         Quote(digest) + " (pod 0 is initialising for the current configuration)";
}

}  // namespace capstan::wait
