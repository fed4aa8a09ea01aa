#include "proxy/commands/split_plan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/slot.h"

namespace slotgate {
namespace {

using testing::ElementsAre;
using testing::IsEmpty;

// Keys used below and their slots (Redis's CLUSTER KEYSLOT):
//   "foo" 12182, "bar" 5061, "qux" 9995, "{u}a" and "{u}b" 11826 (the slot of "u").
constexpr uint16_t kFooSlot = 12182;
constexpr uint16_t kBarSlot = 5061;
constexpr uint16_t kQuxSlot = 9995;
constexpr uint16_t kUSlot = 11826;

TEST(SplitBySlot, SlotsOfTheKeysUsedBelowAreTheOnesRedisComputes) {
  EXPECT_EQ(KeySlot("foo"), kFooSlot);
  EXPECT_EQ(KeySlot("bar"), kBarSlot);
  EXPECT_EQ(KeySlot("qux"), kQuxSlot);
  EXPECT_EQ(KeySlot("{u}a"), kUSlot);
  EXPECT_EQ(KeySlot("{u}b"), kUSlot);
}

TEST(SplitBySlot, MgetGetsOnePartPerSlotOrderedByFirstAppearance) {
  const std::vector<std::string_view> args = {"MGET", "foo", "{u}a", "bar", "{u}b"};
  const std::vector<uint32_t> keys = {1, 2, 3, 4};
  const std::vector<SplitPart> parts = SplitBySlot(args, keys, 1);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].slot, kFooSlot);
  EXPECT_EQ(parts[0].request, "*2\r\n$4\r\nMGET\r\n$3\r\nfoo\r\n");
  EXPECT_THAT(parts[0].key_order, ElementsAre(0u));
  EXPECT_EQ(parts[1].slot, kUSlot);
  EXPECT_EQ(parts[1].request, "*3\r\n$4\r\nMGET\r\n$4\r\n{u}a\r\n$4\r\n{u}b\r\n");
  EXPECT_THAT(parts[1].key_order, ElementsAre(1u, 3u));
  EXPECT_EQ(parts[2].slot, kBarSlot);
  EXPECT_EQ(parts[2].request, "*2\r\n$4\r\nMGET\r\n$3\r\nbar\r\n");
  EXPECT_THAT(parts[2].key_order, ElementsAre(2u));
}

TEST(SplitBySlot, KeysOfOneSlotKeepTheirOrderWithinTheirPart) {
  const std::vector<std::string_view> args = {"DEL", "{u}b", "foo", "{u}a", "{u}b"};
  const std::vector<uint32_t> keys = {1, 2, 3, 4};
  const std::vector<SplitPart> parts = SplitBySlot(args, keys, 1);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].slot, kUSlot);
  EXPECT_EQ(parts[0].request, "*4\r\n$3\r\nDEL\r\n$4\r\n{u}b\r\n$4\r\n{u}a\r\n$4\r\n{u}b\r\n");
  EXPECT_THAT(parts[0].key_order, ElementsAre(0u, 2u, 3u));
  EXPECT_EQ(parts[1].slot, kFooSlot);
  EXPECT_EQ(parts[1].request, "*2\r\n$3\r\nDEL\r\n$3\r\nfoo\r\n");
  EXPECT_THAT(parts[1].key_order, ElementsAre(1u));
}

TEST(SplitBySlot, KeysAllInOneSlotGiveOnePartWithTheWholeCommand) {
  const std::vector<std::string_view> args = {"EXISTS", "{u}a", "{u}b"};
  const std::vector<uint32_t> keys = {1, 2};
  const std::vector<SplitPart> parts = SplitBySlot(args, keys, 1);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].slot, kUSlot);
  EXPECT_EQ(parts[0].request, "*3\r\n$6\r\nEXISTS\r\n$4\r\n{u}a\r\n$4\r\n{u}b\r\n");
  EXPECT_THAT(parts[0].key_order, ElementsAre(0u, 1u));
}

TEST(SplitBySlot, RepeatedKeyStaysTwiceInItsPart) {
  const std::vector<std::string_view> args = {"MGET", "foo", "bar", "foo"};
  const std::vector<uint32_t> keys = {1, 2, 3};
  const std::vector<SplitPart> parts = SplitBySlot(args, keys, 1);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].request, "*3\r\n$4\r\nMGET\r\n$3\r\nfoo\r\n$3\r\nfoo\r\n");
  EXPECT_THAT(parts[0].key_order, ElementsAre(0u, 2u));
  EXPECT_EQ(parts[1].request, "*2\r\n$4\r\nMGET\r\n$3\r\nbar\r\n");
  EXPECT_THAT(parts[1].key_order, ElementsAre(1u));
}

TEST(SplitBySlot, MsetStepTwoCarriesEachValueWithItsKey) {
  const std::vector<std::string_view> args = {"MSET", "foo", "1",    "{u}a", "22",
                                              "bar",  "",    "{u}b", "4"};
  const std::vector<uint32_t> keys = {1, 3, 5, 7};
  const std::vector<SplitPart> parts = SplitBySlot(args, keys, 2);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].slot, kFooSlot);
  EXPECT_EQ(parts[0].request, "*3\r\n$4\r\nMSET\r\n$3\r\nfoo\r\n$1\r\n1\r\n");
  EXPECT_THAT(parts[0].key_order, ElementsAre(0u));
  EXPECT_EQ(parts[1].slot, kUSlot);
  EXPECT_EQ(parts[1].request,
            "*5\r\n$4\r\nMSET\r\n$4\r\n{u}a\r\n$2\r\n22\r\n$4\r\n{u}b\r\n$1\r\n4\r\n");
  EXPECT_THAT(parts[1].key_order, ElementsAre(1u, 3u));
  EXPECT_EQ(parts[2].slot, kBarSlot);
  EXPECT_EQ(parts[2].request, "*3\r\n$4\r\nMSET\r\n$3\r\nbar\r\n$0\r\n\r\n");
  EXPECT_THAT(parts[2].key_order, ElementsAre(2u));
}

TEST(SplitBySlot, MsetWithoutTheLastValueStopsAtTheEndOfTheArguments) {
  const std::vector<std::string_view> args = {"MSET", "foo", "1", "bar"};
  const std::vector<uint32_t> keys = {1, 3};
  const std::vector<SplitPart> parts = SplitBySlot(args, keys, 2);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].request, "*3\r\n$4\r\nMSET\r\n$3\r\nfoo\r\n$1\r\n1\r\n");
  EXPECT_EQ(parts[1].request, "*2\r\n$4\r\nMSET\r\n$3\r\nbar\r\n");
}

TEST(SplitBySlot, CommandNameIsForwardedAsTheClientSpeltIt) {
  const std::vector<std::string_view> args = {"mGeT", "foo", "bar"};
  const std::vector<uint32_t> keys = {1, 2};
  const std::vector<SplitPart> parts = SplitBySlot(args, keys, 1);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].request, "*2\r\n$4\r\nmGeT\r\n$3\r\nfoo\r\n");
  EXPECT_EQ(parts[1].request, "*2\r\n$4\r\nmGeT\r\n$3\r\nbar\r\n");
}

TEST(SplitBySlot, BinaryKeysAndValuesAreWrittenAsLengthPrefixedBulks) {
  using std::string_view_literals::operator""sv;
  const std::vector<std::string_view> args = {"MSET", "{u}\r\n", "a\0b"sv, "foo", "x"};
  const std::vector<uint32_t> keys = {1, 3};
  const std::vector<SplitPart> parts = SplitBySlot(args, keys, 2);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].slot, kUSlot);
  EXPECT_EQ(parts[0].request, "*3\r\n$4\r\nMSET\r\n$5\r\n{u}\r\n\r\n$3\r\na\0b\r\n"sv);
  EXPECT_EQ(parts[1].request, "*3\r\n$4\r\nMSET\r\n$3\r\nfoo\r\n$1\r\nx\r\n");
}

TEST(SplitBySlot, NoKeysGiveNoParts) {
  const std::vector<std::string_view> args = {"MGET"};
  EXPECT_THAT(SplitBySlot(args, {}, 1), IsEmpty());
}

TEST(SplitBySlot, EveryKeyInItsOwnSlotGivesOnePartPerKey) {
  const std::vector<std::string_view> args = {"TOUCH", "qux", "bar", "foo"};
  const std::vector<uint32_t> keys = {1, 2, 3};
  const std::vector<SplitPart> parts = SplitBySlot(args, keys, 1);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].slot, kQuxSlot);
  EXPECT_EQ(parts[1].slot, kBarSlot);
  EXPECT_EQ(parts[2].slot, kFooSlot);
  EXPECT_THAT(parts[0].key_order, ElementsAre(0u));
  EXPECT_THAT(parts[1].key_order, ElementsAre(1u));
  EXPECT_THAT(parts[2].key_order, ElementsAre(2u));
}

}  // namespace
}  // namespace slotgate
