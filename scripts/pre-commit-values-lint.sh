#!/usr/bin/env bash
# The pre-commit hook `capstan-values-lint` (.pre-commit-hooks.yaml): lints each staged values file against a chart.
#   pre-commit-values-lint.sh --chart CHART [capstan values lint options...] [--] FILE...
# pre-commit appends the staged files after the hook's `args`. Each FILE is linted as its own combination
# (`--matrix FILE`) on top of the `-f` files given in args, so two environment files never mask each other; the
# files given with -f in args are not linted twice. Needs capstan on PATH, or CAPSTAN=/path/to/capstan.
# Exit status: capstan's (0 clean, 1 findings, 2 usage).
set -euo pipefail
usage() { echo "capstan-values-lint: $*" >&2; echo "usage: pre-commit-values-lint.sh --chart CHART [lint options] [--] FILE..." >&2; exit 2; }

capstan=${CAPSTAN:-capstan}
command -v "$capstan" >/dev/null 2>&1 ||
  usage "'$capstan' not found: put capstan on PATH (docs/values-lint.md, 'In pull requests') or set CAPSTAN=/path/to/capstan"

chart=""; opts=(); base=(); files=()
while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; files+=("$@"); break ;;
    --chart) [ $# -ge 2 ] || usage "--chart needs a value"; chart=$2; shift ;;
    --chart=*) chart=${1#--chart=} ;;
    -f|--values) [ $# -ge 2 ] || usage "$1 needs a value"; opts+=(-f "$2"); base+=("$2"); shift ;;
    --values=*) opts+=(-f "${1#--values=}"); base+=("${1#--values=}") ;;
    -o|--output) usage "the hook prints text; -o is not for it" ;;
    --set|--set-string|--set-json|--set-file|--set-literal|--schema|--matrix|--helm)
      [ $# -ge 2 ] || usage "$1 needs a value"; opts+=("$1" "$2"); shift ;;
    -*) opts+=("$1") ;;  # --strict, and --flag=value forms
    *) files+=("$1") ;;
  esac
  shift
done
[ -n "$chart" ] || usage "no chart: give the hook args: [--chart, path/to/chart]"

matrix=(); single=()
for f in "${files[@]}"; do
  for b in "${base[@]}"; do [ "$f" = "$b" ] && continue 2; done
  case "$f" in
    *+*) single+=("$f") ;;  # --matrix joins files with '+': lint such a name on its own
    *) matrix+=(--matrix "$f") ;;
  esac
done
if [ ${#matrix[@]} -eq 0 ] && [ ${#single[@]} -eq 0 ]; then
  [ ${#base[@]} -gt 0 ] || exit 0  # nothing staged that this hook lints
fi

status=0
run() { "$capstan" values lint "$chart" "${opts[@]}" "$@" || { rc=$?; [ $rc -gt $status ] && status=$rc; }; }
if [ ${#matrix[@]} -gt 0 ] || [ ${#single[@]} -eq 0 ]; then run "${matrix[@]}"; fi
for f in "${single[@]}"; do run -f "$f"; done
exit $status
