#include "common/slot.h"

#include <gtest/gtest.h>

namespace slotgate {
namespace {

TEST(Crc16, MatchesTheXmodemCheckValue) { EXPECT_EQ(Crc16("123456789"), 0x31C3); }

TEST(KeySlot, MatchesRedisForPlainKeys) {
  EXPECT_EQ(KeySlot("foo"), 12182);
  EXPECT_EQ(KeySlot("bar"), 5061);
  EXPECT_EQ(KeySlot(""), 0);
}

TEST(KeySlot, KeysWithTheSameTagShareASlot) {
  EXPECT_EQ(KeySlot("{user1000}.following"), KeySlot("{user1000}.followers"));
  EXPECT_EQ(KeySlot("{user1000}.following"), KeySlot("user1000"));
}

TEST(HashTag, EmptyTagHashesTheWholeKey) { EXPECT_EQ(HashTag("foo{}{bar}"), "foo{}{bar}"); }

TEST(HashTag, TagEndsAtTheFirstCloseBrace) { EXPECT_EQ(HashTag("foo{{bar}}zap"), "{bar"); }

TEST(HashTag, OnlyTheFirstTagCounts) { EXPECT_EQ(HashTag("foo{bar}{zap}"), "bar"); }

TEST(HashTag, UnclosedBraceHashesTheWholeKey) { EXPECT_EQ(HashTag("foo{bar"), "foo{bar"); }

TEST(HashTag, BinaryBytesAreHashedAsIs) {
  const std::string key("a{\0\xff}b", 6);
  EXPECT_EQ(HashTag(key), std::string_view("\0\xff", 2));
}

}  // namespace
}  // namespace slotgate
