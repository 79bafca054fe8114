#include "aws/live_credentials.hpp"

#include "aws/aws_client.hpp"
#include "aws/aws_live_source.hpp"
#include "aws/aws_sts.hpp"
#include "aws/instance_metadata.hpp"

namespace trailwatch::aws {

CredentialContext make_credential_context(const ClientConfig& config) {
  CredentialContext context;
  const HttpOptions options = http_options(config);
  Transport transport = make_curl_transport(options);
  context.transport = transport;
  context.endpoint_url = config.endpoint_url;
  context.assume = [config, transport](const Credentials& source, const AssumeRoleRequest& request) {
    AwsClient sts(source, config.endpoint_url, config.max_attempts, transport);
    return assume_role(sts, request);
  };

  HttpOptions container = options;
  container.no_proxy = true;
  container.connect_timeout_seconds = 2;
  container.total_timeout_seconds = 2;
  context.container_transport = make_curl_transport(container);

  // The timeout is read when the chain gets there; a bad value is reported there, by the chain.
  long timeout = 1;
  try {
    timeout = instance_metadata_settings(nullptr).timeout_seconds;
  } catch (const ApiError&) {
  }
  HttpOptions metadata = options;
  metadata.no_proxy = true;
  metadata.connect_timeout_seconds = timeout;
  metadata.total_timeout_seconds = 2 * timeout;
  context.metadata_transport = make_curl_transport(metadata);
  return context;
}

std::shared_ptr<CredentialProvider> make_credential_provider(const ClientConfig& config) {
  return std::make_shared<CredentialProvider>(
      [profile = config.profile, context = make_credential_context(config)] {
        return resolve_credentials(profile, context);
      });
}

}  // namespace trailwatch::aws
