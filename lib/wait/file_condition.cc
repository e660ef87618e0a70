// file:/PATH holds when PATH exists (and is not a directory); with (content=TEXT), when its content, without
// leading and trailing whitespace, equals TEXT. The ordered start of StatefulSets uses it to wait for pod 0's
// marker carrying the current configuration digest (see ordered_start.h). The path is percent-decoded.
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "util/strings.h"
#include "wait/kinds.h"
#include "wait/syntax.h"

namespace capstan::wait::detail {
namespace {

constexpr size_t kMaxContent = 1 << 20;

std::string Preview(std::string_view s) {
  constexpr size_t kShow = 16;
  return s.size() <= kShow ? Quote(s) : Quote(s.substr(0, kShow)) + "...";
}

class FileCondition : public Condition {
 public:
  FileCondition(std::string path, std::optional<std::string> content)
      : Condition("file", "file:" + PercentEncode(path)), path_(std::move(path)), content_(std::move(content)) {
    if (content_) AddCanonicalOption("content", "=", *content_);
  }

  AttemptResult Check(const AttemptContext&) override {
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

ConditionFactory FileFactory() {
  return [](OptionReader& reader) -> std::unique_ptr<Condition> {
    std::string_view body = reader.spec().body;
    size_t skip = 0;
    if (StartsWith(body, "///")) skip = 2;  // file:///path is file:/path
    else if (StartsWith(body, "//")) reader.FailTarget("file: takes a local path: write file:/PATH or file:///PATH", 0);
    std::string path;
    size_t bad = 0;
    if (!PercentDecode(body.substr(skip), path, bad)) reader.FailTarget("'%' must start a %XX escape", skip + bad);
    if (path.empty()) reader.FailTarget("missing path: write file:/PATH", skip);
    if (path[0] != '/') reader.FailTarget("the path must be absolute: file:/" + std::string(body.substr(skip)), skip);
    if (path.find('\0') != std::string::npos) reader.FailTarget("a path cannot contain %00", skip);
    if (path.size() > 4096) reader.FailTarget("path longer than 4096 bytes", skip);
    std::optional<std::string> content;
    if (auto v = reader.Take("content")) {
      if (Trim(*v).size() != v->size() || v->empty())
        reader.FailTarget("content= must be non-empty without leading or trailing whitespace "
                          "(the file's content is compared without them)");
      content = *v;
    }
    return std::make_unique<FileCondition>(std::move(path), std::move(content));
  };
}

}  // namespace capstan::wait::detail
