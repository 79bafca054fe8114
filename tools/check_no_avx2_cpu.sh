#!/usr/bin/env bash
# Runs a scan under qemu-user emulating a CPU without AVX2 (Westmere: SSE4.2 only) and one with AVX2 but without
# AVX-512 (Haswell), and checks that each picks its kernel (portable, AVX2) and gives the native run's answer.
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
for cpu_kernel in Westmere:fallback Haswell:haswell; do
  cpu=${cpu_kernel%%:*}
  kernel=${cpu_kernel#*:}
  emulated=$(qemu-x86_64 -cpu "$cpu" "$binary" scan --format json --no-progress "$@" | strip_volatile)
  [ "$(head -1 <<<"$emulated")" = "$kernel" ] || { echo "expected the $kernel kernel under $cpu, got: $(head -1 <<<"$emulated")"; exit 1; }
  if [ "$(tail -n +2 <<<"$native")" != "$(tail -n +2 <<<"$emulated")" ]; then
    echo "the scan on $cpu differs from the native one"; exit 1
  fi
  echo "ok: on $cpu the $(head -1 <<<"$native") -> $kernel kernel gives the same report"
done
