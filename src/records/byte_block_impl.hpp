// A vector of bytes and the few operations the record kernel does on it, for the instruction set its copy is
// compiled for: 64 bytes with AVX-512BW, 32 with AVX2, 16 with SSE2 (none without either; callers then take
// scalar loops). A compare gives a ByteMatch: a mask register with AVX-512, a vector of 0/0xFF bytes before
// it; match_bits() turns either into one bit per byte. Used by the literal search and the envelope scanner.
// Part of the record kernel (included by record_kernel_impl.hpp, once per instruction set); not a normal
// header: no include guard on purpose.

namespace trailwatch::TW_KERNEL_NS {

namespace {

#if defined(__AVX512BW__)
using ByteBlock = __m512i;
using ByteMatch = __mmask64;
using MatchBits = std::uint64_t;
constexpr std::size_t kByteBlockWidth = 64;
simdjson_inline ByteBlock block_load(const char* p) {
  return _mm512_loadu_si512(p);
}
simdjson_inline ByteBlock block_splat(char c) {
  return _mm512_set1_epi8(c);
}
simdjson_inline ByteBlock block_or(ByteBlock a, ByteBlock b) {
  return _mm512_or_si512(a, b);
}
// Bit i set when byte i has its top bit set.
simdjson_inline MatchBits block_top_bits(ByteBlock a) {
  return _mm512_movepi8_mask(a);
}
simdjson_inline ByteMatch block_eq(ByteBlock a, ByteBlock b) {
  return _mm512_cmpeq_epi8_mask(a, b);
}
// Bytes of `a` below those of `b`, both read as signed.
simdjson_inline ByteMatch block_signed_less(ByteBlock a, ByteBlock b) {
  return _mm512_cmplt_epi8_mask(a, b);
}
simdjson_inline ByteMatch match_and(ByteMatch a, ByteMatch b) {
  return a & b;
}
simdjson_inline ByteMatch match_or(ByteMatch a, ByteMatch b) {
  return a | b;
}
simdjson_inline ByteMatch match_none() {
  return 0;
}
simdjson_inline MatchBits match_bits(ByteMatch a) {
  return a;
}
simdjson_inline bool match_any(ByteMatch a) {
  return a != 0;
}
#elif defined(__AVX2__)
using ByteBlock = __m256i;
using ByteMatch = __m256i;
using MatchBits = std::uint32_t;
constexpr std::size_t kByteBlockWidth = 32;
simdjson_inline ByteBlock block_load(const char* p) {
  return _mm256_loadu_si256(reinterpret_cast<const ByteBlock*>(p));
}
simdjson_inline ByteBlock block_splat(char c) {
  return _mm256_set1_epi8(c);
}
simdjson_inline ByteBlock block_or(ByteBlock a, ByteBlock b) {
  return _mm256_or_si256(a, b);
}
simdjson_inline MatchBits block_top_bits(ByteBlock a) {
  return static_cast<std::uint32_t>(_mm256_movemask_epi8(a));
}
simdjson_inline ByteMatch block_eq(ByteBlock a, ByteBlock b) {
  return _mm256_cmpeq_epi8(a, b);
}
simdjson_inline ByteMatch block_signed_less(ByteBlock a, ByteBlock b) {
  return _mm256_cmpgt_epi8(b, a);
}
simdjson_inline ByteMatch match_and(ByteMatch a, ByteMatch b) {
  return _mm256_and_si256(a, b);
}
simdjson_inline ByteMatch match_or(ByteMatch a, ByteMatch b) {
  return _mm256_or_si256(a, b);
}
simdjson_inline ByteMatch match_none() {
  return _mm256_setzero_si256();
}
simdjson_inline MatchBits match_bits(ByteMatch a) {
  return block_top_bits(a);
}
simdjson_inline bool match_any(ByteMatch a) {
  return !_mm256_testz_si256(a, a);
}
#elif defined(__SSE2__)
using ByteBlock = __m128i;
using ByteMatch = __m128i;
using MatchBits = std::uint32_t;
constexpr std::size_t kByteBlockWidth = 16;
simdjson_inline ByteBlock block_load(const char* p) {
  return _mm_loadu_si128(reinterpret_cast<const ByteBlock*>(p));
}
simdjson_inline ByteBlock block_splat(char c) {
  return _mm_set1_epi8(c);
}
simdjson_inline ByteBlock block_or(ByteBlock a, ByteBlock b) {
  return _mm_or_si128(a, b);
}
simdjson_inline MatchBits block_top_bits(ByteBlock a) {
  return static_cast<std::uint32_t>(_mm_movemask_epi8(a));
}
simdjson_inline ByteMatch block_eq(ByteBlock a, ByteBlock b) {
  return _mm_cmpeq_epi8(a, b);
}
simdjson_inline ByteMatch block_signed_less(ByteBlock a, ByteBlock b) {
  return _mm_cmpgt_epi8(b, a);
}
simdjson_inline ByteMatch match_and(ByteMatch a, ByteMatch b) {
  return _mm_and_si128(a, b);
}
simdjson_inline ByteMatch match_or(ByteMatch a, ByteMatch b) {
  return _mm_or_si128(a, b);
}
simdjson_inline ByteMatch match_none() {
  return _mm_setzero_si128();
}
simdjson_inline MatchBits match_bits(ByteMatch a) {
  return block_top_bits(a);
}
simdjson_inline bool match_any(ByteMatch a) {
  return _mm_movemask_epi8(a) != 0;
}
#endif

#if defined(__AVX512BW__) || defined(__AVX2__) || defined(__SSE2__)
// The blocks that make up 64 bytes: the unit of the envelope scanner's and the literal search's masks.
constexpr std::size_t kBlocksPer64 = 64 / kByteBlockWidth;
#endif

}  // namespace

}  // namespace trailwatch::TW_KERNEL_NS
