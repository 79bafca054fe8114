// The ApiSource behind make_live_source, with its transport exposed so that tests can answer for AWS.
#pragma once

#include <memory>

#include "aws/aws_client.hpp"
#include "aws/credentials.hpp"
#include "trailwatch/aws.hpp"

namespace trailwatch::aws {

/// The HTTP options `config` asks for (its CA bundle, else AWS_CA_BUNDLE).
HttpOptions http_options(const ClientConfig& config);

/// An ApiSource that signs with what `credentials` gives at each request and sends through `transport`
/// (make_live_source passes the live chain and libcurl).
std::unique_ptr<ApiSource> make_source(std::shared_ptr<CredentialProvider> credentials,
                                       const ClientConfig& config, Transport transport,
                                       AwsClient::Sleep sleep = {});
/// The same, always signing with `credentials`.
std::unique_ptr<ApiSource> make_source(Credentials credentials, const ClientConfig& config,
                                       Transport transport, AwsClient::Sleep sleep = {});

}  // namespace trailwatch::aws
