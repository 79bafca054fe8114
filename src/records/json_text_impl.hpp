// Small readings of JSON text that the field walk and the readers share: a field's key, a value's text
// without trailing blanks, whether a document is followed by more. Part of the record kernel (included by
// record_kernel_impl.hpp, once per instruction set: simdjson's On-Demand types differ per kernel); not a
// normal header: no include guard on purpose.

namespace trailwatch::TW_KERNEL_NS {

namespace od = simdjson::ondemand;

namespace {

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && is_json_blank(s.back())) s.remove_suffix(1);
  return s;
}

// simdjson 3.0 has no document::at_end(): a location still in bounds after the root value means more follows.
bool has_trailing_content(od::document& doc) {
  const char* location = nullptr;
  return !doc.current_location().get(location);
}

// A key as written when it holds no escape (nearly always), else unescaped: copying every key into the
// parser's string buffer cost a fifth of the record walk. Stage 1 has checked that the key's string is
// closed, and the document is followed by kRecordPadding readable bytes, so 16-byte loads stay in bounds.
simdjson_inline simdjson::simdjson_result<std::string_view> key_of(od::field& field) {
  const char* begin = field.key().raw();
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  for (const char* p = begin;; p += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const unsigned quotes = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, quote)));
    const unsigned escapes = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, backslash)));
    if (quotes == 0) {
      if (escapes != 0) return field.unescaped_key();
      continue;
    }
    const unsigned first_quote = static_cast<unsigned>(__builtin_ctz(quotes));
    if ((escapes & ((1u << first_quote) - 1)) != 0) return field.unescaped_key();
    return std::string_view(begin, static_cast<std::size_t>(p - begin) + first_quote);
  }
#else
  const char* end = begin;
  while (*end != '"') {
    if (*end == '\\') return field.unescaped_key();
    ++end;
  }
  return std::string_view(begin, static_cast<std::size_t>(end - begin));
#endif
}

}  // namespace

}  // namespace trailwatch::TW_KERNEL_NS
