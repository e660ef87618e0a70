#include "postrender/writer.h"

namespace capstan::postrender {

void Writer::Write(std::string_view piece) {
  if (piece.empty()) return;
  if (!content_ && piece.find_first_not_of(" \n\r\t") != std::string_view::npos) content_ = true;
  if (buf_.size() + piece.size() > chunk_) Flush();
  if (piece.size() >= chunk_) {
    sink_(piece);
  } else {
    buf_.append(piece);
  }
}

void Writer::Flush() {
  if (!buf_.empty()) sink_(buf_);
  buf_.clear();
}

void Writer::Finish() {
  if (!content_) Write(kNoResourcesLine);
  Flush();
}

}  // namespace capstan::postrender
