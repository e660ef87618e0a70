// The post-renderer's writer: the last step of the pipeline. It passes the output to a sink in large pieces
// (small pieces are buffered, pieces of a chunk or more go through without a copy, so the untouched spans of the
// input are written straight from it), and ends the stream: Helm 4 refuses an empty post-renderer output, so a
// release that renders nothing but whitespace gets one comment line saying so.
#pragma once
#include <functional>
#include <string>
#include <string_view>

namespace capstan::postrender {

inline constexpr std::string_view kNoResourcesLine = "# capstan-postrender: the release renders no resources\n";

class Writer {
 public:
  using Sink = std::function<void(std::string_view)>;
  explicit Writer(Sink sink, size_t chunk = size_t{1} << 20) : sink_(std::move(sink)), chunk_(chunk) {}
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void Write(std::string_view piece);
  // Writes the "renders no resources" line when nothing but whitespace was written, then flushes. Call once, when
  // everything succeeded (a run that fails writes nothing: pieces stay buffered only up to one chunk, so the
  // pipeline writes only after every check passed).
  void Finish();
  bool wrote_content() const { return content_; }

 private:
  void Flush();

  Sink sink_;
  size_t chunk_;
  std::string buf_;
  bool content_ = false;
};

}  // namespace capstan::postrender
