#include "util/json_writer.h"

#include <optional>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace capstan {

struct JsonWriter::Impl {
  rapidjson::StringBuffer buffer;
  std::optional<rapidjson::Writer<rapidjson::StringBuffer>> compact;
  std::optional<rapidjson::PrettyWriter<rapidjson::StringBuffer>> pretty;
  template <typename F>
  void Do(F&& f) {
    if (pretty) f(*pretty);
    else f(*compact);
  }
};

JsonWriter::JsonWriter(unsigned indent) : impl_(std::make_unique<Impl>()) {
  if (indent == 0) {
    impl_->compact.emplace(impl_->buffer);
  } else {
    impl_->pretty.emplace(impl_->buffer);
    impl_->pretty->SetIndent(' ', indent);
  }
}

JsonWriter::~JsonWriter() = default;

namespace {
rapidjson::SizeType Size(std::string_view s) { return static_cast<rapidjson::SizeType>(s.size()); }
}  // namespace

JsonWriter& JsonWriter::Key(std::string_view key) {
  impl_->Do([&](auto& w) { w.Key(key.data(), Size(key)); });
  return *this;
}
JsonWriter& JsonWriter::String(std::string_view value) {
  impl_->Do([&](auto& w) { w.String(value.data(), Size(value)); });
  return *this;
}
JsonWriter& JsonWriter::Bool(bool value) {
  impl_->Do([&](auto& w) { w.Bool(value); });
  return *this;
}
JsonWriter& JsonWriter::Int(int64_t value) {
  impl_->Do([&](auto& w) { w.Int64(value); });
  return *this;
}
JsonWriter& JsonWriter::Uint(uint64_t value) {
  impl_->Do([&](auto& w) { w.Uint64(value); });
  return *this;
}
JsonWriter& JsonWriter::Double(double value) {
  impl_->Do([&](auto& w) { w.Double(value); });
  return *this;
}
JsonWriter& JsonWriter::Null() {
  impl_->Do([&](auto& w) { w.Null(); });
  return *this;
}
JsonWriter& JsonWriter::StartObject() {
  impl_->Do([&](auto& w) { w.StartObject(); });
  return *this;
}
JsonWriter& JsonWriter::EndObject() {
  impl_->Do([&](auto& w) { w.EndObject(); });
  return *this;
}
JsonWriter& JsonWriter::StartArray() {
  impl_->Do([&](auto& w) { w.StartArray(); });
  return *this;
}
JsonWriter& JsonWriter::EndArray() {
  impl_->Do([&](auto& w) { w.EndArray(); });
  return *this;
}

std::string JsonWriter::str() const { return std::string(impl_->buffer.GetString(), impl_->buffer.GetSize()); }

}  // namespace capstan
