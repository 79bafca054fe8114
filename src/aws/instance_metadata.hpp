// EC2 instance metadata (IMDS): the credentials of the IAM role attached to the instance, the chain's last
// source. IMDSv2 first (a session token from PUT /latest/api/token, sent with every GET), IMDSv1 only when
// the service refuses tokens and AWS_EC2_METADATA_V1_DISABLED is not true. Short timeouts, as the AWS CLI's,
// so that a machine outside EC2 learns within seconds that there is nothing there.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "aws/aws_config_file.hpp"
#include "aws/credentials.hpp"
#include "aws/http_client.hpp"

namespace trailwatch::aws {

inline constexpr std::string_view kInstanceMetadataEndpoint = "http://169.254.169.254";
inline constexpr std::string_view kInstanceMetadataEndpointIpv6 = "http://[fd00:ec2::254]";

/// How to reach the service, as the AWS CLI reads it (variable, else the profile's setting).
struct InstanceMetadataSettings {
  bool disabled = false;     // AWS_EC2_METADATA_DISABLED=true: never asked
  bool v1_disabled = false;  // AWS_EC2_METADATA_V1_DISABLED / ec2_metadata_v1_disabled
  /// AWS_EC2_METADATA_SERVICE_ENDPOINT / ec2_metadata_service_endpoint, else the IPv6 address when
  /// AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE / ec2_metadata_service_endpoint_mode is IPv6, else
  /// kInstanceMetadataEndpoint.
  std::string endpoint = std::string(kInstanceMetadataEndpoint);
  int attempts = 1;          // AWS_METADATA_SERVICE_NUM_ATTEMPTS / metadata_service_num_attempts
  long timeout_seconds = 1;  // AWS_METADATA_SERVICE_TIMEOUT
};

/// The settings from the environment and `profile` (nullptr: none). Throws ApiError("InstanceMetadataError")
/// for an endpoint that is not an http(s) URL or a number that is not one.
InstanceMetadataSettings instance_metadata_settings(const ProfileSettings* profile);

/// The role's credentials; nullopt when the service does not answer (not on EC2) or no role is attached,
/// with the reason in `why_not`. Throws ApiError("InstanceMetadataError") when it answers with something that
/// is not credentials (the role cannot be assumed, a malformed answer). `transport` should time out after
/// settings.timeout_seconds.
std::optional<Credentials> fetch_instance_metadata_credentials(const Transport& transport,
                                                               const InstanceMetadataSettings& settings,
                                                               std::string& why_not);

}  // namespace trailwatch::aws
