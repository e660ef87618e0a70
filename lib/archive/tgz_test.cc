// Reading .tgz charts: gzip (one or several members, corrupt, truncated, too large) and tar entries (regular files,
// ustar prefixes, GNU long names, directories and pax headers skipped, "./" stripped), built here byte by byte.
#include <catch2/catch.hpp>
#include <zlib.h>

#include <cstring>

#include "archive/tgz.h"
#include "util/error.h"

using namespace capstan;

namespace {

std::string Gzip(std::string_view data) {
  z_stream zs{};
  REQUIRE(deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&zs, Z_FINISH) == Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

// One tar header + body (padded to 512 bytes). prefix: the ustar prefix field.
std::string Entry(const std::string& name, std::string_view body, char type = '0', const std::string& prefix = "") {
  std::string h(512, '\0');
  std::memcpy(h.data(), name.data(), std::min<size_t>(name.size(), 100));
  std::snprintf(h.data() + 100, 8, "%07o", 0644);
  char size[13];
  std::snprintf(size, sizeof size, "%011zo", body.size());
  std::memcpy(h.data() + 124, size, 12);
  h[156] = type;
  std::memcpy(h.data() + 257, "ustar\0" "00", 8);
  std::memcpy(h.data() + 345, prefix.data(), std::min<size_t>(prefix.size(), 155));
  std::memset(h.data() + 148, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  std::snprintf(h.data() + 148, 8, "%06o", sum);
  std::string padded(body);
  padded.resize((body.size() + 511) / 512 * 512, '\0');
  return h + padded;
}

std::string End() { return std::string(1024, '\0'); }

}  // namespace

TEST_CASE("Gunzip: one member, several members, and errors naming the archive") {
  CHECK(archive::Gunzip(Gzip("hello"), "a.tgz") == "hello");
  CHECK(archive::Gunzip(Gzip("hello, ") + Gzip("world"), "a.tgz") == "hello, world");
  std::string big(3u << 20, 'x');
  CHECK(archive::Gunzip(Gzip(big), "big.tgz").size() == big.size());
  CHECK_THROWS_WITH(archive::Gunzip(Gzip(big), "big.tgz", 1u << 20), Catch::Contains("big.tgz expands to more than 1 MiB"));
  CHECK_THROWS_WITH(archive::Gunzip("not gzip at all", "x.tgz"), Catch::Contains("x.tgz is not a valid gzip archive"));
  std::string cut = Gzip("some text that is long enough to be cut");
  cut.resize(cut.size() / 2);
  CHECK_THROWS_WITH(archive::Gunzip(cut, "cut.tgz"), Catch::Contains("cut.tgz is truncated"));
}

TEST_CASE("ReadTar: regular files, ustar prefixes and GNU long names, other entries skipped") {
  std::string long_name = "mychart/templates/" + std::string(120, 'n') + ".yaml";
  std::string tar = Entry("mychart/", "", '5') + Entry("./mychart/Chart.yaml", "name: mychart\n") +
                    Entry("values.yaml", "a: 1\n", '0', "mychart") + Entry("pax", "path=x\n", 'x') +
                    Entry("././@LongLink", long_name + std::string(1, '\0'), 'L') +
                    Entry(long_name.substr(0, 100), "kind: Pod\n") + Entry("mychart/link", "", '2') +
                    Entry("mychart/empty", "") + End();
  auto files = archive::ReadTar(tar, "t.tar");
  CHECK(files.size() == 4);
  CHECK(files["mychart/Chart.yaml"] == "name: mychart\n");
  CHECK(files["mychart/values.yaml"] == "a: 1\n");
  CHECK(files[long_name] == "kind: Pod\n");
  CHECK(files.count("mychart/empty") == 1);
  CHECK(files.count("mychart/") == 0);
  CHECK(files.count("mychart/link") == 0);
}

TEST_CASE("ReadTar: an entry running past the end is an error, ReadTgz is Gunzip + ReadTar") {
  std::string tar = Entry("a.txt", std::string(2000, 'a'));
  tar.resize(1024);
  CHECK_THROWS_WITH(archive::ReadTar(tar, "cut.tar"), Catch::Contains("cut.tar is truncated (tar entry a.txt"));
  auto files = archive::ReadTgz(Gzip(Entry("c/Chart.yaml", "name: c\n") + End()), "c.tgz");
  REQUIRE(files.size() == 1);
  CHECK(files.begin()->first == "c/Chart.yaml");
  CHECK(archive::ReadTar("", "empty.tar").empty());
}
