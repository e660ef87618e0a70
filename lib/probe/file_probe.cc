// The file: probe: stats the path (and reads at most 1 MiB of it for content=) on every attempt.
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "probe/probes.h"
#include "util/strings.h"
#include "wait/kinds.h"

namespace capstan::probe {
namespace {

constexpr size_t kMaxContent = 1 << 20;

std::string Preview(std::string_view s) {
  constexpr size_t kShow = 16;
  return s.size() <= kShow ? Quote(s) : Quote(s.substr(0, kShow)) + "...";
}

class FileProbe : public wait::Probe {
 public:
  explicit FileProbe(const wait::FileCondition& c) : path_(c.path()), content_(c.content()) {}

  wait::AttemptResult Check(const wait::AttemptContext&) override {
    using wait::AttemptResult;
    struct stat st {};
    if (::stat(path_.c_str(), &st) != 0) {
      if (errno == ENOENT) return AttemptResult::NotYet(path_ + " does not exist (yet)");
      return AttemptResult::NotYet("cannot stat " + path_ + ": " + std::strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) return AttemptResult::NotYet(path_ + " is a directory, expected a file");
    if (!content_) return AttemptResult::Held(path_ + " exists");
    std::ifstream f(path_, std::ios::binary);
    if (!f) return AttemptResult::NotYet("cannot read " + path_ + ": " + std::strerror(errno));
    std::string data(kMaxContent, '\0');
    f.read(data.data(), static_cast<std::streamsize>(data.size()));
    data.resize(static_cast<size_t>(f.gcount()));
    std::string_view got = Trim(data);
    if (got == *content_) return AttemptResult::Held(path_ + " has the expected content");
    if (got.empty()) return AttemptResult::NotYet(path_ + " is empty, expected " + Preview(*content_));
    return AttemptResult::NotYet(path_ + " holds " + Preview(got) + ", expected " + Preview(*content_) +
                                 " (a stale marker from another configuration?)");
  }

 private:
  std::string path_;
  std::optional<std::string> content_;
};

}  // namespace

wait::ProbeFactory FileProbeFactory() {
  return [](const wait::Condition& c) -> std::unique_ptr<wait::Probe> {
    return std::make_unique<FileProbe>(dynamic_cast<const wait::FileCondition&>(c));
  };
}

}  // namespace capstan::probe
