#!/usr/bin/env bash
# Runs the whole test suite: builds the release (static) binaries, an AddressSanitizer+UBSan build and the
# libFuzzer targets; starts the real PostgreSQL test server; runs every test (real Helm 3.17.3 and 4.1.4 included)
# in both builds, and a bounded run of each fuzz target. It runs scripts/setup.sh first (idempotent: quick when
# everything is installed), so it works on a fresh machine.
# Then linux/arm64 (scripts/setup-cross.sh): the static binaries and a set of unit tests cross-built with Debian's
# toolchain and run under qemu-user-static, a smoke run of both binaries against the amd64 ones, and the OCI images
# (scripts/build-images.sh: reproducible, skopeo/umoci, run like a Kubernetes Job); ARM64_TESTS lists the unit test
# folders run there (the rest of the suite runs on amd64 only: CI time).
# Options: --quick (release build only), --no-arm64, --no-setup, -R REGEX / -L LABEL passed to ctest.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
QUICK=0; SETUP=1; ARM64=1; CTEST_ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --no-setup) SETUP=0 ;;
    --no-arm64) ARM64=0 ;;
    -R|-L|-E|-LE) CTEST_ARGS+=("$1" "$2"); shift ;;
    *) echo "usage: scripts/test.sh [--quick] [--no-arm64] [--no-setup] [-R regex] [-L label]" >&2; exit 2 ;;
  esac
  shift
done
JOBS=${JOBS:-$(nproc)}
FUZZ_SECONDS=${FUZZ_SECONDS:-20}
FUZZ_SEED=${FUZZ_SEED:-1}  # a fixed seed makes the bounded fuzz runs reproducible; set FUZZ_SEED=0 for a random one
export LSAN_OPTIONS="suppressions=$ROOT/fuzz/lsan.supp:print_suppressions=0"

build() { # dir, target, cmake args...
  local dir=$1 target=$2; shift 2
  cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
  cmake --build "$dir" -j"$JOBS" --target "$target"
}

# CI time: the cold arm64 build is most of this step (measured: docs in README.md, "Testing"); unit_postrender
# alone is 13% of it, and tests/build/arm64_smoke_test.sh runs capstan-postrender itself on corpus charts, so it is
# left out by default (ARM64_TESTS="values wait manifest postrender yaml goyaml" runs it: it passes under qemu too).
ARM64_TESTS=${ARM64_TESTS:-values wait manifest yaml goyaml}
[ $SETUP -eq 1 ] && ./scripts/setup.sh
[ $SETUP -eq 1 ] && [ $ARM64 -eq 1 ] && ./scripts/setup-cross.sh
echo "== release build (static)"
build build all -DCMAKE_BUILD_TYPE=Release
if [ $QUICK -eq 0 ]; then
  echo "== AddressSanitizer + UndefinedBehaviorSanitizer build"
  build build-asan all -DCMAKE_BUILD_TYPE=Debug -DCAPSTAN_SANITIZE=ON -DCMAKE_CXX_FLAGS="-O1"
  echo "== libFuzzer targets (clang)"
  CC=clang CXX=clang++ build build-fuzz capstan_fuzzers -DCMAKE_BUILD_TYPE=Debug -DCAPSTAN_FUZZ=ON -DCAPSTAN_SANITIZE=ON \
    -DCAPSTAN_TESTS=OFF -DCMAKE_CXX_FLAGS="-O1"
fi

tests/harness/pg.sh start
trap 'tests/harness/pg.sh stop' EXIT

status=0
FAILED=()  # what failed, repeated at the very end: CI shows the tail of a long log
failed_tests() { # build dir, step name
  local log="$1/Testing/Temporary/LastTestsFailed.log"
  if [ -s "$log" ]; then while IFS= read -r t; do FAILED+=("$2: test $t"); done < "$log"; else FAILED+=("$2"); fi
}
if [ $QUICK -eq 0 ]; then
  echo "== fuzz targets, ${FUZZ_SECONDS}s each"
  for f in build-fuzz/*_fuzz; do
    [ -x "$f" ] || continue
    name=$(basename "$f"); corpus="build-fuzz/corpus/$name"; mkdir -p "$corpus"
    seeds="fuzz/seeds/${name%_fuzz}"
    args=("$corpus"); [ -d "$seeds" ] && args+=("$seeds")
    if "$f" -seed="$FUZZ_SEED" -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 -timeout=10 -print_final_stats=0 "${args[@]}" \
         > "build-fuzz/$name.log" 2>&1; then
      echo "fuzz $name: ok ($(grep -c . "build-fuzz/$name.log") log lines)"
    else
      echo "fuzz $name: FAILED"; tail -40 "build-fuzz/$name.log"; status=1
      FAILED+=("fuzz $name: $(grep -m1 -E 'ERROR|SUMMARY|Test unit written' "build-fuzz/$name.log" || echo 'see its log above')")
    fi
  done
  echo "== tests, AddressSanitizer + UBSan build"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j"$JOBS" -LE bench "${CTEST_ARGS[@]}" ||
    { status=1; failed_tests build-asan "ASan+UBSan build"; }
fi
echo "== tests, release build"
ctest --test-dir build --output-on-failure -j"$JOBS" "${CTEST_ARGS[@]}" || { status=1; failed_tests build "release build"; }
if [ $ARM64 -eq 1 ]; then
  echo "== linux/arm64: cross build, unit tests under qemu-user-static (${ARM64_TESTS}), smoke run, OCI images"
  arm64_start=$(date +%s)
  targets=(capstan capstan-postrender); for t in $ARM64_TESTS; do targets+=("unit_$t"); done
  cmake -S . -B build-arm64 -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_TOOLCHAIN_FILE="$ROOT/cmake/toolchain-aarch64-linux-gnu.cmake" >/dev/null
  if cmake --build build-arm64 -j"$JOBS" --target "${targets[@]}"; then
    ctest --test-dir build-arm64 --output-on-failure -j"$JOBS" -R "^($(echo $ARM64_TESTS | tr ' ' '|'))/unit:" ||
      { status=1; failed_tests build-arm64 "arm64 (qemu)"; }
    bash tests/build/arm64_smoke_test.sh build build-arm64 || { status=1; FAILED+=("arm64 smoke run (qemu)"); }
    bash tests/build/images_test.sh build build-arm64 || { status=1; FAILED+=("OCI images"); }
  else
    status=1; FAILED+=("arm64 cross build")
  fi
  echo "linux/arm64 and images: $(( $(date +%s) - arm64_start ))s"
fi
if [ $status -ne 0 ]; then
  echo "== FAILED (${#FAILED[@]}):"
  printf '  %s\n' "${FAILED[@]}"
else
  echo "== all passed"
fi
exit $status
