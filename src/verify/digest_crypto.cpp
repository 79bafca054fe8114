// Hashes, gzip members, the string to sign, keys and RSA signatures (docs/design.md "verify").
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <zlib.h>

#include <cstring>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>

#include <fmt/format.h>
#include <simdjson.h>

#include "trailwatch/verify.hpp"

namespace trailwatch::verify {

namespace {

std::string digest_hex(const EVP_MD* md, std::string_view bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), out, &length, md, nullptr);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", out[i]);
  return hex;
}

std::optional<std::string> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    unsigned value = 0;
    for (std::size_t j = 0; j < 2; ++j) {
      const char c = hex[i + j];
      value <<= 4;
      if (c >= '0' && c <= '9')
        value |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f')
        value |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        value |= static_cast<unsigned>(c - 'A' + 10);
      else
        return std::nullopt;
    }
    out += static_cast<char>(value);
  }
  return out;
}

std::optional<std::string> from_base64(std::string_view text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  const int n =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts the '=' padding as zero bytes.
  std::size_t size = static_cast<std::size_t>(n);
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) --size;
  out.resize(size);
  return out;
}

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

// CloudTrail documents PKCS#1 RSAPublicKey DER, but its own sample list holds an SPKI key too: take either.
std::unique_ptr<EVP_PKEY, PkeyFree> parse_key(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  EVP_PKEY* key = d2i_PublicKey(EVP_PKEY_RSA, nullptr, &p, static_cast<long>(der.size()));
  if (key == nullptr) {
    p = reinterpret_cast<const unsigned char*>(der.data());
    key = d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size()));
  }
  return std::unique_ptr<EVP_PKEY, PkeyFree>(key);
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  return digest_hex(EVP_sha256(), bytes);
}
std::string md5_hex(std::string_view bytes) {
  return digest_hex(EVP_md5(), bytes);
}

Inflated inflate_one_member(std::string_view gzip, std::uint64_t max_bytes) {
  Inflated result;
  if (gzip.size() > std::numeric_limits<uInt>::max()) {
    result.error = "larger than 4 GiB as stored";
    return result;
  }
  z_stream stream{};
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) {
    result.error = "zlib could not start";
    return result;
  }
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gzip.data()));
  stream.avail_in = static_cast<uInt>(gzip.size());
  char buffer[1 << 16];
  int status = Z_OK;
  while (status == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    status = inflate(&stream, Z_NO_FLUSH);
    result.bytes.append(buffer, sizeof buffer - stream.avail_out);
    if (result.bytes.size() > max_bytes) {
      inflateEnd(&stream);
      return {{}, fmt::format("inflates past {} bytes", max_bytes), false};
    }
    if (status == Z_BUF_ERROR && stream.avail_in == 0) break;
  }
  if (status != Z_STREAM_END) {
    result.error = status == Z_BUF_ERROR ? "truncated gzip"
                                         : fmt::format("corrupt gzip ({})", stream.msg ? stream.msg : "");
    result.bytes.clear();
  } else {
    result.extra_data = stream.avail_in != 0;
  }
  inflateEnd(&stream);
  return result;
}

std::string string_to_sign(std::string_view digest_end_time, std::string_view bucket, std::string_view object,
                           std::string_view digest_sha256_hex,
                           const std::optional<std::string>& previous_signature) {
  // A null previous signature is signed as the text "null", as CloudTrail's Java signer does.
  return fmt::format("{}\n{}/{}\n{}\n{}", digest_end_time, bucket, object, digest_sha256_hex,
                     previous_signature ? *previous_signature : std::string("null"));
}

std::string load_public_keys(const std::string& path, PublicKeys& keys) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.load(path).get(root))
    return fmt::format("{}: {}", path, simdjson::error_message(error));
  simdjson::dom::array list;
  if (root["PublicKeyList"].get(list)) return fmt::format("{}: no PublicKeyList", path);
  for (simdjson::dom::element entry : list) {
    std::string_view value;
    if (entry["Value"].get(value)) return fmt::format("{}: a key without Value", path);
    std::optional<std::string> der = from_base64(value);
    if (!der || !parse_key(*der)) return fmt::format("{}: a Value that is not an RSA public key", path);
    // The fingerprint is computed, not copied from the file, so an edited Fingerprint cannot pick a key.
    keys[md5_hex(*der)] = *der;
  }
  return "";
}

std::string check_signature(std::string_view der, std::string_view message, std::string_view signature_hex) {
  auto key = parse_key(der);
  if (!key) return "the public key does not parse";
  std::optional<std::string> signature = from_hex(signature_hex);
  if (!signature) return "the signature is not hex";
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  int ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key.get());
  if (ok == 1)
    ok = EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature->data()), signature->size(),
                          reinterpret_cast<const unsigned char*>(message.data()), message.size());
  EVP_MD_CTX_free(ctx);
  return ok == 1 ? "" : "RSA-SHA256 signature does not match";
}

}  // namespace trailwatch::verify
