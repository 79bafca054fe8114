// Ingest layer: finds input files, reads them, recognises and inflates gzip, and hands out whole buffers to
// worker threads. Nothing here knows about JSON.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "trailwatch/layout.hpp"
#include "trailwatch/seen_scope.hpp"

namespace trailwatch {

class InputSource;

/// One input to read: a file found by the walk or named on the command line, stdin ("-"), or an object of
/// another InputSource.
struct InputFile {
  InputFile() = default;
  InputFile(std::string path, std::uint64_t size, const InputSource* source = nullptr, std::string name = {})
      : path(std::move(path)), size(size), source(source), name(std::move(name)) {}

  std::string path;
  std::uint64_t size = 0;  // bytes as stored (0 for stdin)
  /// Where it is read from; null for a local file or stdin. The source must outlive the scan.
  const InputSource* source = nullptr;
  /// What decides its shard: the path relative to its directory argument, the base name for a file argument,
  /// the key after the argument's prefix for a source's object.
  std::string name;
  /// What the file's place in the CloudTrail layout says (account, region, delivery time), when its path
  /// follows the layout (parse_layout_path): the delivery coverage is made of these, without reading
  /// anything.
  std::optional<LogFileName> delivery;
  bool is_stdin() const { return source == nullptr && path == "-"; }
};

/// One part of the inputs, for running a scan on several machines (docs/design.md "Partial results and
/// merge"): an input belongs to shard FNV-1a-64(its name) mod count.
struct Shard {
  std::uint64_t index = 0;
  std::uint64_t count = 1;
};

/// FNV-1a, 64 bits: the hash that splits inputs into shards. Fixed forever: shards written by one version
/// must be the same set for any other.
std::uint64_t fnv1a64(std::string_view text);

/// Why the walk passed over something. Reported as input.skipped.
struct SkipCounts {
  std::uint64_t digest = 0;       // files under CloudTrail-Digest/
  std::uint64_t insight = 0;      // files under CloudTrail-Insight/
  std::uint64_t lake = 0;         // files under CloudTrail-Lake/
  std::uint64_t symlink = 0;      // symbolic links to directories (not followed)
  std::uint64_t not_regular = 0;  // FIFOs, sockets, devices
  std::uint64_t other_name = 0;   // names that are not .json.gz, .json, .jsonl, .ndjson or .gz
  std::uint64_t duplicate = 0;    // the same file reached a second time (a path given twice, nested roots, a
                                  // symbolic link and its target): read once
};

/// What pruning by the layout passed over (trailwatch/layout.hpp). Reported as input.pruned.
struct PruneCounts {
  std::uint64_t prefixes = 0;  // folders not entered: another account's or region's, or a year, month or day
                               // out of the window
  std::uint64_t files = 0;     // log files not read: delivered out of the window
};

/// Something about one path, for input.errors or input.warnings.
struct PathMessage {
  std::string path;
  std::string message;
  /// By path (the order inputs are read in), then by message with runs of digits compared as numbers, so
  /// that a file's "record 22" comes before its "record 106".
  bool operator<(const PathMessage& other) const;
  bool operator==(const PathMessage& other) const = default;
};

struct Discovery {
  std::vector<InputFile> files;  // sorted by path, so output is the same for any thread count
  SkipCounts skipped;
  PruneCounts pruned;
  std::vector<PathMessage> errors;  // arguments or directories that could not be read
  /// The accounts, regions and days of what pruning passed over (docs/design.md "Nothing in scope").
  SeenScope seen;
};

/// Where inputs live other than the local file system: an archive behind a URL-like argument (the aws unit
/// implements it for s3://). A source lists the inputs behind an argument and reads one input whole; what is
/// read then goes through the same inflate and records pipeline as a local file. Shared by all workers.
class InputSource {
 public:
  virtual ~InputSource() = default;
  /// True when `argument` names inputs of this source (e.g. it starts with "s3://").
  virtual bool handles(std::string_view argument) const = 0;
  /// Adds the inputs behind `argument` to `out.files` (each with `source` = this and `name` = its key after
  /// the argument's prefix, which decides its shard), what it passed over to `out.skipped` and `out.pruned`
  /// (and the accounts, regions and days pruning passed over to `out.seen`), and what it could not list, with
  /// the reason, to `out.errors`. discover_inputs prunes the files listed by their paths; a source that knows
  /// the Pruning can spare listing the prefixes it rules out.
  virtual void list(std::string_view argument, Discovery& out) const = 0;
  /// Replaces `bytes` with the input's bytes as stored (gzip or plain). More than `max_bytes` is an error.
  /// Returns an empty string, or the reason the input could not be read (it is then named in the report).
  /// Called from several worker threads at once.
  virtual std::string read(const InputFile& file, std::uint64_t max_bytes, std::string& bytes) const = 0;
  /// Called by a scan before its workers start, with this source's inputs in the order they will be asked
  /// for, each once, and the `max_bytes` read() will get: a source whose reads wait on the network fetches
  /// ahead, a bounded number at a time. The default does nothing.
  virtual void will_read(const std::vector<const InputFile*>& /*files*/, std::uint64_t /*max_bytes*/) const {}
  /// Called once the scan asks for nothing more, also when it was interrupted: what was announced and not
  /// read is abandoned. The default does nothing.
  virtual void done_reading() const {}
};

/// For the lifetime of a scan: announces the inputs of `inputs` to their sources in input order
/// (InputSource::will_read), and tells those sources when it ends (done_reading).
class AnnouncedReads {
 public:
  AnnouncedReads(const Discovery& inputs, std::uint64_t max_bytes);
  ~AnnouncedReads();
  AnnouncedReads(const AnnouncedReads&) = delete;
  AnnouncedReads& operator=(const AnnouncedReads&) = delete;

 private:
  std::vector<const InputSource*> sources_;
};

/// Why a directory walk passes over a file; Read when it reads it.
enum class NameVerdict { Read, Digest, Insight, Lake, OtherName };

/// The walk's verdict on a folder: Digest, Insight or Lake for `CloudTrail-Digest`, `CloudTrail-Insight` and
/// `CloudTrail-Lake`, whose trees it does not enter; else Read.
NameVerdict folder_verdict(std::string_view folder_name);

/// The walk's verdict on a file at `relative_name` (folders separated by '/', relative to the directory
/// argument): the verdict of the first folder on the way that is not entered, else Read for the names
/// is_log_file_name() accepts and OtherName for the rest. Sources that list keys (S3) judge them with it, so
/// that a listing and a walk of its local copy read the same files and count the same skips.
NameVerdict listed_name_verdict(std::string_view relative_name);

/// The counter of `skipped` that a verdict other than Read adds to.
std::uint64_t& skip_counter(SkipCounts& skipped, NameVerdict verdict);

/// Expands the command-line arguments: an argument some source in `sources` handles is listed by it; else a
/// file is read whatever its name, a directory is walked recursively (see docs/design.md "Reading input"),
/// "-" is stdin. A file reached twice is kept once (the copy of the earliest argument, then the smallest
/// path) and counted in skipped.duplicate. With `shard`, only that shard's files are kept, and what the walk
/// passed over or could not read is counted by the shard its name falls in, so the shards' counts add up to
/// an unsharded run's; an error about an argument itself is in every shard's. Files come out sorted by path,
/// so output is the same for any thread count. Inside a directory argument or a source's listing, `pruning`
/// decides which folders of the layout are entered and which log files are read (a file argument is read
/// whatever its name); what it passes over is counted in `pruned`, by shard too.
Discovery discover_inputs(const std::vector<std::string>& arguments,
                          const std::vector<const InputSource*>& sources = {},
                          std::optional<Shard> shard = std::nullopt, const Pruning& pruning = {});

/// True for the names a directory walk reads.
bool is_log_file_name(std::string_view name);

/// The bytes of one input, inflated if it was gzip.
struct LoadedBuffer {
  std::string_view data;  // followed by at least `padding` readable bytes
  std::uint64_t bytes_read = 0;
  std::uint64_t bytes_inflated = 0;  // 0 when the input was not gzip
  bool gzip = false;
  std::vector<std::string> warnings;
  std::string error;  // non-empty: unusable; `data` is empty
};

/// Limits that protect against hostile input: what one input may cost in memory.
struct LoaderOptions {
  /// The most bytes one input may hold once inflated (a plain file: its size). A file past it fails with a
  /// reason instead of exhausting memory (a gzip bomb inflates a thousandfold). A stream (stdin) is read in
  /// pieces that end on record boundaries, so there it bounds what one record or envelope may span.
  std::uint64_t max_inflated_bytes = std::uint64_t{4} << 30;
};

/// "4 GiB", "10 MiB", "1000 bytes": how limits are named in messages.
std::string byte_size_text(std::uint64_t bytes);

/// Reads and inflates inputs into buffers it reuses. One per worker thread.
class BufferLoader {
 public:
  /// `padding`: readable bytes guaranteed after every buffer handed out (for SIMD parsers).
  explicit BufferLoader(std::size_t padding, const LoaderOptions& options = {});
  ~BufferLoader();
  BufferLoader(const BufferLoader&) = delete;
  BufferLoader& operator=(const BufferLoader&) = delete;

  /// Loads `file`. The returned view stays valid until the next call.
  LoadedBuffer load(const InputFile& file);

  /// Inflates or passes through bytes already in memory (used for stdin and by tests). `name` decides only
  /// whether a plain buffer with a .gz name gets a warning.
  LoadedBuffer load_bytes(std::string_view name, std::string_view bytes);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Runs `work(worker, item)` for items 0..count-1 on `threads` workers (at least 1), each item exactly once,
/// handing items out in order as workers become free. Stops handing out new items once `stop` is set.
void run_workers(unsigned threads, std::size_t count, const std::function<void(unsigned, std::size_t)>& work,
                 const std::atomic<bool>* stop = nullptr);

/// The number of workers to use when the user did not say: one per core.
unsigned default_thread_count();

/// Reads a stream that cannot be loaded whole (stdin) in pieces that end on record boundaries, inflating gzip
/// on the fly, so memory stays bounded by `chunk_bytes` plus the largest single envelope. NDJSON is cut after
/// a newline; concatenated envelopes (`zcat *.json.gz`) are cut before a `{"Records"` that starts a new one.
class StreamChunker {
 public:
  /// A record or envelope longer than options.max_inflated_bytes is an error piece: an NDJSON line is skipped
  /// and reading goes on after it; an envelope ends the stream (what follows it cannot be delimited).
  StreamChunker(int fd, std::size_t chunk_bytes, std::size_t padding, const LoaderOptions& options = {});
  ~StreamChunker();
  StreamChunker(const StreamChunker&) = delete;
  StreamChunker& operator=(const StreamChunker&) = delete;

  /// Fills `out` with the next piece (valid until the next call). Returns false at the end of the stream, or
  /// with `out.error` set when the stream is damaged (nothing after the damage is read).
  /// bytes_read and bytes_inflated in `out` are what this piece consumed and produced.
  bool next(LoadedBuffer& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace trailwatch
