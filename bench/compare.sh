#!/usr/bin/env bash
# End-to-end throughput of `trailwatch scan` as a ratio to plain decompression of the same files, measured in
# one invocation, alternating, several rounds; prints medians. Machines here are small and noisy: read the
# ratios, not the seconds.
#
# Usage: bench/compare.sh [--size 1G] [--rounds 5] [--binary build/trailwatch] [--corpus DIR] [--keep]
#   --size     uncompressed size of the generated corpus (tools/gen_archive.py --target-bytes)
#   --corpus   use (or create and keep) this corpus directory instead of a temporary one
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
size=1G
rounds=5
binary=$here/build/trailwatch
corpus=""
keep=0
while [ $# -gt 0 ]; do
  case $1 in
    --size) size=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    --corpus) corpus=$2; keep=1; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "unknown option $1" >&2; exit 64 ;;
  esac
done
[ -x "$binary" ] || { echo "no binary at $binary (build first)" >&2; exit 1; }
work=$(mktemp -d)
[ -n "$corpus" ] || corpus=$work/corpus
cleanup() { rm -rf "$work"; [ "$keep" = 1 ] || rm -rf "$corpus" "$corpus.truth.json"; }
trap cleanup EXIT

if [ ! -d "$corpus/AWSLogs" ]; then
  echo "generating a $size corpus in $corpus ..." >&2
  python3 "$here/tools/gen_archive.py" --out "$corpus" --target-bytes "$size" --seed 42 --quiet
fi
find "$corpus" -name '*.json.gz' -print0 | sort -z > "$work/files"
compressed=$(xargs -0 cat < "$work/files" | wc -c)
inflated=$(xargs -0 cat < "$work/files" | gzip -dc | wc -c)

# Same answer first: a fast wrong tool is no benchmark.
"$binary" scan --format json --no-progress "$corpus" > "$work/report.json"
python3 - "$work/report.json" "$corpus.truth.json" <<'PY'
import json, sys
report, truth = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
rule = report["rules"][0]
got = (report["input"]["records"], rule["matched_events"],
       [(p["timestamp"], p["value"]) for p in rule["series"][0]["datapoints"]])
want = (truth["total_records"], truth["matched_events"], [(p["timestamp"], p["value"]) for p in truth["datapoints"]])
if got != want:
    sys.exit("trailwatch's answer differs from the ground truth: no figures printed")
PY

seconds() {  # prints the wall time of "$@" in seconds
  local t0 t1
  t0=$(date +%s.%N)
  "$@" > /dev/null
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }'
}
gzip_dc() { xargs -0 cat < "$work/files" | gzip -dc; }
tw1() { "$binary" scan --no-progress --threads 1 --format json "$corpus"; }
twn() { "$binary" scan --no-progress --format json "$corpus"; }

declare -A times
for ((r = 1; r <= rounds; r++)); do
  for sys in gzip_dc tw1 twn; do times[$sys]+="$(seconds $sys) "; done
done
calc() { awk "BEGIN { print $1 }"; }
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
g=$(median <<< "${times[gzip_dc]}")
printf 'corpus: %s files, %.1f MiB compressed, %.1f MiB inflated; %s rounds, median seconds; %s cores\n' \
  "$(tr -cd '\0' < "$work/files" | wc -c)" "$(calc "$compressed/1048576")" "$(calc "$inflated/1048576")" \
  "$rounds" "$(nproc)"
printf '%-36s %8s %10s %16s\n' system seconds "MiB/s" "speed vs gzip -dc"
for sys in gzip_dc tw1 twn; do
  m=$(median <<< "${times[$sys]}")
  label=$sys
  [ $sys = gzip_dc ] && label="gzip -dc (1 core)"
  [ $sys = tw1 ] && label="trailwatch scan --threads 1"
  [ $sys = twn ] && label="trailwatch scan ($(nproc) threads)"
  printf '%-36s %8.2f %10.0f %16.2f\n' "$label" "$m" "$(calc "$inflated/1048576/$m")" "$(calc "$g/$m")"
done
