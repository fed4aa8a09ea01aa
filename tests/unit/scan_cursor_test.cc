#include "proxy/commands/scan_cursor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/resp/writer.h"
#include "proxy/commands/reply_merge.h"

namespace slotgate {

void PrintTo(const ScanPosition& position, std::ostream* os) {
  *os << "{slot " << position.node.first_slot << ", check " << int{position.node.check}
      << ", cursor " << position.node_cursor << "}";
}

namespace {

using testing::ElementsAre;

// A SCAN reply as a master sends it: [cursor as a bulk, array of keys].
std::string ScanReply(std::string_view cursor, std::vector<std::string_view> keys) {
  std::string out;
  WriteArrayHeader(out, 2);
  WriteBulkString(out, cursor);
  WriteArrayHeader(out, keys.size());
  for (const std::string_view key : keys) WriteBulkString(out, key);
  return out;
}

// The cursor (as text) and the key bulks of a SCAN reply; fails the test on another shape.
std::pair<std::string, std::vector<std::string>> ParseScanReply(std::string_view reply) {
  std::vector<std::string_view> elements;
  if (!SplitArrayReply(reply, &elements) || elements.size() != 2) {
    ADD_FAILURE() << "not a SCAN reply: " << reply;
    return {};
  }
  const size_t body = elements[0].find("\r\n") + 2;
  std::string cursor(elements[0].substr(body, elements[0].size() - body - 2));
  std::vector<std::string_view> keys;
  EXPECT_TRUE(SplitArrayReply(elements[1], &keys));
  return {cursor, std::vector<std::string>(keys.begin(), keys.end())};
}

const ScanNode kFirst{0, 0x5A};
const ScanNode kSecond{5461, 0x01};
const ScanNode kThird{10923, 0xFF};

// DecodeScanCursor / EncodeScanCursor

TEST(ScanCursor, ZeroDecodesToTheStart) {
  const std::optional<ScanPosition> position = DecodeScanCursor("0");
  ASSERT_TRUE(position.has_value());
  EXPECT_EQ(position->node, ScanNode{});
  EXPECT_EQ(position->node_cursor, 0u);
}

TEST(ScanCursor, SlotInTheLowFourteenBitsThenTheCheckByteThenTheMastersCursor) {
  EXPECT_EQ(EncodeScanCursor({{5461, 0}, 0}), 5461u);
  EXPECT_EQ(EncodeScanCursor({{0, 1}, 0}), 1u << 14);
  EXPECT_EQ(EncodeScanCursor({{0, 0}, 1}), 1u << 22);
  EXPECT_EQ(EncodeScanCursor({{16383, 0xFF}, 12345}), (uint64_t{12345} << 22) | (0xFFu << 14) | 16383u);
}

TEST(ScanCursor, EncodedCursorDecodesBackToTheSamePosition) {
  const std::vector<ScanPosition> positions = {
      {kFirst, 0}, {kSecond, 0}, {kSecond, 7}, {kThird, 12345}, {kThird, (uint64_t{1} << 41) + 1}};
  for (const ScanPosition& in : positions) {
    const std::string text = std::to_string(EncodeScanCursor(in));
    const std::optional<ScanPosition> out = DecodeScanCursor(text);
    ASSERT_TRUE(out.has_value()) << text;
    EXPECT_EQ(out->node, in.node) << text;
    EXPECT_EQ(out->node_cursor, in.node_cursor) << text;
  }
}

TEST(ScanCursor, NonNumberCursorIsInvalid) {
  for (const std::string_view bad : {"abc", "", "12x", "-1", " 1", "1.5"}) {
    EXPECT_EQ(DecodeScanCursor(bad), std::nullopt) << bad;
  }
}

TEST(ScanCursor, CursorAboveSixtyFourBitsIsInvalid) {
  EXPECT_EQ(DecodeScanCursor("18446744073709551616"), std::nullopt);
}

TEST(ScanCursor, CheckByteDependsOnHostAndPort) {
  const uint8_t a = ScanCheckByte({"127.0.0.1", 7001});
  EXPECT_EQ(a, ScanCheckByte({"127.0.0.1", 7001}));
  int differing = 0;
  for (uint16_t port = 7002; port < 7034; ++port) {
    differing += ScanCheckByte({"127.0.0.1", port}) != a;
  }
  EXPECT_GE(differing, 30);  // a byte: a few collisions among 32 are possible, most differ
}

// RewriteScanReply

TEST(RewriteScanReply, MasterCursorIsReencodedWithTheMastersName) {
  EXPECT_EQ(RewriteScanReply(ScanReply("17", {"foo"}), kSecond, kThird),
            "*2\r\n$8\r\n71325013\r\n*1\r\n$3\r\nfoo\r\n");  // 17 << 22 | 1 << 14 | 5461
}

TEST(RewriteScanReply, MasterDoneMovesToTheNextMaster) {
  EXPECT_EQ(RewriteScanReply(ScanReply("0", {"a", "b"}), kFirst, kSecond),
            "*2\r\n$5\r\n21845\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n");  // 1 << 14 | 5461
}

TEST(RewriteScanReply, LastMasterDoneEndsTheIteration) {
  EXPECT_EQ(RewriteScanReply(ScanReply("0", {"z"}), kThird, std::nullopt),
            "*2\r\n$1\r\n0\r\n*1\r\n$1\r\nz\r\n");
}

TEST(RewriteScanReply, ErrorIsPassedOnAsItIs) {
  EXPECT_EQ(RewriteScanReply("-ERR syntax error\r\n", kSecond, kThird), "-ERR syntax error\r\n");
}

// A cluster of three masters whose SCAN walks through fixed pages: each master maps the cursor
// it receives to the reply it sends.
TEST(RewriteScanReply, FullIterationVisitsEveryMasterOnceAndEndsWithZero) {
  const std::vector<ScanNode> nodes = {kFirst, kSecond, kThird};
  const std::vector<std::map<uint64_t, std::string>> masters = {
      {{0, ScanReply("6", {"a1", "a2"})}, {6, ScanReply("0", {"a3"})}},
      {{0, ScanReply("0", {})}},
      {{0, ScanReply("9", {"c1"})}, {9, ScanReply("3", {})}, {3, ScanReply("0", {"c2"})}},
  };
  std::vector<std::pair<size_t, uint64_t>> visits;  // (master, its cursor)
  std::vector<std::string> keys;
  std::string cursor = "0";
  for (int call = 0; call < 20; ++call) {
    const std::optional<ScanPosition> position = DecodeScanCursor(cursor);
    ASSERT_TRUE(position.has_value()) << cursor;
    // "0" is the start: the first master.
    const ScanNode here = EncodeScanCursor(*position) == 0 ? nodes[0] : position->node;
    const size_t index = static_cast<size_t>(std::find(nodes.begin(), nodes.end(), here) -
                                             nodes.begin());
    ASSERT_LT(index, nodes.size()) << cursor;
    visits.emplace_back(index, position->node_cursor);
    const auto page = masters[index].find(position->node_cursor);
    ASSERT_NE(page, masters[index].end());
    const std::optional<ScanNode> next =
        index + 1 < nodes.size() ? std::optional(nodes[index + 1]) : std::nullopt;
    auto [next_cursor, page_keys] = ParseScanReply(RewriteScanReply(page->second, here, next));
    keys.insert(keys.end(), page_keys.begin(), page_keys.end());
    cursor = next_cursor;
    if (cursor == "0") break;
  }
  using Visit = std::pair<size_t, uint64_t>;
  EXPECT_THAT(visits, ElementsAre(Visit{0, 0}, Visit{0, 6}, Visit{1, 0}, Visit{2, 0}, Visit{2, 9},
                                  Visit{2, 3}));
  EXPECT_EQ(cursor, "0");
  EXPECT_THAT(keys, ElementsAre("$2\r\na1\r\n", "$2\r\na2\r\n", "$2\r\na3\r\n", "$2\r\nc1\r\n",
                                "$2\r\nc2\r\n"));
}

}  // namespace
}  // namespace slotgate
