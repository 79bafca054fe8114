// Inflate speed per inflater on the bundled sample archives (realistic CloudTrail JSON, not synthetic
// repetitions): the measurement behind the choice of libdeflate for whole files and zlib for streams.
#include <benchmark/benchmark.h>
#include <libdeflate.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#ifdef TW_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

namespace {

struct Sample {
  std::vector<std::string> files;
  std::size_t inflated_bytes = 0;
  std::size_t largest = 0;
};

std::uint32_t gzip_isize(const std::string& gz) {
  const auto* p = reinterpret_cast<const unsigned char*>(gz.data() + gz.size() - 4);
  return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

const Sample& sample() {
  static const Sample s = [] {
    Sample out;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(TW_TESTDATA "/sample")) {
      if (entry.path().extension() != ".gz") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::string gz{std::istreambuf_iterator<char>(in), {}};
      if (gz.size() < 18) continue;
      out.inflated_bytes += gzip_isize(gz);
      out.largest = std::max<std::size_t>(out.largest, gzip_isize(gz));
      out.files.push_back(std::move(gz));
    }
    return out;
  }();
  return s;
}

void report(benchmark::State& state) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * sample().inflated_bytes));
}

void BM_InflateZlib(benchmark::State& state) {
  std::vector<unsigned char> out(sample().largest + 1);
  for (auto _ : state) {
    for (const std::string& gz : sample().files) {
      z_stream z{};
      inflateInit2(&z, 16 + MAX_WBITS);
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
      z.avail_in = static_cast<uInt>(gz.size());
      z.next_out = out.data();
      z.avail_out = static_cast<uInt>(out.size());
      if (inflate(&z, Z_FINISH) != Z_STREAM_END) state.SkipWithError("zlib failed");
      inflateEnd(&z);
      benchmark::DoNotOptimize(out.data());
    }
  }
  report(state);
}
BENCHMARK(BM_InflateZlib);

void BM_InflateLibdeflate(benchmark::State& state) {
  std::vector<unsigned char> out(sample().largest + 1);
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  for (auto _ : state) {
    for (const std::string& gz : sample().files) {
      std::size_t n = 0;
      if (libdeflate_gzip_decompress(d, gz.data(), gz.size(), out.data(), out.size(), &n) !=
          LIBDEFLATE_SUCCESS)
        state.SkipWithError("libdeflate failed");
      benchmark::DoNotOptimize(out.data());
    }
  }
  libdeflate_free_decompressor(d);
  report(state);
}
BENCHMARK(BM_InflateLibdeflate);

#ifdef TW_HAVE_ISAL
void BM_InflateIsal(benchmark::State& state) {
  std::vector<unsigned char> out(sample().largest + 1);
  inflate_state s;
  for (auto _ : state) {
    for (const std::string& gz : sample().files) {
      isal_inflate_init(&s);
      s.crc_flag = ISAL_GZIP;
      s.next_in = reinterpret_cast<std::uint8_t*>(const_cast<char*>(gz.data()));
      s.avail_in = static_cast<std::uint32_t>(gz.size());
      s.next_out = out.data();
      s.avail_out = static_cast<std::uint32_t>(out.size());
      if (isal_inflate(&s) != ISAL_DECOMP_OK || s.block_state != ISAL_BLOCK_FINISH)
        state.SkipWithError("ISA-L failed");
      benchmark::DoNotOptimize(out.data());
    }
  }
  report(state);
}
BENCHMARK(BM_InflateIsal);
#endif

}  // namespace
