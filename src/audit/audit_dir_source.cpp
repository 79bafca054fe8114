#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "audit/export_path.hpp"
#include "trailwatch/atomic_file.hpp"
#include "trailwatch/audit.hpp"

namespace trailwatch::audit {

namespace fs = std::filesystem;

std::string export_path(const std::string& dir, const aws::ApiCall& call) {
  std::string name = call.service + "." + call.operation;
  if (!call.resource.empty()) name += "." + call.resource;
  return (fs::path(dir) / call.region / (name + ".json")).string();
}

namespace {

std::vector<std::string> region_dirs_holding(const std::string& dir, std::string_view file) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.is_directory(ec)) continue;
    if (fs::is_regular_file(entry.path() / file, ec)) out.push_back(entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::vector<std::string> exported_regions(const std::string& dir) {
  return region_dirs_holding(dir, "cloudtrail.DescribeTrails.json");
}

std::string exported_listing_region(const std::string& dir) {
  std::vector<std::string> regions = region_dirs_holding(dir, "ec2.DescribeRegions.json");
  return regions.empty() ? std::string() : regions.front();
}

std::string FromDirSource::fetch(const aws::ApiCall& call) {
  std::string path = export_path(dir_, call);
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    // The folder a file belongs in is not always the audited region's (README "audit"): say which file,
    // why there, and the AWS CLI line that writes it.
    std::string why = export_region_reason(call);
    throw aws::ApiError("NotInExport", 0,
                        "the export has no " + path + " (" + call.service + " " + call.operation +
                            (call.argument.empty() ? "" : " " + call.argument) + " in " + call.region +
                            (why.empty() ? "" : "; " + why) +
                            "); add it with: " + export_command(dir_, call));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream body;
  body << in.rdbuf();
  if (!in && !in.eof()) throw aws::ApiError("ExportUnreadable", 0, "cannot read " + path);
  return body.str();
}

std::string SaveDirSource::fetch(const aws::ApiCall& call) {
  std::string body = inner_.fetch(call);
  fs::path path = export_path(dir_, call);
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec)
    throw aws::ApiError("SaveFailed", 0,
                        "cannot create " + path.parent_path().string() + ": " + ec.message());
  // A reader of the folder must never see half a body, even when the run is interrupted mid-write.
  AtomicFile file(path.string());
  if (file.ok()) {
    file.stream() << body;
    if (!body.empty() && body.back() != '\n') file.stream() << '\n';
  }
  if (std::string problem = file.ok() ? file.commit() : file.error(); !problem.empty())
    throw aws::ApiError("SaveFailed", 0, "cannot write " + path.string() + ": " + problem);
  return body;
}

}  // namespace trailwatch::audit
