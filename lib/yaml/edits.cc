#include "yaml/edits.h"

#include <algorithm>

#include "util/error.h"

namespace capstan::yaml {

void Edits::Replace(size_t begin, size_t end, std::string text) {
  edits_.push_back({begin, end, std::move(text), edits_.size()});
}

void Edits::Append(Edits&& other) {
  for (auto& e : other.edits_) Replace(e.begin, e.end, std::move(e.text));
  other.edits_.clear();
}

std::vector<const Edits::Edit*> Edits::Ordered() const {
  std::vector<const Edit*> order;
  order.reserve(edits_.size());
  for (const auto& e : edits_) order.push_back(&e);
  std::stable_sort(order.begin(), order.end(), [](const Edit* a, const Edit* b) {
    if (a->begin != b->begin) return a->begin < b->begin;
    return a->seq < b->seq;
  });
  return order;
}

bool Edits::Overlapping() const {
  size_t pos = 0;
  for (const Edit* e : Ordered()) {
    if (e->begin < pos || e->end < e->begin) return true;
    pos = e->end;
  }
  return false;
}

void Edits::Apply(std::string_view original, const std::function<void(std::string_view)>& sink) const {
  size_t pos = 0;
  for (const Edit* e : Ordered()) {
    if (e->begin < pos || e->end < e->begin || e->end > original.size())
      throw Error("internal error: overlapping or out-of-range YAML edits (please report this as a bug)");
    if (e->begin > pos) sink(original.substr(pos, e->begin - pos));
    sink(e->text);
    pos = e->end;
  }
  if (pos < original.size()) sink(original.substr(pos));
}

std::string Edits::Apply(std::string_view original) const {
  std::string out;
  size_t extra = 0;
  for (const auto& e : edits_) extra += e.text.size();
  out.reserve(original.size() + extra);
  Apply(original, [&](std::string_view piece) { out.append(piece); });
  return out;
}

}  // namespace capstan::yaml
