// The credential chain wired to the network: what `audit` and `scan s3://` sign with.
#pragma once

#include <memory>

#include "aws/credential_provider.hpp"
#include "aws/credentials.hpp"
#include "trailwatch/aws.hpp"

namespace trailwatch::aws {

/// The chain's outside world for `config`: libcurl with config's CA bundle for STS (AssumeRole through
/// AwsClient, AssumeRoleWithWebIdentity) and the IAM Identity Center portal; libcurl without a proxy for the
/// container endpoint (2 s per attempt, as the AWS CLI) and for EC2 instance metadata (AWS_METADATA_SERVICE_
/// TIMEOUT, default 1 s).
CredentialContext make_credential_context(const ClientConfig& config);

/// A provider that resolves the chain for config.profile at its first get() and again before temporary
/// credentials expire.
std::shared_ptr<CredentialProvider> make_credential_provider(const ClientConfig& config);

}  // namespace trailwatch::aws
