#include "common/acl/glob.h"

#include <gtest/gtest.h>

namespace slotgate {
namespace {

TEST(GlobMatch, LiteralsMatchOnlyThemselves) {
  EXPECT_TRUE(GlobMatch("key", "key"));
  EXPECT_FALSE(GlobMatch("key", "Key"));
  EXPECT_FALSE(GlobMatch("key", "keys"));
  EXPECT_FALSE(GlobMatch("keys", "key"));
  EXPECT_TRUE(GlobMatch("", ""));
  EXPECT_FALSE(GlobMatch("", "a"));
}

TEST(GlobMatch, StarMatchesAnyRunIncludingNone) {
  EXPECT_FALSE(GlobMatch("*", "")) << "Redis's matcher never matches an empty text";
  EXPECT_TRUE(GlobMatch("*", "anything"));
  EXPECT_TRUE(GlobMatch("cache:*", "cache:"));
  EXPECT_TRUE(GlobMatch("cache:*", "cache:user:1"));
  EXPECT_FALSE(GlobMatch("cache:*", "cach"));
  EXPECT_TRUE(GlobMatch("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(GlobMatch("a*b*c", "aXXbYY"));
  EXPECT_TRUE(GlobMatch("a**", "a"));
  EXPECT_TRUE(GlobMatch("*x", "xxx"));
}

TEST(GlobMatch, QuestionMarkMatchesOneByte) {
  EXPECT_TRUE(GlobMatch("h?llo", "hello"));
  EXPECT_FALSE(GlobMatch("h?llo", "hllo"));
  EXPECT_FALSE(GlobMatch("?", ""));
}

TEST(GlobMatch, ClassesRangesAndNegation) {
  EXPECT_TRUE(GlobMatch("h[ae]llo", "hallo"));
  EXPECT_FALSE(GlobMatch("h[ae]llo", "hillo"));
  EXPECT_TRUE(GlobMatch("h[^e]llo", "hallo"));
  EXPECT_FALSE(GlobMatch("h[^e]llo", "hello"));
  EXPECT_TRUE(GlobMatch("[a-c]x", "bx"));
  EXPECT_TRUE(GlobMatch("[c-a]x", "bx")) << "a reversed range is swapped, as in Redis";
  EXPECT_FALSE(GlobMatch("[a-c]x", "dx"));
  EXPECT_TRUE(GlobMatch("[\\]]", "]"));
}

TEST(GlobMatch, BackslashEscapes) {
  EXPECT_TRUE(GlobMatch("a\\*", "a*"));
  EXPECT_FALSE(GlobMatch("a\\*", "ab"));
  EXPECT_TRUE(GlobMatch("a\\?", "a?"));
}

TEST(GlobMatch, UnterminatedClassEndsAtThePatternsEnd) {
  EXPECT_TRUE(GlobMatch("[ab", "a"));
  EXPECT_TRUE(GlobMatch("[ab", "b"));
  EXPECT_FALSE(GlobMatch("[ab", "c"));
}

TEST(GlobMatch, ManyStarsAgainstALongMissStayFast) {
  const std::string text(10000, 'a');
  EXPECT_FALSE(GlobMatch("*a*a*a*a*a*a*a*a*a*a*b", text));
}

}  // namespace
}  // namespace slotgate
