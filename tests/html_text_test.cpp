// Text in the HTML report: markup characters escaped, bytes that are not UTF-8 replaced, long text shortened
// on a character boundary.
#include <gtest/gtest.h>

#include "report/html_text.hpp"
#include "report/who_text.hpp"

namespace trailwatch::report {
namespace {

TEST(HtmlText, MarkupCharactersAreEscaped) {
  EXPECT_EQ(html(R"(<script>alert("x's & y")</script>)"),
            "&lt;script&gt;alert(&quot;x&#39;s &amp; y&quot;)&lt;/script&gt;");
}

TEST(HtmlText, InvalidUtf8AndControlCharactersBecomeReplacementCharacters) {
  EXPECT_EQ(html("a\xff"
                 "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(html("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
  EXPECT_EQ(html("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  EXPECT_EQ(html("x\x01y"), "x\xEF\xBF\xBDy");
  EXPECT_EQ(html("caf\xC3\xA9 \xF0\x9F\x94\x91"), "caf\xC3\xA9 \xF0\x9F\x94\x91");
}

TEST(HtmlText, ShortenedCutsOnCharacters) {
  EXPECT_EQ(shortened("abcdef", 10), "abcdef");
  EXPECT_EQ(shortened("abcdef", 3), "abc\u2026");
  EXPECT_EQ(shortened("\xC3\xA9\xC3\xA9\xC3\xA9", 2), "\xC3\xA9\xC3\xA9\u2026");
}

TEST(WhoText, TopCountsAreLargestFirstThenByName) {
  const WhoCountMap counts{{"b", 2}, {"a", 2}, {"c", 5}, {"d", 1}};
  const auto top = top_counts(counts, 3);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].first, "c");
  EXPECT_EQ(top[1].first, "a");
  EXPECT_EQ(top[2].first, "b");
  WhoCounts who;
  who.actors = counts;
  who.source_ips["1.2.3.4"] = 10;
  who.resources["(none)"] = 10;
  EXPECT_EQ(
      who_text(who),
      "who\n  actors    c (5), a (2), b (2) and 1 more\n  from      1.2.3.4 (10)\n  resources (none) (10)\n");
}

}  // namespace
}  // namespace trailwatch::report
