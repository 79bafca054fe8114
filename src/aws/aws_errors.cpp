#include "aws/aws_errors.hpp"

#include <simdjson.h>
#include <pugixml.hpp>

#include <array>

namespace trailwatch::aws {
namespace {

constexpr std::array<std::string_view, 16> kThrottlingCodes = {"Throttling",
                                                               "ThrottlingException",
                                                               "ThrottledException",
                                                               "RequestThrottledException",
                                                               "TooManyRequestsException",
                                                               "ProvisionedThroughputExceededException",
                                                               "TransactionInProgressException",
                                                               "RequestLimitExceeded",
                                                               "BandwidthLimitExceeded",
                                                               "LimitExceededException",
                                                               "RequestThrottled",
                                                               "SlowDown",
                                                               "PriorRequestNotComplete",
                                                               "EC2ThrottledException",
                                                               "RequestTimeout",
                                                               "RequestTimeoutException"};

constexpr std::array<std::string_view, 5> kTransientCodes = {
    "InternalError", "InternalFailure", "ServiceUnavailable", "InternalServerError", "NetworkError"};

std::string first_line(std::string_view text, size_t limit = 300) {
  std::string out(text.substr(0, text.find('\n')));
  if (out.size() > limit) out = out.substr(0, limit) + "...";
  return out;
}

std::string status_code(int http_status) {
  return http_status >= 500 ? "ServiceUnavailable" : "HttpError";
}

}  // namespace

ApiError make_api_error(std::string code, int http_status, std::string_view message,
                        std::string_view action) {
  ApiError probe(code, http_status, "");
  std::string text(action);
  if (probe.access_denied()) {
    text += " denied: ";
  } else {
    text += " failed: ";
    text += code;
    if (http_status > 0) text += " (HTTP " + std::to_string(http_status) + ")";
    if (!message.empty()) text += ": ";
  }
  text += message.empty() && probe.access_denied() ? code : std::string(message);
  return ApiError(std::move(code), http_status, text);
}

ApiError parse_json_error(int http_status, std::string_view body, std::string_view action) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  std::string code;
  std::string message;
  if (parser.parse(body.data(), body.size()).get(doc) == simdjson::SUCCESS && doc.is_object()) {
    std::string_view value;
    if (doc["__type"].get(value) == simdjson::SUCCESS || doc["code"].get(value) == simdjson::SUCCESS) {
      code = std::string(value.substr(value.find('#') == std::string_view::npos ? 0 : value.find('#') + 1));
    }
    if (doc["message"].get(value) == simdjson::SUCCESS || doc["Message"].get(value) == simdjson::SUCCESS) {
      message = std::string(value);
    }
  }
  if (code.empty()) {
    code = status_code(http_status);
    if (message.empty()) message = first_line(body);
  }
  return make_api_error(std::move(code), http_status, message, action);
}

ApiError parse_xml_error(int http_status, std::string_view body, std::string_view action) {
  pugi::xml_document doc;
  std::string code;
  std::string message;
  if (doc.load_buffer(body.data(), body.size())) {
    pugi::xpath_node error = doc.select_node("//*[local-name()='Error']");
    if (error) {
      code = error.node().child_value("Code");
      message = error.node().child_value("Message");
    }
  }
  if (code.empty()) {
    code = status_code(http_status);
    if (message.empty()) message = first_line(body);
  }
  return make_api_error(std::move(code), http_status, message, action);
}

bool is_retryable(const ApiError& error) {
  for (std::string_view code : kThrottlingCodes) {
    if (error.code() == code) return true;
  }
  for (std::string_view code : kTransientCodes) {
    if (error.code() == code) return true;
  }
  int status = error.http_status();
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

}  // namespace trailwatch::aws
