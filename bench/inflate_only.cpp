// The throughput limit of a scan: read and inflate the same .gz files with libdeflate on N threads, discard
// the output. bench/compare.py reports every system as a ratio to this. Kept apart from trailwatch's code on
// purpose, so that it stays the bare minimum of work a scan cannot avoid.
//
// Usage: trailwatch_inflate_only [--threads N] PATH...   (directories are walked for *.gz files)
#include <libdeflate.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

std::vector<std::string> list_inputs(int argc, char** argv, unsigned& threads) {
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--threads" && i + 1 < argc) {
      threads = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
    } else if (std::filesystem::is_directory(arg)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(arg))
        if (entry.is_regular_file() && entry.path().extension() == ".gz")
          files.push_back(entry.path().string());
    } else {
      files.push_back(arg);
    }
  }
  return files;
}

bool read_file(const std::string& path, std::vector<char>& into) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return false;
  into.resize(static_cast<std::size_t>(in.tellg()));
  in.seekg(0);
  return static_cast<bool>(in.read(into.data(), static_cast<std::streamsize>(into.size())));
}

}  // namespace

int main(int argc, char** argv) {
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  const std::vector<std::string> files = list_inputs(argc, argv, threads);
  std::atomic<std::size_t> next{0};
  std::atomic<std::uint64_t> inflated{0};
  std::atomic<unsigned> failures{0};
  auto work = [&] {
    libdeflate_decompressor* decompressor = libdeflate_alloc_decompressor();
    std::vector<char> in;
    std::vector<char> out;
    std::uint64_t mine = 0;
    for (std::size_t i; (i = next.fetch_add(1)) < files.size();) {
      if (!read_file(files[i], in) || in.size() < 18) {
        ++failures;
        continue;
      }
      const auto* trailer = reinterpret_cast<const unsigned char*>(in.data() + in.size() - 4);
      std::size_t isize =
          trailer[0] | (trailer[1] << 8) | (trailer[2] << 16) | (static_cast<std::size_t>(trailer[3]) << 24);
      if (out.size() < isize + 1) out.resize(isize + 1);
      std::size_t n = 0;
      if (libdeflate_gzip_decompress(decompressor, in.data(), in.size(), out.data(), out.size(), &n) !=
          LIBDEFLATE_SUCCESS) {
        ++failures;
        continue;
      }
      mine += n;
    }
    inflated += mine;
    libdeflate_free_decompressor(decompressor);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work);
  for (auto& t : pool) t.join();
  std::printf("%zu files, %llu bytes inflated, %u failed\n", files.size(),
              static_cast<unsigned long long>(inflated.load()), failures.load());
  return failures.load() == 0 ? 0 : 1;
}
