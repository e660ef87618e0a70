// Benchmark driver for bench/jsonschema/run.sh (not part of the build): compiles SCHEMA once (meta-schema check
// included), then validates VALUES N times; prints CPU milliseconds per operation.
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include <rapidjson/document.h>

#include "jsonschema/validator.h"
#include "util/file_io.h"

namespace js = capstan::jsonschema;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_validate SCHEMA VALUES [N]\n");
    return 2;
  }
  int n = argc > 3 ? std::atoi(argv[3]) : 50;
  rapidjson::Document s, v;
  s.Parse(capstan::ReadFile(argv[1]).c_str());
  v.Parse(capstan::ReadFile(argv[2]).c_str());
  std::clock_t c0 = std::clock();
  js::Schema schema = js::Schema::Compile(s, "file:///schema.json", js::Registry());
  std::clock_t c1 = std::clock();
  size_t errors = 0;
  for (int i = 0; i < n; ++i) errors += schema.Validate(v).size();
  std::clock_t c2 = std::clock();
  auto ms = [](std::clock_t a, std::clock_t b) { return 1000.0 * static_cast<double>(b - a) / CLOCKS_PER_SEC; };
  std::printf("compile_ms %.3f\nvalidate_ms %.3f\nerrors %zu\n", ms(c0, c1), ms(c1, c2) / n, errors / n);
  return 0;
}
