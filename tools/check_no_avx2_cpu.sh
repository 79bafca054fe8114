#!/usr/bin/env bash
# Runs a scan under qemu-user emulating a CPU without AVX2 (Westmere: SSE4.2 only) and checks that it picks the
# portable kernel and gives the same answer as the native run.
# Usage: tools/check_no_avx2_cpu.sh path/to/trailwatch INPUT...
set -euo pipefail
binary=${1:?usage: $0 BINARY INPUT...}
shift
command -v qemu-x86_64 >/dev/null || { echo "qemu-x86_64 not found (Debian package qemu-user)"; exit 2; }
strip_volatile() { python3 -c '
import json, sys
d = json.load(sys.stdin)
kernel = d["input"].pop("kernel")
for k in ("seconds", "threads"):
    d["input"].pop(k)
print(kernel)
print(json.dumps(d, sort_keys=True))'; }
native=$("$binary" scan --format json --no-progress "$@" | strip_volatile)
emulated=$(qemu-x86_64 -cpu Westmere "$binary" scan --format json --no-progress "$@" | strip_volatile)
[ "$(head -1 <<<"$emulated")" = fallback ] || { echo "expected the fallback kernel under Westmere, got: $(head -1 <<<"$emulated")"; exit 1; }
if [ "$(tail -n +2 <<<"$native")" != "$(tail -n +2 <<<"$emulated")" ]; then
  echo "the scan without AVX2 differs from the native one"; exit 1
fi
echo "ok: without AVX2 the $(head -1 <<<"$native") -> fallback kernel gives the same report"
