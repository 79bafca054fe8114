#!/usr/bin/env bash
# Fails if any function of the binary outside the AVX2 record kernel uses AVX registers. Such a function would
# crash with SIGILL on a CPU without AVX2: it means the linker kept an AVX2-compiled copy of an inline function
# shared with portable code (see src/records/record_kernel_haswell.cpp).
# Usage: tools/check_avx2_isolation.sh path/to/trailwatch
set -euo pipefail
binary=${1:?usage: $0 BINARY}
command -v objdump >/dev/null || { echo "objdump not found (binutils)"; exit 2; }
[[ -f $binary ]] || { echo "no such binary: $binary"; exit 2; }
objdump -d --no-show-raw-insn -C "$binary" | awk '
  /^[0-9a-f]+ <.*>:$/ { fn = $0; sub(/^[0-9a-f]+ </, "", fn); sub(/>:$/, "", fn); next }
  /%ymm|%zmm/ {
    if (fn ~ /kernel_haswell|simdjson::haswell|simdjson::icelake/) next
    if (!(fn in bad)) { bad[fn] = 1; n++; print "AVX outside the AVX2 kernel: " fn }
  }
  END { if (n > 0) { print n " function(s) would crash on a CPU without AVX2"; exit 1 } print "ok: AVX2 code only in the AVX2 kernel" }'
