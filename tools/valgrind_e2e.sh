#!/usr/bin/env bash
# Runs the end-to-end tests with trailwatch under valgrind memcheck: a second opinion beside ASan+UBSan, on an
# uninstrumented (Release) binary, so it also sees what the libraries do (simdjson, libdeflate, zlib, RE2).
# Slow (tens of times): run it by hand, not in CI.
#
#   tools/valgrind_e2e.sh build/trailwatch                       every tests/e2e/test_*.py
#   tools/valgrind_e2e.sh build/trailwatch test_hostile_inputs   some of them
#
# The tests take any executable as --binary, so this script passes itself: called with TRAILWATCH_UNDER_VALGRIND
# set, it execs valgrind on that binary with its arguments. A memcheck error (or a definite leak) makes the process
# exit 99, which fails the test's exit-code check; every process's valgrind log is kept in the log directory
# printed at the end. TRAILWATCH_E2E_CORPUS_SIZE (default 3M here) and TRAILWATCH_E2E_BIG_RECORD_MB (default 20
# here) shrink the largest inputs to keep the run under an hour. test_interrupt fails here by timing alone: it sends
# SIGINT 0.5 s after the start, before valgrind has started trailwatch and its handler (exit -2, no finding).
set -euo pipefail

if [[ -n "${TRAILWATCH_UNDER_VALGRIND:-}" ]]; then
  exec valgrind --tool=memcheck --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    --show-leak-kinds=definite --num-callers=30 --suppressions="$TRAILWATCH_VALGRIND_LOGS/re2.supp" \
    --log-file="$TRAILWATCH_VALGRIND_LOGS/%p.log" "$TRAILWATCH_UNDER_VALGRIND" "$@"
fi

binary=$(realpath "${1:?usage: $0 path/to/trailwatch [test_name...]}")
shift
command -v valgrind >/dev/null || { echo "valgrind not found (Debian package valgrind)"; exit 2; }
repo=$(cd "$(dirname "$0")/.." && pwd)
self="$repo/tools/valgrind_e2e.sh"
tests=()
if [[ $# -eq 0 ]]; then
  tests=("$repo"/tests/e2e/test_*.py)
else
  for name in "$@"; do tests+=("$repo/tests/e2e/${name%.py}.py"); done
fi

logs=$(mktemp -d /tmp/trailwatch-valgrind.XXXXXX)
# RE2's sparse sets read memory they never initialised, by design (a value there is only trusted once it
# cross-checks), and upstream dropped its valgrind annotations: google/re2 issues 121, 177 and 391. Only
# uninitialised-value reports whose innermost frame is in libre2 are suppressed; leaks and invalid accesses are not.
cat >"$logs/re2.supp" <<'SUPP'
{
   re2-sparse-set-cond
   Memcheck:Cond
   obj:*/libre2.so*
}
{
   re2-sparse-set-value8
   Memcheck:Value8
   obj:*/libre2.so*
}
SUPP
export TRAILWATCH_UNDER_VALGRIND="$binary" TRAILWATCH_VALGRIND_LOGS="$logs"
export TRAILWATCH_E2E_CORPUS_SIZE="${TRAILWATCH_E2E_CORPUS_SIZE:-3M}"
export TRAILWATCH_E2E_BIG_RECORD_MB="${TRAILWATCH_E2E_BIG_RECORD_MB:-20}"
failed=0
for test in "${tests[@]}"; do
  began=$(date +%s)
  if python3 "$test" --binary "$self" --source-dir "$repo" >"$logs/$(basename "$test" .py).out" 2>&1; then
    status=passed
  else
    status=FAILED
    failed=1
  fi
  echo "$(basename "$test"): $status in $(($(date +%s) - began)) s ($(tail -1 "$logs/$(basename "$test" .py).out"))"
done

# A log with an error summary other than "0 errors" names a finding; the test that ran it failed too (exit 99).
findings=$(grep -L "ERROR SUMMARY: 0 errors" "$logs"/*.log 2>/dev/null || true)
echo "valgrind logs: $logs ($(ls "$logs"/*.log 2>/dev/null | wc -l) processes)"
if [[ -n "$findings" ]]; then
  echo "memcheck findings in:"
  echo "$findings"
  exit 1
fi
echo "memcheck: no errors, no definite leaks"
exit "$failed"
