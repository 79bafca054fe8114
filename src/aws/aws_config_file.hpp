// The AWS CLI's shared files: ~/.aws/credentials (sections named after profiles) and ~/.aws/config (sections
// `[default]` and `[profile NAME]`), both INI as botocore reads them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace trailwatch::aws {

using ProfileSettings = std::map<std::string, std::string>;

/// Sections of an INI text: name -> key -> value. Keys and section names are trimmed; `#` and `;` start
/// comment lines; indented lines continue the previous value (nested settings such as `s3 =` are kept as raw
/// text).
std::map<std::string, ProfileSettings> parse_ini(std::string_view text);

/// The settings of one profile, as the AWS CLI merges them: the config file's `[profile NAME]` (or
/// `[default]` for "default"), overlaid by the credentials file's `[NAME]`. nullopt when neither file names
/// the profile. Files come from AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and
/// ~/.aws/credentials.
std::optional<ProfileSettings> load_profile(const std::string& name);

/// The `[sso-session NAME]` section of the config file; nullopt when there is none.
std::optional<ProfileSettings> load_sso_session(const std::string& name);

/// The config file's path (AWS_CONFIG_FILE, else ~/.aws/config) and the credentials file's
/// (AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials), for messages.
std::string config_file_path();
std::string credentials_file_path();

/// Whether the credentials file (not the config file) holds `key` for this profile.
bool credentials_file_has(const std::string& profile, const std::string& key);

/// The profile name to use: `explicit_profile`, else AWS_PROFILE, else "default".
std::string profile_name(const std::optional<std::string>& explicit_profile);

}  // namespace trailwatch::aws
