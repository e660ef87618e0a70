// Byte-range edits of a text: inserts and replacements applied in one pass, so everything that is not edited
// stays byte for byte as it was. Used by the post-renderer (edited documents keep their comments, styles and
// key order) and by `capstan values migrate`.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace capstan::yaml {

class Edits {
 public:
  void Insert(size_t offset, std::string text) { Replace(offset, offset, std::move(text)); }
  void Replace(size_t begin, size_t end, std::string text);
  // Moves other's edits after this one's (a later edit at the same offset still comes later).
  void Append(Edits&& other);
  // True when two replacements overlap (Apply would throw).
  bool Overlapping() const;
  bool empty() const { return edits_.empty(); }
  size_t size() const { return edits_.size(); }
  // Writes the edited text piece by piece (original slices and replacement texts) to sink. Throws Error when
  // two replacements overlap or an offset lies outside the text.
  void Apply(std::string_view original, const std::function<void(std::string_view)>& sink) const;
  std::string Apply(std::string_view original) const;

 private:
  struct Edit {
    size_t begin, end;
    std::string text;
    size_t seq;
  };
  std::vector<const Edit*> Ordered() const;
  std::vector<Edit> edits_;
};

}  // namespace capstan::yaml
