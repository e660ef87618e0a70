// file:/PATH holds when PATH exists (and is not a directory); with (content=TEXT), when its content, without
// leading and trailing whitespace, equals TEXT. The ordered start of StatefulSets uses it to wait for pod 0's
// marker carrying the current configuration digest (see ordered_start.h). The path is percent-decoded. The
// grammar; the probe is lib/probe/file_probe.cc.
#include "util/strings.h"
#include "wait/kinds.h"
#include "wait/syntax.h"

namespace capstan::wait {

FileCondition::FileCondition(std::string path, std::optional<std::string> content)
    : Condition("file", "file:" + detail::PercentEncode(path)), path_(std::move(path)), content_(std::move(content)) {
  if (content_) AddCanonicalOption("content", "=", *content_);
}

namespace detail {

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
    while (StartsWith(path, "//")) path.erase(0, 1);  // "//x" is "/x"
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

}  // namespace detail
}  // namespace capstan::wait
