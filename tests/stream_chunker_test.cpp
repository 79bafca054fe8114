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
  std::uint64_t bytes_read = 0;
  std::uint64_t bytes_inflated = 0;
};

// Feeds `bytes` through a temporary file descriptor, as stdin would be.
Pieces chunk(const std::string& bytes, std::size_t chunk_bytes) {
  char name[] = "/tmp/tw_chunker_XXXXXX";
  int fd = ::mkstemp(name);
  EXPECT_GE(fd, 0);
  EXPECT_EQ(::write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  ::lseek(fd, 0, SEEK_SET);
  ::unlink(name);
  Pieces out;
  StreamChunker chunker(fd, chunk_bytes, 64);
  LoadedBuffer piece;
  while (chunker.next(piece)) {
    out.bytes_read += piece.bytes_read;
    out.bytes_inflated += piece.bytes_inflated;
    if (!piece.error.empty()) {
      out.error = piece.error;
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

TEST(StreamChunker, EmptyStreamHasNoPieces) {
  Pieces p = chunk("", 1000);
  EXPECT_TRUE(p.texts.empty());
  EXPECT_TRUE(p.error.empty());
}

}  // namespace
}  // namespace trailwatch
