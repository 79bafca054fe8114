#include "aws/sigv4.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace trailwatch::aws {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

std::string hex(const unsigned char* data, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 0xf]);
  }
  return out;
}

std::string hmac(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int size = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &size) == nullptr) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return std::string(reinterpret_cast<const char*>(out.data()), size);
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
  return out;
}

// SigV4 trims the value and folds every run of spaces into one, quoted or not (get-header-value-trim).
std::string canonical_header_value(std::string_view value) {
  std::string out;
  bool space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// Headers by lower-case name, in sorted order, repeated names joined with ',' in the order given.
std::vector<std::pair<std::string, std::string>> canonical_headers(const SignableRequest& request) {
  std::vector<std::pair<std::string, std::string>> merged;
  for (const auto& [name, value] : request.headers) {
    std::string key = lower(name);
    std::string canonical = canonical_header_value(value);
    auto it = std::find_if(merged.begin(), merged.end(), [&](const auto& h) { return h.first == key; });
    if (it == merged.end()) {
      merged.emplace_back(std::move(key), std::move(canonical));
    } else {
      it->second += ',';
      it->second += canonical;
    }
  }
  std::stable_sort(merged.begin(), merged.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return merged;
}

std::string canonical_query(const SignableRequest& request) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(request.query.size());
  for (const auto& [key, value] : request.query)
    encoded.emplace_back(uri_encode(key, false), uri_encode(value, false));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [key, value] : encoded) {
    if (!out.empty()) out += '&';
    out += key;
    out += '=';
    out += value;
  }
  return out;
}

const std::string* find_header(const SignableRequest& request, std::string_view lower_name) {
  for (const auto& [name, value] : request.headers) {
    if (lower(name) == lower_name) return &value;
  }
  return nullptr;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &size, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return hex(out.data(), size);
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [key, value] : params) {
    if (!out.empty()) out += '&';
    out += uri_encode(key, false);
    out += '=';
    out += uri_encode(value, false);
  }
  return out;
}

std::string uri_encode(std::string_view text, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/');
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 0xf]);
    }
  }
  return out;
}

std::string normalize_path(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string out = "/";
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out += '/';
    out += segments[i];
  }
  // A trailing slash names a different resource; "/./" and "/a/.." still collapse to "/".
  bool trailing = !path.empty() && (path.back() == '/' || path.ends_with("/.") || path.ends_with("/.."));
  if (trailing && !segments.empty()) out += '/';
  return out;
}

std::string amz_date(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  size_t n = std::strftime(buffer, sizeof buffer, "%Y%m%dT%H%M%SZ", &tm);
  return std::string(buffer, n);
}

std::string signed_header_names(const SignableRequest& request) {
  std::string out;
  for (const auto& header : canonical_headers(request)) {
    if (!out.empty()) out += ';';
    out += header.first;
  }
  return out;
}

std::string canonical_request(const SignableRequest& request, std::string_view payload_hash, bool normalize) {
  std::string out = request.method;
  out += '\n';
  out += uri_encode(normalize ? normalize_path(request.path) : request.path, true);
  out += '\n';
  out += canonical_query(request);
  out += '\n';
  std::string names;
  for (const auto& [name, value] : canonical_headers(request)) {
    out += name;
    out += ':';
    out += value;
    out += '\n';
    if (!names.empty()) names += ';';
    names += name;
  }
  out += '\n';
  out += names;
  out += '\n';
  out += payload_hash;
  return out;
}

std::string credential_scope(std::string_view date_time, std::string_view region, std::string_view service) {
  std::string out(date_time.substr(0, 8));
  out += '/';
  out += region;
  out += '/';
  out += service;
  out += "/aws4_request";
  return out;
}

std::string string_to_sign(std::string_view date_time, std::string_view scope, std::string_view canonical) {
  std::string out(kAlgorithm);
  out += '\n';
  out += date_time;
  out += '\n';
  out += scope;
  out += '\n';
  out += sha256_hex(canonical);
  return out;
}

std::string signature(std::string_view secret_access_key, std::string_view date_time, std::string_view region,
                      std::string_view service, std::string_view string_to_sign) {
  std::string key = "AWS4";
  key += secret_access_key;
  std::string k_date = hmac(key, date_time.substr(0, 8));
  std::string k_region = hmac(k_date, region);
  std::string k_service = hmac(k_region, service);
  std::string k_signing = hmac(k_service, "aws4_request");
  std::string mac = hmac(k_signing, string_to_sign);
  return hex(reinterpret_cast<const unsigned char*>(mac.data()), mac.size());
}

std::string authorization(const SignableRequest& request, const Credentials& credentials,
                          std::string_view region, std::string_view service, std::string_view date_time,
                          bool normalize) {
  // Services accept x-amz-content-sha256 in place of hashing the body again (post-x-www-form-urlencoded).
  const std::string* declared_hash = find_header(request, "x-amz-content-sha256");
  std::string payload_hash = declared_hash ? *declared_hash : sha256_hex(request.body);
  std::string scope = credential_scope(date_time, region, service);
  std::string sts = string_to_sign(date_time, scope, canonical_request(request, payload_hash, normalize));
  std::string out(kAlgorithm);
  out += " Credential=";
  out += credentials.access_key_id;
  out += '/';
  out += scope;
  out += ", SignedHeaders=";
  out += signed_header_names(request);
  out += ", Signature=";
  out += signature(credentials.secret_access_key, date_time, region, service, sts);
  return out;
}

void sign(SignableRequest& request, const Credentials& credentials, std::string_view region,
          std::string_view service, std::time_t now, bool normalize) {
  std::string date_time = amz_date(now);
  request.headers.emplace_back("X-Amz-Date", date_time);
  if (!credentials.session_token.empty())
    request.headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
  std::string value = authorization(request, credentials, region, service, date_time, normalize);
  request.headers.emplace_back("Authorization", std::move(value));
}

}  // namespace trailwatch::aws
