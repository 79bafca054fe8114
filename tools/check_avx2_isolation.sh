#!/usr/bin/env bash
# Fails if any function of a binary outside the SIMD record kernels uses an instruction a plain x86-64 CPU
# lacks, or any function outside the AVX-512 kernel one a CPU with AVX2 but without AVX-512 lacks:
# - AVX2-era: AVX registers (%ymm, %zmm), any VEX/EVEX-encoded instruction (their mnemonics start with 'v', %xmm
#   operands included), BMI or LZCNT; allowed only in the AVX2 and AVX-512 kernels;
# - AVX-512: %zmm, mask registers (%k0-%k7) and their instructions, the upper 16 vector registers; allowed only
#   in the AVX-512 kernel.
# Such a function would crash with SIGILL there (LZCNT would silently compute BSR): it means the linker kept a
# kernel-compiled copy of an inline function shared with other code (see src/records/kernel_prelude.hpp).
# Every binary that links the record kernels must be checked: which copy the linker keeps depends on each
# binary's own link line. A binary the kernels' objects were not linked into (a fuzzer that reads no records) is
# checked all the same: none of its code may use AVX2.
# Usage: tools/check_avx2_isolation.sh BINARY...
set -euo pipefail
(($# > 0)) || { echo "usage: $0 BINARY..."; exit 2; }
command -v objdump >/dev/null || { echo "objdump not found (binutils)"; exit 2; }
status=0
for binary in "$@"; do
  [[ -f $binary ]] || { echo "no such binary: $binary"; exit 2; }
  objdump -d --no-show-raw-insn -C "$binary" | awk -v binary="$binary" '
    /^[0-9a-f]+ <.*>:$/ { fn = $0; sub(/^[0-9a-f]+ </, "", fn); sub(/>:$/, "", fn); next }
    /%zmm|%k[0-7]|%[xy]mm(1[6-9]|2[0-9]|3[01])|:\tk(mov|and|andn|or|xor|xnor|not|test|ortest|shiftl|shiftr|add|unpck)[bwdq]/ {
      if (fn ~ /kernel_icelake|simdjson::icelake/) { avx512 = 1; next }
      if (!(fn in bad)) { bad[fn] = 1; n++; print binary ": AVX-512 instruction outside the AVX-512 kernel: " fn }
      next
    }
    /:\t(v[a-z0-9]+|andn|bextr|blsi|blsmsk|blsr|lzcnt|bzhi|pdep|pext|mulx|rorx|sarx|shlx|shrx)([ \t]|$)|%ymm/ {
      if (fn ~ /kernel_haswell|simdjson::haswell|kernel_icelake|simdjson::icelake/) { kernel = 1; next }
      if (!(fn in bad)) { bad[fn] = 1; n++; print binary ": AVX2-era instruction outside the SIMD kernels: " fn }
    }
    END {
      if (n > 0) { print binary ": " n " function(s) would crash on a CPU without AVX2 or without AVX-512"; exit 1 }
      if (!kernel && !avx512) { print binary ": ok, no AVX2 code (the SIMD kernels are not linked in)"; exit 0 }
      print binary ": ok, AVX2 code only in the SIMD kernels, AVX-512 code only in the AVX-512 kernel"
    }' || status=1
done
exit $status
