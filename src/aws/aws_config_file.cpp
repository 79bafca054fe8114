#include "aws/aws_config_file.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace trailwatch::aws {
namespace {

std::string_view trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

std::string home_file(const char* env, const char* relative) {
  if (const char* value = std::getenv(env); value && *value) {
    std::string path = value;
    if (path.starts_with("~/")) {
      if (const char* home = std::getenv("HOME")) path = std::string(home) + path.substr(1);
    }
    return path;
  }
  const char* home = std::getenv("HOME");
  return std::string(home ? home : "") + relative;
}

std::map<std::string, ProfileSettings> read_ini(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream text;
  text << in.rdbuf();
  return parse_ini(text.str());
}

std::map<std::string, ProfileSettings> config_profiles() {
  std::map<std::string, ProfileSettings> out;
  for (auto& [section, settings] : read_ini(config_file_path())) {
    std::string_view name = section;
    if (name.starts_with("profile ")) {
      out[std::string(trim(name.substr(8)))] = std::move(settings);
    } else if (name == "default") {
      // botocore lets `[profile default]` win over `[default]` when both exist.
      out.try_emplace("default", std::move(settings));
    }
  }
  return out;
}

std::map<std::string, ProfileSettings> credentials_profiles() {
  return read_ini(credentials_file_path());
}

}  // namespace

std::string config_file_path() {
  return home_file("AWS_CONFIG_FILE", "/.aws/config");
}

std::string credentials_file_path() {
  return home_file("AWS_SHARED_CREDENTIALS_FILE", "/.aws/credentials");
}

std::optional<ProfileSettings> load_sso_session(const std::string& name) {
  for (auto& [section, settings] : read_ini(config_file_path())) {
    std::string_view title = section;
    if (title.starts_with("sso-session ") && trim(title.substr(12)) == name) return std::move(settings);
  }
  return std::nullopt;
}

std::map<std::string, ProfileSettings> parse_ini(std::string_view text) {
  std::map<std::string, ProfileSettings> out;
  ProfileSettings* section = nullptr;
  std::string last_key;
  while (!text.empty()) {
    size_t newline = text.find('\n');
    std::string_view raw = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    bool indented = raw.front() == ' ' || raw.front() == '\t';
    if (indented && section && !last_key.empty()) {
      (*section)[last_key].append("\n").append(line);
      continue;
    }
    if (line.front() == '[' && line.back() == ']') {
      section = &out[std::string(trim(line.substr(1, line.size() - 2)))];
      last_key.clear();
      continue;
    }
    size_t equals = line.find('=');
    if (!section || equals == std::string_view::npos) continue;
    last_key = std::string(trim(line.substr(0, equals)));
    (*section)[last_key] = std::string(trim(line.substr(equals + 1)));
  }
  return out;
}

std::optional<ProfileSettings> load_profile(const std::string& name) {
  auto config = config_profiles();
  auto credentials = credentials_profiles();
  auto from_config = config.find(name);
  auto from_credentials = credentials.find(name);
  if (from_config == config.end() && from_credentials == credentials.end()) return std::nullopt;
  ProfileSettings merged;
  if (from_config != config.end()) merged = from_config->second;
  if (from_credentials != credentials.end()) {
    for (const auto& [key, value] : from_credentials->second) merged[key] = value;
  }
  return merged;
}

bool credentials_file_has(const std::string& profile, const std::string& key) {
  auto credentials = credentials_profiles();
  auto it = credentials.find(profile);
  return it != credentials.end() && it->second.count(key) > 0;
}

std::string profile_name(const std::optional<std::string>& explicit_profile) {
  if (explicit_profile && !explicit_profile->empty()) return *explicit_profile;
  if (const char* env = std::getenv("AWS_PROFILE"); env && *env) return env;
  return "default";
}

}  // namespace trailwatch::aws
