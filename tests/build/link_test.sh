#!/usr/bin/env bash
# What each binary links (issue 11): capstan-postrender must hold no libpq (PQ* functions), no HTTP client
# (httplib::) and no Kubernetes client (capstan::kube::); capstan must hold all three (which also shows that the
# symbol patterns below do match what they look for). Prints both binaries' sizes. Run by ctest (label unit):
#   tests/build/link_test.sh build/capstan-postrender build/capstan
set -uo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 CAPSTAN-POSTRENDER CAPSTAN" >&2
  exit 2
fi
postrender=$1 capstan=$2
for b in "$postrender" "$capstan"; do
  [ -x "$b" ] || { echo "FAIL: $b is missing or not executable: build it first (cmake --build build)" >&2; exit 1; }
done
command -v nm >/dev/null || { echo "FAIL: nm (binutils) is not installed" >&2; exit 1; }

# name|pattern (grep -E on `nm -C` lines: type letter, space, demangled name)
checks=("libpq|^[^ ]* +[TtWw] PQ[a-zA-Z]+$" "httplib|[A-Za-z] .*httplib::" "Kubernetes client|[A-Za-z] .*capstan::kube::")
status=0
count() { # binary pattern
  nm -C "$1" 2>/dev/null | grep -cE "$2"
}
for c in "${checks[@]}"; do
  name=${c%%|*} pattern=${c#*|}
  n=$(count "$postrender" "$pattern")
  if [ "$n" -ne 0 ]; then
    echo "FAIL: capstan-postrender links the $name ($n symbols), e.g.:" >&2
    nm -C "$postrender" | grep -E "$pattern" | head -5 >&2
    echo "  find the layer break with: nm -C $postrender | grep -E '$pattern'" >&2
    status=1
  else
    echo "ok: capstan-postrender links no $name"
  fi
  n=$(count "$capstan" "$pattern")
  if [ "$n" -eq 0 ]; then
    echo "FAIL: capstan links no $name symbols (pattern '$pattern'): is the binary stripped, or the pattern wrong?" >&2
    status=1
  else
    echo "ok: capstan links the $name ($n symbols)"
  fi
done
for b in "$postrender" "$capstan"; do
  echo "size: $(basename "$b") $(stat -c %s "$b") bytes"
done
exit $status
