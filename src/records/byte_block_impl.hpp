// A vector of bytes and the few operations the record kernel does on it, for the instruction set its copy is
// compiled for: 32 bytes with AVX2, 16 with SSE2 (none without either; callers then take scalar loops). Used
// by the literal search and the envelope scanner. Part of the record kernel (included by
// record_kernel_impl.hpp, once per instruction set); not a normal header: no include guard on purpose.

namespace trailwatch::TW_KERNEL_NS {

namespace {

#if defined(__AVX2__)
using ByteBlock = __m256i;
constexpr std::size_t kByteBlockWidth = 32;
simdjson_inline ByteBlock block_load(const char* p) {
  return _mm256_loadu_si256(reinterpret_cast<const ByteBlock*>(p));
}
simdjson_inline ByteBlock block_splat(char c) {
  return _mm256_set1_epi8(c);
}
simdjson_inline ByteBlock block_eq(ByteBlock a, ByteBlock b) {
  return _mm256_cmpeq_epi8(a, b);
}
// Bytes of `a` below those of `b`, both read as signed.
simdjson_inline ByteBlock block_signed_less(ByteBlock a, ByteBlock b) {
  return _mm256_cmpgt_epi8(b, a);
}
simdjson_inline ByteBlock block_and(ByteBlock a, ByteBlock b) {
  return _mm256_and_si256(a, b);
}
simdjson_inline ByteBlock block_or(ByteBlock a, ByteBlock b) {
  return _mm256_or_si256(a, b);
}
// Bit i set when byte i has its top bit set.
simdjson_inline std::uint32_t block_bits(ByteBlock a) {
  return static_cast<std::uint32_t>(_mm256_movemask_epi8(a));
}
// Whether some byte of `a`, a compare result (each byte 0 or 0xFF), is set.
simdjson_inline bool block_any(ByteBlock a) {
  return !_mm256_testz_si256(a, a);
}
#elif defined(__SSE2__)
using ByteBlock = __m128i;
constexpr std::size_t kByteBlockWidth = 16;
simdjson_inline ByteBlock block_load(const char* p) {
  return _mm_loadu_si128(reinterpret_cast<const ByteBlock*>(p));
}
simdjson_inline ByteBlock block_splat(char c) {
  return _mm_set1_epi8(c);
}
simdjson_inline ByteBlock block_eq(ByteBlock a, ByteBlock b) {
  return _mm_cmpeq_epi8(a, b);
}
simdjson_inline ByteBlock block_signed_less(ByteBlock a, ByteBlock b) {
  return _mm_cmpgt_epi8(b, a);
}
simdjson_inline ByteBlock block_and(ByteBlock a, ByteBlock b) {
  return _mm_and_si128(a, b);
}
simdjson_inline ByteBlock block_or(ByteBlock a, ByteBlock b) {
  return _mm_or_si128(a, b);
}
simdjson_inline std::uint32_t block_bits(ByteBlock a) {
  return static_cast<std::uint32_t>(_mm_movemask_epi8(a));
}
simdjson_inline bool block_any(ByteBlock a) {
  return _mm_movemask_epi8(a) != 0;
}
#endif

}  // namespace

}  // namespace trailwatch::TW_KERNEL_NS
