// SHA-256 of a log file's inflated first gzip member, as its digest's hashValue is (docs/design.md "verify").
#include <libdeflate.h>
#include <openssl/evp.h>
#include <zlib.h>

#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "trailwatch/verify.hpp"

namespace trailwatch::verify {

namespace {

std::string hex(const unsigned char* bytes, unsigned int length) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(std::size_t{length} * 2, '0');
  for (unsigned int i = 0; i < length; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 15];
  }
  return out;
}

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// The gzip trailer's ISIZE: the inflated size of the last member mod 2^32. Only a first guess of the buffer
// a whole inflate needs; libdeflate says when it was too small.
std::size_t size_hint(std::string_view gzip) {
  const auto* t = reinterpret_cast<const unsigned char*>(gzip.data() + gzip.size() - 4);
  return std::size_t{t[0]} | std::size_t{t[1]} << 8 | std::size_t{t[2]} << 16 | std::size_t{t[3]} << 24;
}

}  // namespace

struct MemberHasher::Impl {
  std::size_t whole_limit;
  libdeflate_decompressor* decompressor = libdeflate_alloc_decompressor();
  std::unique_ptr<unsigned char[]> out;
  std::size_t capacity = 0;

  explicit Impl(std::size_t limit) : whole_limit(std::max<std::size_t>(limit, 1 << 16)) {}
  ~Impl() { libdeflate_free_decompressor(decompressor); }

  void reserve(std::size_t bytes) {
    if (bytes <= capacity) return;
    out.reset(new unsigned char[bytes]);
    capacity = bytes;
  }

  // zlib, one piece at a time into the hash: for members past whole_limit, and to name what is wrong with a
  // member libdeflate refused (it says only "bad data").
  MemberHash stream(std::string_view gzip) {
    MemberHash result;
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> sha(EVP_MD_CTX_new());
    EVP_DigestInit_ex(sha.get(), EVP_sha256(), nullptr);
    z_stream z{};
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return {{}, "zlib could not start", false};
    reserve(std::min<std::size_t>(whole_limit, std::size_t{1} << 18));
    const std::size_t piece = std::min<std::size_t>(capacity, std::size_t{1} << 30);
    std::string_view rest = gzip;
    int status = Z_OK;
    while (status == Z_OK || (status == Z_BUF_ERROR && (z.avail_in > 0 || !rest.empty()))) {
      if (z.avail_in == 0 && !rest.empty()) {
        const std::size_t n = std::min<std::size_t>(rest.size(), std::size_t{1} << 30);
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(rest.data()));
        z.avail_in = static_cast<uInt>(n);
        rest.remove_prefix(n);
      }
      z.next_out = out.get();
      z.avail_out = static_cast<uInt>(piece);
      status = inflate(&z, Z_NO_FLUSH);
      EVP_DigestUpdate(sha.get(), out.get(), piece - z.avail_out);
    }
    if (status == Z_STREAM_END) {
      result.extra_data = z.avail_in > 0 || !rest.empty();
      unsigned char digest[EVP_MAX_MD_SIZE];
      unsigned int length = 0;
      EVP_DigestFinal_ex(sha.get(), digest, &length);
      result.sha256 = hex(digest, length);
    } else if (status == Z_BUF_ERROR) {
      result.error = "truncated gzip";
    } else {
      result.error = fmt::format("corrupt gzip ({})", z.msg != nullptr ? z.msg : "zlib error");
    }
    inflateEnd(&z);
    return result;
  }

  MemberHash hash(std::string_view gzip) {
    if (gzip.empty()) return {{}, "empty file", false};
    if (gzip.size() < 18 || static_cast<unsigned char>(gzip[0]) != 0x1f ||
        static_cast<unsigned char>(gzip[1]) != 0x8b)
      return {{}, "not gzip (CloudTrail delivers every log file as gzip)", false};
    // Whole, with libdeflate (about twice zlib's speed), while the member fits in whole_limit.
    // Deflate inflates at most 1032-fold: a trailer that promises more (trailing bytes, a cut file) is no
    // guide.
    const std::size_t hint = std::min(size_hint(gzip), gzip.size() * 1032);
    std::size_t want = std::min(whole_limit, std::max(hint, gzip.size() * 4) + 1);
    for (;;) {
      reserve(want);
      std::size_t in = 0, produced = 0;
      const libdeflate_result r = libdeflate_gzip_decompress_ex(decompressor, gzip.data(), gzip.size(),
                                                                out.get(), capacity, &in, &produced);
      if (r == LIBDEFLATE_SUCCESS) {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int length = 0;
        EVP_Digest(out.get(), produced, digest, &length, EVP_sha256(), nullptr);
        return {hex(digest, length), {}, in < gzip.size()};
      }
      if (r != LIBDEFLATE_INSUFFICIENT_SPACE || capacity >= whole_limit) break;
      want = std::min(whole_limit, capacity * 4);
    }
    return stream(gzip);
  }
};

MemberHasher::MemberHasher(std::size_t whole_limit) : impl_(std::make_unique<Impl>(whole_limit)) {}
MemberHasher::~MemberHasher() = default;

MemberHash MemberHasher::hash(std::string_view gzip) {
  return impl_->hash(gzip);
}

}  // namespace trailwatch::verify
