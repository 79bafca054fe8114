// s3://BUCKET[/PREFIX]: listed like a directory, read through a window of objects fetched ahead.
#include "aws/s3_source.hpp"

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "aws/aws_live_source.hpp"
#include "aws/live_credentials.hpp"
#include "aws/read_ahead.hpp"
#include "aws/s3_client.hpp"

namespace trailwatch::aws {
namespace {

constexpr std::string_view kScheme = "s3://";

// "s3://BUCKET/KEY" -> the bucket and the key (empty when there is none).
std::pair<std::string, std::string> split_path(std::string_view path) {
  path.remove_prefix(kScheme.size());
  const size_t slash = path.find('/');
  if (slash == std::string_view::npos) return {std::string(path), {}};
  return {std::string(path.substr(0, slash)), std::string(path.substr(slash + 1))};
}

std::string object_path(std::string_view bucket, std::string_view key) {
  return fmt::format("{}{}/{}", kScheme, bucket, key);
}

// A prefix names a folder, as a directory argument does: "AWSLogs" lists "AWSLogs/..." and not
// "AWSLogs-old/...", and names are relative to it, as in a local copy of the folder.
std::string folder_of(std::string_view prefix) {
  if (prefix.empty() || prefix.ends_with('/')) return std::string(prefix);
  return fmt::format("{}/", prefix);
}

std::string skipped_summary(const SkipCounts& s) {
  std::string out;
  for (const auto& [name, count] : {std::pair{"digest", s.digest}, std::pair{"insight", s.insight},
                                    std::pair{"lake", s.lake}, std::pair{"other_name", s.other_name}}) {
    if (count > 0) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", count, name);
  }
  return out;
}

std::string listing_error(const ApiError& error) {
  if (error.code() == "NoSuchBucket") return "the bucket does not exist (NoSuchBucket)";
  if (error.code() == "NetworkError") return fmt::format("s3:ListBucket failed: {}", error.what());
  return error.what();
}

class S3Source final : public InputSource {
 public:
  S3Source(const S3SourceOptions& options, std::function<Credentials()> credentials, Transport transport,
           RetryPolicy::Sleep sleep)
      : options_(options),
        // One provider for every request of the run: resolved at the first request, refreshed before
        // temporary credentials expire, whichever fetching thread asks first.
        credentials_(std::make_shared<CredentialProvider>(std::move(credentials))),
        transport_(std::move(transport)),
        sleep_(std::move(sleep)),
        region_guess_(default_region(options.client)) {}

  ~S3Source() override { done_reading(); }

  bool handles(std::string_view argument) const override { return is_s3_path(argument); }

  void list(std::string_view argument, Discovery& out) const override {
    auto [bucket_name, prefix] = split_path(argument);
    if (bucket_name.empty()) {
      out.errors.push_back({std::string(argument), "no bucket name: give s3://BUCKET[/PREFIX]"});
      return;
    }
    const std::size_t files_before = out.files.size();
    std::uint64_t keys = 0;
    try {
      const S3Client& s3 = client();
      const S3Bucket bucket{bucket_name, region_of(s3, bucket_name)};
      const std::string folder = folder_of(prefix);
      keys = options_.pruning.limits() ? list_pruned(s3, bucket, folder, folder, out)
                                       : list_folder(s3, bucket, folder, out);
      if (keys == 0 && !prefix.empty() && !prefix.ends_with('/')) {
        // Nothing below it: the argument may name one object, read whatever its name as a file argument is.
        if (std::optional<std::uint64_t> size = s3.object_size(bucket, prefix)) {
          const size_t slash = prefix.rfind('/');
          out.files.push_back({object_path(bucket_name, prefix), *size, this,
                               slash == std::string::npos ? prefix : prefix.substr(slash + 1)});
          return;
        }
      }
    } catch (const ApiError& error) {
      // What was listed before the failure is still read; the argument is named, so nothing is lost quietly.
      out.errors.push_back({std::string(argument), listing_error(error)});
      return;
    }
    // Logs that pruning passed over are out of the scope, not missing: as for a directory argument.
    if (out.files.size() == files_before && out.pruned.files == 0 && out.pruned.prefixes == 0) {
      std::string why;
      if (keys == 0)
        why = prefix.empty() ? "the bucket is empty" : fmt::format("no object under {}", folder_of(prefix));
      else
        why = fmt::format("no log file among its {} objects ({} passed over)", keys,
                          skipped_summary(out.skipped));
      out.errors.push_back({std::string(argument), why});
    }
  }

  std::string read(const InputFile& file, std::uint64_t max_bytes, std::string& bytes) const override {
    ReadAhead* ahead = nullptr;
    std::size_t item = 0;
    {
      std::lock_guard lock(mutex_);
      if (plan_) {
        if (auto it = plan_->position.find(file.path); it != plan_->position.end()) {
          ahead = plan_->ahead.get();
          item = it->second;
        }
      }
    }
    if (ahead != nullptr) return ahead->take(item, bytes);
    try {
      return fetch(locate(file.path), max_bytes, bytes, nullptr);
    } catch (const ApiError& error) {  // no credentials, or the bucket's region could not be found
      return error.what();
    }
  }

  void will_read(const std::vector<const InputFile*>& files, std::uint64_t max_bytes) const override {
    done_reading();
    auto plan = std::make_unique<Plan>();
    try {
      for (const InputFile* file : files) {
        // The loader refuses an input over the limit without asking the source: never fetched, never taken.
        if (file->size > max_bytes) continue;
        plan->position.emplace(file->path, plan->targets.size());
        plan->targets.push_back(locate(file->path));
      }
    } catch (const ApiError&) {
      return;  // read() asks again, and names the object with the reason
    }
    if (plan->targets.empty()) return;
    const unsigned n = std::max(1u, options_.concurrency);
    const Plan* targets = plan.get();
    plan->ahead = std::make_unique<ReadAhead>(
        plan->targets.size(), n, n,
        [this, targets, max_bytes](std::size_t i, std::string& bytes, const std::atomic<bool>& cancel) {
          return fetch(targets->targets[i], max_bytes, bytes, &cancel);
        });
    std::lock_guard lock(mutex_);
    closing_ = false;
    plan_ = std::move(plan);
  }

  void done_reading() const override {
    std::unique_ptr<Plan> plan;
    {
      std::lock_guard lock(mutex_);
      plan = std::move(plan_);
      if (plan) plan->ahead->cancel();
      closing_ = true;  // ends the waits between retries
    }
    closing_changed_.notify_all();
    plan.reset();  // waits for the fetchers
  }

 private:
  struct Target {
    S3Bucket bucket;
    std::string key;
  };
  // The objects a scan announced, in the order its workers will ask for them, and the window fetching them.
  struct Plan {
    std::vector<Target> targets;
    std::unordered_map<std::string, std::size_t> position;
    std::unique_ptr<ReadAhead> ahead;
  };

  const S3Client& client() const {
    std::lock_guard lock(mutex_);
    if (!client_) {
      RetryPolicy::Sleep sleep = sleep_ ? sleep_ : [this](double seconds) { wait(seconds); };
      // --endpoint-url, else AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL; one without a scheme is an error of
      // each argument (ApiError InvalidEndpoint), never a silent https://.
      client_ = std::make_unique<S3Client>(
          credentials_, configured_endpoint_url("S3", options_.client.endpoint_url),
          RetryPolicy(options_.client.max_attempts, std::move(sleep)), transport_);
    }
    return *client_;
  }

  std::string region_of(const S3Client& s3, const std::string& bucket) const {
    {
      std::lock_guard lock(mutex_);
      if (auto it = regions_.find(bucket); it != regions_.end()) return it->second;
    }
    std::string region = s3.bucket_region(bucket, region_guess_);
    std::lock_guard lock(mutex_);
    regions_[bucket] = region;
    return region;
  }

  Target locate(const std::string& path) const {
    auto [bucket, key] = split_path(path);
    const S3Client& s3 = client();
    return {{bucket, region_of(s3, bucket)}, std::move(key)};
  }

  // Lists every key below `folder` (all pages) into `out`; returns how many keys there were.
  std::uint64_t list_folder(const S3Client& s3, const S3Bucket& bucket, const std::string& folder,
                            Discovery& out) const {
    std::uint64_t keys = 0;
    std::optional<std::string> token;
    std::set<std::string> tokens;
    do {
      S3ListPage page = s3.list_page(bucket, folder, "", token);
      for (S3Object& object : page.objects) {
        if (!object.key.starts_with(folder)) continue;  // a server that ignored the prefix
        std::string name = object.key.substr(folder.size());
        // A key ending in '/' is a folder marker (what the console's "Create folder" writes), not a file.
        if (name.empty() || name.ends_with('/')) continue;
        ++keys;
        if (NameVerdict verdict = options_.every_key ? NameVerdict::Read : listed_name_verdict(name);
            verdict != NameVerdict::Read)
          ++skip_counter(out.skipped, verdict);
        else
          out.files.push_back({object_path(bucket.name, object.key), object.size, this, std::move(name)});
      }
      token = std::move(page.next_token);
      // A server that hands back the same token forever must not keep us listing forever.
      if (token && !tokens.insert(*token).second)
        throw ApiError("InvalidResponse", 0, "s3:ListBucket: the listing repeats a continuation token");
    } while (token);
    return keys;
  }

  // Lists what pruning keeps below `folder` one level at a time (delimiter '/'), as a walk enters folders:
  // a folder the layout rules out is counted in pruned.prefixes and never listed; a digest, insight or lake
  // folder is listed whole, to count its keys as a walk counts its files. Names are relative to `root`, the
  // argument's folder. Returns how many keys were seen. One request per folder entered, so only used when
  // pruning limits something (a flat listing is cheaper otherwise).
  std::uint64_t list_pruned(const S3Client& s3, const S3Bucket& bucket, const std::string& folder,
                            const std::string& root, Discovery& out) const {
    std::uint64_t keys = 0;
    std::optional<std::string> token;
    std::set<std::string> tokens;
    do {
      S3ListPage page = s3.list_page(bucket, folder, "/", token);
      for (S3Object& object : page.objects) {
        if (!object.key.starts_with(root)) continue;
        std::string name = object.key.substr(root.size());
        if (name.empty() || name.ends_with('/')) continue;
        ++keys;
        std::string path = object_path(bucket.name, object.key);
        if (NameVerdict verdict = listed_name_verdict(name); verdict != NameVerdict::Read)
          ++skip_counter(out.skipped, verdict);
        else if (!options_.pruning.read_file(path))
          prune_file(path, out);
        else
          out.files.push_back({std::move(path), object.size, this, std::move(name)});
      }
      for (const std::string& below : page.common_prefixes) {
        if (!below.starts_with(folder) || below.size() <= folder.size()) continue;  // a server's oddity
        const std::string_view dir = std::string_view(below).substr(0, below.size() - 1);
        const std::string_view base =
            dir.substr(dir.rfind('/') == std::string_view::npos ? 0 : dir.rfind('/') + 1);
        if (NameVerdict tree = folder_verdict(base); tree != NameVerdict::Read)
          keys += count_keys(s3, bucket, below, skip_counter(out.skipped, tree));
        else if (!options_.pruning.enter_directory(object_path(bucket.name, dir)))
          prune_folder(object_path(bucket.name, dir), out);
        else
          keys += list_pruned(s3, bucket, below, root, out);
      }
      token = std::move(page.next_token);
      if (token && !tokens.insert(*token).second)
        throw ApiError("InvalidResponse", 0, "s3:ListBucket: the listing repeats a continuation token");
    } while (token);
    return keys;
  }

  // Counts what pruning passed over, and notes its account, region and day for the message of a run that
  // reads nothing in scope. Unlike a walk, no folder not entered is listed for its regions or days: each
  // would cost a request.
  static void prune_file(const std::string& path, Discovery& out) {
    ++out.pruned.files;
    if (const std::optional<LayoutPath> where = parse_layout_path(path, true)) out.seen.add(*where);
  }
  static void prune_folder(const std::string& path, Discovery& out) {
    ++out.pruned.prefixes;
    if (const std::optional<LayoutPath> where = parse_layout_path(path, false)) out.seen.add(*where);
  }

  // Adds the keys below `folder` (folder markers aside) to `counter`; returns how many.
  std::uint64_t count_keys(const S3Client& s3, const S3Bucket& bucket, const std::string& folder,
                           std::uint64_t& counter) const {
    std::uint64_t keys = 0;
    std::optional<std::string> token;
    std::set<std::string> tokens;
    do {
      S3ListPage page = s3.list_page(bucket, folder, "", token);
      for (const S3Object& object : page.objects)
        if (!object.key.ends_with('/')) ++keys;
      token = std::move(page.next_token);
      if (token && !tokens.insert(*token).second)
        throw ApiError("InvalidResponse", 0, "s3:ListBucket: the listing repeats a continuation token");
    } while (token);
    counter += keys;
    return keys;
  }

  std::string fetch(const Target& target, std::uint64_t max_bytes, std::string& bytes,
                    const std::atomic<bool>* cancel) const {
    int attempts = 1;
    try {
      bytes = client().get_object(target.bucket, target.key, max_bytes, cancel, &attempts);
      return {};
    } catch (const ApiError& error) {
      bytes.clear();
      if (error.code() == "NoSuchKey" || error.code() == "NotFound")
        return "deleted after it was listed (NoSuchKey)";
      if (error.code() == "ResponseTooLarge")
        return fmt::format("larger than the {} limit (--max-inflated-size) when read; it was listed smaller",
                           byte_size_text(max_bytes));
      if (error.code() == "Cancelled") return "interrupted";
      std::string text = error.code() == "NetworkError" ? fmt::format("s3:GetObject failed: {}", error.what())
                                                        : std::string(error.what());
      if (attempts > 1) text += fmt::format(" (gave up after {} attempts)", attempts);
      return text;
    }
  }

  // The wait between retries; it ends early when the scan stops reading.
  void wait(double seconds) const {
    std::unique_lock lock(mutex_);
    closing_changed_.wait_for(lock, std::chrono::duration<double>(seconds), [this] { return closing_; });
  }

  S3SourceOptions options_;
  std::shared_ptr<CredentialProvider> credentials_;
  Transport transport_;
  RetryPolicy::Sleep sleep_;
  std::string region_guess_;

  mutable std::mutex mutex_;
  mutable std::condition_variable closing_changed_;
  mutable bool closing_ = false;
  mutable std::unique_ptr<S3Client> client_;
  mutable std::map<std::string, std::string> regions_;
  mutable std::unique_ptr<Plan> plan_;
};

}  // namespace

bool is_s3_path(std::string_view argument) {
  return argument.starts_with(kScheme);
}

std::unique_ptr<InputSource> make_s3_source(const S3SourceOptions& options,
                                            std::function<Credentials()> credentials, Transport transport,
                                            RetryPolicy::Sleep sleep) {
  return std::make_unique<S3Source>(options, std::move(credentials), std::move(transport), std::move(sleep));
}

std::unique_ptr<InputSource> make_s3_source(const S3SourceOptions& options) {
  const ClientConfig config = options.client;
  // Called at the first request and whenever temporary credentials are about to expire.
  auto credentials = [config, context = make_credential_context(config)] {
    return resolve_credentials(config.profile, context);
  };
  // No bound on a whole request (an object may be large and the link slow); a stalled one is still ended.
  HttpOptions http = http_options(config);
  http.total_timeout_seconds = 0;
  return make_s3_source(options, credentials, make_curl_transport(http));
}

}  // namespace trailwatch::aws
