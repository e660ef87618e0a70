// ReadFile and ReadAllLimited refuse what would hang or exhaust memory: FIFOs (opened without blocking), devices,
// directories and inputs over the size cap, each with a usage error naming the input.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "support/test_support.h"
#include "util/error.h"
#include "util/file_io.h"

using namespace capstan;
using Catch::Matchers::Contains;

namespace {

// The message of the UsageError fn throws ("" when it throws nothing).
template <typename F>
std::string UsageMessage(F fn) {
  try {
    fn();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("ReadFile reads a regular file and follows links to one", "[file_io]") {
  test::TempDir dir;
  std::string file = dir.Write("a.yaml", "a: 1\n");
  std::string link = dir.path() + "/link.yaml";
  REQUIRE(::symlink(file.c_str(), link.c_str()) == 0);
  CHECK(ReadFile(file) == "a: 1\n");
  CHECK(ReadFile(link) == "a: 1\n");
}

TEST_CASE("ReadFile refuses a FIFO without blocking on it", "[file_io]") {
  test::TempDir dir;
  std::string fifo = dir.path() + "/values.yaml";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::string msg = UsageMessage([&] { ReadFile(fifo); });  // no writer: a blocking open would never return
  CHECK_THAT(msg, Contains(fifo) && Contains("named pipe (FIFO)") && Contains("not a regular file"));
  std::string link = dir.path() + "/link.yaml";
  REQUIRE(::symlink(fifo.c_str(), link.c_str()) == 0);
  CHECK_THAT(UsageMessage([&] { ReadFile(link); }), Contains("named pipe (FIFO)"));
}

TEST_CASE("ReadFile refuses devices and directories", "[file_io]") {
  CHECK_THAT(UsageMessage([] { ReadFile("/dev/zero"); }), Contains("/dev/zero") && Contains("character device"));
  test::TempDir dir;
  std::string link = dir.path() + "/zero.yaml";
  REQUIRE(::symlink("/dev/zero", link.c_str()) == 0);
  CHECK_THAT(UsageMessage([&] { ReadFile(link); }), Contains(link) && Contains("character device"));
  CHECK_THAT(UsageMessage([&] { ReadFile(dir.path()); }), Contains("a directory"));
  CHECK_THAT(UsageMessage([&] { ReadFile(dir.path() + "/missing"); }), Contains("No such file"));
}

TEST_CASE("ReadFile refuses a file over the size cap, naming it", "[file_io]") {
  test::TempDir dir;
  std::string file = dir.Write("big.yaml", std::string(1000, 'x'));
  CHECK(ReadFile(file, 1000).size() == 1000);
  CHECK_THAT(UsageMessage([&] { ReadFile(file, 999); }), Contains(file) && Contains("larger than 999 bytes"));
  CHECK(kMaxInputFileBytes == size_t{256} << 20);
}

TEST_CASE("ReadAllLimited stops a stream at the cap", "[file_io]") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::string data(5000, 'y');
  REQUIRE(::write(fds[1], data.data(), data.size()) == static_cast<ssize_t>(data.size()));
  ::close(fds[1]);
  CHECK_THAT(UsageMessage([&] { ReadAllLimited(fds[0], 4096, "standard input"); }),
             Contains("standard input") && Contains("larger than 4096 bytes"));
  ::close(fds[0]);

  int zero = ::open("/dev/zero", O_RDONLY | O_CLOEXEC);  // an endless stream ends at the cap
  REQUIRE(zero >= 0);
  CHECK_THAT(UsageMessage([&] { ReadAllLimited(zero, 1 << 20, "standard input"); }), Contains("larger than 1 MiB"));
  ::close(zero);

  REQUIRE(::pipe(fds) == 0);
  REQUIRE(::write(fds[1], "abc", 3) == 3);
  ::close(fds[1]);
  CHECK(ReadAllLimited(fds[0], 3, "standard input") == "abc");
  ::close(fds[0]);
}
