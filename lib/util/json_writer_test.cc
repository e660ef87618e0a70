// JsonWriter: the same bytes as rapidjson's Writer / PrettyWriter for the same calls.
#include <catch2/catch.hpp>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "util/json_writer.h"

using capstan::JsonWriter;

namespace {

// One document written through any writer with rapidjson's method names.
template <typename W>
void Sample(W& w) {
  w.StartObject();
  w.Key("name");
  w.String("web \"quoted\" \xc3\xa9\n");
  w.Key("count");
  w.Uint64(3);
  w.Key("delta");
  w.Int64(-2);
  w.Key("ok");
  w.Bool(true);
  w.Key("nothing");
  w.Null();
  w.Key("items");
  w.StartArray();
  w.String("a");
  w.StartObject();
  w.EndObject();
  w.StartArray();
  w.EndArray();
  w.EndArray();
  w.EndObject();
}

void SampleOurs(JsonWriter& w) {
  w.StartObject()
      .Field("name", "web \"quoted\" \xc3\xa9\n")
      .Field("count", uint64_t{3})
      .Field("delta", int64_t{-2})
      .Field("ok", true)
      .Key("nothing")
      .Null()
      .FieldIfSet("absent", "")
      .StartArray("items")
      .String("a")
      .StartObject()
      .EndObject()
      .StartArray()
      .EndArray()
      .EndArray()
      .EndObject();
}

}  // namespace

TEST_CASE("json writer: compact output is rapidjson::Writer's, byte for byte") {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  Sample(w);
  JsonWriter ours;
  SampleOurs(ours);
  CHECK(ours.str() == std::string(sb.GetString(), sb.GetSize()));
  CHECK(ours.str() ==
        "{\"name\":\"web \\\"quoted\\\" \xc3\xa9\\n\",\"count\":3,\"delta\":-2,\"ok\":true,\"nothing\":null,"
        "\"items\":[\"a\",{},[]]}");
}

TEST_CASE("json writer: pretty output is rapidjson::PrettyWriter's with the same indent") {
  for (unsigned indent : {2u, 4u}) {
    rapidjson::StringBuffer sb;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(sb);
    w.SetIndent(' ', indent);
    Sample(w);
    JsonWriter ours(indent);
    SampleOurs(ours);
    CHECK(ours.str() == std::string(sb.GetString(), sb.GetSize()));
  }
}
