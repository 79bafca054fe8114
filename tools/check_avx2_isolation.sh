#!/usr/bin/env bash
# Fails if any function of a binary outside the AVX2 record kernel uses an instruction a CPU without AVX2 lacks:
# AVX registers (%ymm, %zmm), any VEX/EVEX-encoded instruction (their mnemonics start with 'v', %xmm operands
# included), BMI or LZCNT. Such a function would crash with SIGILL there (LZCNT would silently compute BSR): it
# means the linker kept an AVX2-compiled copy of an inline function shared with portable code (see
# src/records/kernel_prelude.hpp). Every binary that links the record kernel must be checked: which copy the
# linker keeps depends on each binary's own link line. A binary the kernel's object was not linked into (a
# fuzzer that reads no records) is checked all the same: none of its code may use AVX2.
# Usage: tools/check_avx2_isolation.sh BINARY...
set -euo pipefail
(($# > 0)) || { echo "usage: $0 BINARY..."; exit 2; }
command -v objdump >/dev/null || { echo "objdump not found (binutils)"; exit 2; }
status=0
for binary in "$@"; do
  [[ -f $binary ]] || { echo "no such binary: $binary"; exit 2; }
  objdump -d --no-show-raw-insn -C "$binary" | awk -v binary="$binary" '
    /^[0-9a-f]+ <.*>:$/ { fn = $0; sub(/^[0-9a-f]+ </, "", fn); sub(/>:$/, "", fn); next }
    /:\t(v[a-z0-9]+|andn|bextr|blsi|blsmsk|blsr|lzcnt|bzhi|pdep|pext|mulx|rorx|sarx|shlx|shrx)([ \t]|$)|%ymm|%zmm/ {
      if (fn ~ /kernel_haswell|simdjson::haswell|simdjson::icelake/) { kernel = 1; next }
      if (!(fn in bad)) { bad[fn] = 1; n++; print binary ": AVX2-era instruction outside the AVX2 kernel: " fn }
    }
    END {
      if (n > 0) { print binary ": " n " function(s) would crash on a CPU without AVX2"; exit 1 }
      if (!kernel) { print binary ": ok, no AVX2 code (the AVX2 kernel is not linked in)"; exit 0 }
      print binary ": ok, AVX2 code only in the AVX2 kernel"
    }' || status=1
done
exit $status
