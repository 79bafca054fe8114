#include "aws/s3_list_xml.hpp"

#include <charconv>
#include <pugixml.hpp>

#include "trailwatch/aws.hpp"

namespace trailwatch::aws {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

ApiError invalid(const std::string& what) {
  return ApiError("InvalidResponse", 0, "s3:ListObjectsV2: " + what);
}

// Element names without their namespace prefix: S3 answers in its default namespace, some compatible
// servers with a prefix.
std::string_view local_name(const pugi::xml_node& node) {
  std::string_view name = node.name();
  if (size_t colon = name.find(':'); colon != std::string_view::npos) name.remove_prefix(colon + 1);
  return name;
}

pugi::xml_node child(const pugi::xml_node& parent, std::string_view name) {
  for (pugi::xml_node c : parent.children())
    if (c.type() == pugi::node_element && local_name(c) == name) return c;
  return {};
}

}  // namespace

std::string s3_url_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

S3ListPage parse_list_objects_v2(std::string_view xml) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size())) throw invalid("the answer is not XML");
  pugi::xml_node result = doc.document_element();
  if (local_name(result) != "ListBucketResult")
    throw invalid("the answer is not a ListBucketResult but <" + std::string(result.name()) + ">");
  const bool url_encoded = std::string_view(child(result, "EncodingType").child_value()) == "url";
  auto text = [url_encoded](const pugi::xml_node& node) {
    std::string_view value = node.child_value();
    return url_encoded ? s3_url_decode(value) : std::string(value);
  };

  S3ListPage page;
  for (pugi::xml_node node : result.children()) {
    if (node.type() != pugi::node_element) continue;
    const std::string_view name = local_name(node);
    if (name == "Contents") {
      S3Object object;
      pugi::xml_node key = child(node, "Key");
      if (!key) throw invalid("an object without a Key");
      object.key = text(key);
      std::string_view size = child(node, "Size").child_value();
      auto [end, ec] = std::from_chars(size.data(), size.data() + size.size(), object.size);
      if (ec != std::errc() || end != size.data() + size.size() || size.empty())
        throw invalid("the Size of " + object.key + " is not a whole number: '" + std::string(size) + "'");
      page.objects.push_back(std::move(object));
    } else if (name == "CommonPrefixes") {
      page.common_prefixes.push_back(text(child(node, "Prefix")));
    }
  }
  if (std::string_view(child(result, "IsTruncated").child_value()) == "true") {
    // A continuation token is opaque: never url-decoded.
    std::string token = child(result, "NextContinuationToken").child_value();
    if (token.empty()) throw invalid("a truncated page without a NextContinuationToken");
    page.next_token = std::move(token);
  }
  return page;
}

}  // namespace trailwatch::aws
