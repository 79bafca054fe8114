#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "gzip_fixture.hpp"
#include "trailwatch/ingest.hpp"

namespace trailwatch {
namespace {

using testing_support::gzip;

struct Pieces {
  std::vector<std::string> texts;
  std::string error;
  std::vector<std::string> errors;
  std::uint64_t bytes_read = 0;
  std::uint64_t bytes_inflated = 0;
};

// Feeds `bytes` through a temporary file descriptor, as stdin would be.
Pieces chunk(const std::string& bytes, std::size_t chunk_bytes, const LoaderOptions& options = {}) {
  char name[] = "/tmp/tw_chunker_XXXXXX";
  int fd = ::mkstemp(name);
  EXPECT_GE(fd, 0);
  EXPECT_EQ(::write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  ::lseek(fd, 0, SEEK_SET);
  ::unlink(name);
  Pieces out;
  StreamChunker chunker(fd, chunk_bytes, 64, options);
  LoadedBuffer piece;
  while (chunker.next(piece)) {
    out.bytes_read += piece.bytes_read;
    out.bytes_inflated += piece.bytes_inflated;
    if (!piece.error.empty()) {
      out.error = piece.error;
      out.errors.push_back(piece.error);
      continue;
    }
    out.texts.emplace_back(piece.data);
  }
  ::close(fd);
  return out;
}

std::string ndjson(int lines) {
  std::string s;
  for (int i = 0; i < lines; ++i)
    s += "{\"n\":" + std::to_string(i) + ",\"pad\":\"" + std::string(50, 'x') + "\"}\n";
  return s;
}

std::string joined(const Pieces& p) {
  std::string all;
  for (const auto& t : p.texts) all += t;
  return all;
}

TEST(StreamChunker, NdjsonIsCutAfterNewlines) {
  // Pieces grow by whole reads (1 MiB), so several MiB give several pieces.
  std::string text = ndjson(60000);
  Pieces p = chunk(text, 4096);
  EXPECT_TRUE(p.error.empty()) << p.error;
  EXPECT_GT(p.texts.size(), 2u);
  for (const auto& t : p.texts) EXPECT_EQ(t.back(), '\n');
  EXPECT_EQ(joined(p), text);
  EXPECT_EQ(p.bytes_read, text.size());
}

TEST(StreamChunker, ConcatenatedEnvelopesAreCutBeforeAnEnvelope) {
  std::string one = "{\"Records\":[" + std::string(30000, ' ') + "]}";
  std::string text;
  for (int i = 0; i < 100; ++i) text += one;
  Pieces p = chunk(text, 1000);
  EXPECT_GT(p.texts.size(), 2u);
  for (const auto& t : p.texts) EXPECT_TRUE(t.starts_with("{\"Records\"")) << t.substr(0, 20);
  EXPECT_EQ(joined(p), text);
}

TEST(StreamChunker, GzipMembersInflateAcrossReads) {
  std::string a = ndjson(3000), b = ndjson(10);
  Pieces p = chunk(gzip(a) + gzip(b), 1 << 12);
  EXPECT_TRUE(p.error.empty()) << p.error;
  EXPECT_EQ(joined(p), a + b);
  EXPECT_EQ(p.bytes_inflated, a.size() + b.size());
}

TEST(StreamChunker, ARecordLargerThanAChunkStaysWhole) {
  std::string big = "{\"pad\":\"" + std::string(100000, 'y') + "\"}\n";
  Pieces p = chunk(ndjson(2) + big + ndjson(2), 1000);
  EXPECT_EQ(joined(p), ndjson(2) + big + ndjson(2));
  bool whole = false;
  for (const auto& t : p.texts) whole |= t.find(big) != std::string::npos;
  EXPECT_TRUE(whole);
}

TEST(StreamChunker, DamagedGzipStreamsAreErrors) {
  std::string gz = gzip(ndjson(2000));
  EXPECT_NE(chunk(gz.substr(0, gz.size() / 2), 1 << 20).error.find("truncated"), std::string::npos);
  EXPECT_NE(chunk(gz + "junk", 1 << 20).error.find("trailing bytes"), std::string::npos);
  EXPECT_NE(chunk(gz + "j", 1 << 20).error.find("trailing bytes"), std::string::npos);
  std::string bad = gz;
  bad[bad.size() - 6] ^= 1;
  EXPECT_NE(chunk(bad, 1 << 20).error.find("CRC"), std::string::npos);
}

TEST(StreamChunker, AWrongHeaderCrcIsAnError) {
  Pieces right = chunk(testing_support::gzip_with_header_crc(ndjson(20), true), 1 << 20);
  EXPECT_EQ(right.error, "");
  EXPECT_EQ(joined(right), ndjson(20));
  EXPECT_EQ(chunk(testing_support::gzip_with_header_crc(ndjson(20), false), 1 << 20).error,
            "bad gzip header CRC");
}

TEST(StreamChunker, ALineLongerThanTheLimitIsSkipped) {
  const LoaderOptions options{.max_inflated_bytes = 1 << 20};
  const std::string big = "{\"pad\":\"" + std::string(3 << 20, 'y') + "\"}\n";
  for (bool compressed : {false, true}) {
    const std::string text = ndjson(2) + big + ndjson(3) + big + big + ndjson(1);
    Pieces p = chunk(compressed ? gzip(text) : text, 4096, options);
    ASSERT_EQ(p.errors.size(), 3u) << compressed;
    EXPECT_EQ(p.errors[0], "a line longer than the 1 MiB limit (--max-inflated-size); skipped");
    EXPECT_EQ(joined(p), ndjson(2) + ndjson(3) + ndjson(1)) << compressed;
    EXPECT_EQ(p.bytes_read, compressed ? gzip(text).size() : text.size());
  }
  // A line of exactly the limit (newline included) is read.
  const std::string fits = "{\"pad\":\"" + std::string((1 << 20) - 11, 'y') + "\"}\n";
  ASSERT_EQ(fits.size(), 1u << 20);
  Pieces p = chunk(ndjson(1) + fits + ndjson(1), 4096, options);
  EXPECT_TRUE(p.errors.empty()) << p.error;
  EXPECT_EQ(joined(p), ndjson(1) + fits + ndjson(1));
}

TEST(StreamChunker, AnEnvelopeLargerThanTheLimitEndsTheStream) {
  const std::string one = "{\"Records\":[" + std::string(1000, ' ') + "]}";
  const std::string big = "{\"Records\":[" + std::string(3 << 20, ' ') + "]}";
  Pieces p = chunk(one + big + one, 4096, LoaderOptions{.max_inflated_bytes = 1 << 20});
  EXPECT_EQ(
      p.error,
      "an envelope larger than the 1 MiB limit (--max-inflated-size); the rest of the stream is not read");
  EXPECT_EQ(joined(p), one);
}

TEST(StreamChunker, AGzipBombInflatesOnlyAsFarAsAPiece) {
  // 32 MiB of short lines from about 32 KiB of gzip: every piece stays near the limit, none holds the bomb.
  std::string lines;
  for (int i = 0; i < 1 << 16; ++i) lines += std::string(63, 'z') + "\n";
  std::string text;
  for (int i = 0; i < 8; ++i) text += lines;
  const std::size_t limit = 2 << 20;
  Pieces p = chunk(gzip(text), 64 << 20, LoaderOptions{.max_inflated_bytes = limit});
  EXPECT_TRUE(p.errors.empty()) << p.error;
  EXPECT_EQ(p.bytes_inflated, text.size());
  for (const auto& t : p.texts) ASSERT_LE(t.size(), limit + (2 << 20));
  EXPECT_GT(p.texts.size(), 8u);
}

TEST(StreamChunker, EmptyStreamHasNoPieces) {
  Pieces p = chunk("", 1000);
  EXPECT_TRUE(p.texts.empty());
  EXPECT_TRUE(p.error.empty());
}

}  // namespace
}  // namespace trailwatch
