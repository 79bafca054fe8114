// AWS error responses turned into ApiError, and which errors are worth another attempt.
#pragma once

#include <string>
#include <string_view>

#include "trailwatch/aws.hpp"

namespace trailwatch::aws {

/// The error in a JSON-protocol response body (`__type`, possibly "prefix#Code", and `message` or `Message`).
/// `action` ("cloudtrail:DescribeTrails") opens the message; access denied reads "ACTION denied: ...".
ApiError parse_json_error(int http_status, std::string_view body, std::string_view action);

/// The error in a Query-protocol XML body (`<Error><Code>` and `<Message>`, at any depth: EC2 nests it in
/// `<Response><Errors>`).
ApiError parse_xml_error(int http_status, std::string_view body, std::string_view action);

/// Builds the ApiError for a code and message, with the wording shared by both protocols.
ApiError make_api_error(std::string code, int http_status, std::string_view message, std::string_view action);

/// True for throttling, 5xx, timeouts and transport failures: the kinds the AWS SDKs retry.
bool is_retryable(const ApiError& error);

}  // namespace trailwatch::aws
