#include "proxy/commands/scan_cursor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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
  *os << "{node " << position.node_index << ", cursor " << position.node_cursor << "}";
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

// DecodeScanCursor / EncodeScanCursor

TEST(ScanCursor, ZeroIsTheFirstMasterFromTheStart) {
  const std::optional<ScanPosition> position = DecodeScanCursor("0", 3);
  ASSERT_TRUE(position.has_value());
  EXPECT_EQ(position->node_index, 0u);
  EXPECT_EQ(position->node_cursor, 0u);
  EXPECT_EQ(EncodeScanCursor({0, 0}), 0u);
}

TEST(ScanCursor, MasterIndexIsInTheLowTenBits) {
  EXPECT_EQ(EncodeScanCursor({2, 0}), 2u);
  EXPECT_EQ(EncodeScanCursor({0, 1}), 1024u);
  EXPECT_EQ(EncodeScanCursor({2, 12345}), (12345u << 10) | 2u);
  EXPECT_EQ(EncodeScanCursor({1023, 1}), 2047u);
}

TEST(ScanCursor, EncodedCursorDecodesBackToTheSamePosition) {
  const std::vector<ScanPosition> positions = {
      {0, 0}, {1, 0}, {2, 7}, {2, 12345}, {1023, 99}, {5, (uint64_t{1} << 53) + 1}};
  for (const ScanPosition& in : positions) {
    const std::string text = std::to_string(EncodeScanCursor(in));
    const std::optional<ScanPosition> out = DecodeScanCursor(text, 1024);
    ASSERT_TRUE(out.has_value()) << text;
    EXPECT_EQ(out->node_index, in.node_index) << text;
    EXPECT_EQ(out->node_cursor, in.node_cursor) << text;
  }
}

TEST(ScanCursor, DecodeSplitsAClientCursor) {
  // 17409 = 17 << 10 | 1.
  const std::optional<ScanPosition> position = DecodeScanCursor("17409", 3);
  ASSERT_TRUE(position.has_value());
  EXPECT_EQ(position->node_index, 1u);
  EXPECT_EQ(position->node_cursor, 17u);
}

TEST(ScanCursor, NonNumberCursorIsInvalid) {
  EXPECT_EQ(DecodeScanCursor("abc", 3), std::nullopt);
  EXPECT_EQ(DecodeScanCursor("", 3), std::nullopt);
  EXPECT_EQ(DecodeScanCursor("12x", 3), std::nullopt);
  EXPECT_EQ(DecodeScanCursor("-1", 3), std::nullopt);
  EXPECT_EQ(DecodeScanCursor(" 1", 3), std::nullopt);
  EXPECT_EQ(DecodeScanCursor("1.5", 3), std::nullopt);
}

TEST(ScanCursor, CursorAboveSixtyFourBitsIsInvalid) {
  EXPECT_EQ(DecodeScanCursor("18446744073709551616", 3), std::nullopt);
}

TEST(ScanCursor, MasterIndexBeyondTheCountIsInvalid) {
  EXPECT_EQ(DecodeScanCursor("3", 3), std::nullopt);
  EXPECT_EQ(DecodeScanCursor("1029", 3), std::nullopt);  // index 5, master cursor 1
  EXPECT_EQ(DecodeScanCursor("0", 0), std::nullopt);
  EXPECT_TRUE(DecodeScanCursor("2", 3).has_value());
}

// RewriteScanReply

TEST(RewriteScanReply, MasterCursorIsReencodedWithTheMasterIndex) {
  EXPECT_EQ(RewriteScanReply(ScanReply("17", {"foo"}), 1, 3),
            "*2\r\n$5\r\n17409\r\n*1\r\n$3\r\nfoo\r\n");
}

TEST(RewriteScanReply, MasterDoneMovesToTheNextMaster) {
  EXPECT_EQ(RewriteScanReply(ScanReply("0", {"a", "b"}), 0, 3),
            "*2\r\n$1\r\n1\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n");
  EXPECT_EQ(RewriteScanReply(ScanReply("0", {}), 1, 3), "*2\r\n$1\r\n2\r\n*0\r\n");
}

TEST(RewriteScanReply, LastMasterDoneEndsTheIteration) {
  EXPECT_EQ(RewriteScanReply(ScanReply("0", {"z"}), 2, 3), "*2\r\n$1\r\n0\r\n*1\r\n$1\r\nz\r\n");
}

TEST(RewriteScanReply, SingleMasterCursorIsShiftedAndEndsWithZero) {
  EXPECT_EQ(RewriteScanReply(ScanReply("3", {}), 0, 1), "*2\r\n$4\r\n3072\r\n*0\r\n");
  EXPECT_EQ(RewriteScanReply(ScanReply("0", {}), 0, 1), "*2\r\n$1\r\n0\r\n*0\r\n");
}

TEST(RewriteScanReply, ErrorIsPassedOnAsItIs) {
  EXPECT_EQ(RewriteScanReply("-ERR syntax error\r\n", 1, 3), "-ERR syntax error\r\n");
}

// A cluster of three masters whose SCAN walks through fixed pages: each master maps the cursor
// it receives to the reply it sends.
TEST(RewriteScanReply, FullIterationVisitsEveryMasterOnceAndEndsWithZero) {
  const std::vector<std::map<uint64_t, std::string>> masters = {
      {{0, ScanReply("6", {"a1", "a2"})}, {6, ScanReply("0", {"a3"})}},
      {{0, ScanReply("0", {})}},
      {{0, ScanReply("9", {"c1"})}, {9, ScanReply("3", {})}, {3, ScanReply("0", {"c2"})}},
  };
  std::vector<std::pair<uint64_t, uint64_t>> visits;  // (master, its cursor)
  std::vector<std::string> keys;
  std::vector<std::string> client_cursors;
  std::string cursor = "0";
  for (int call = 0; call < 20; ++call) {
    const std::optional<ScanPosition> position = DecodeScanCursor(cursor, masters.size());
    ASSERT_TRUE(position.has_value()) << cursor;
    visits.emplace_back(position->node_index, position->node_cursor);
    const auto page = masters[position->node_index].find(position->node_cursor);
    ASSERT_NE(page, masters[position->node_index].end());
    auto [next, page_keys] =
        ParseScanReply(RewriteScanReply(page->second, position->node_index, masters.size()));
    keys.insert(keys.end(), page_keys.begin(), page_keys.end());
    client_cursors.push_back(next);
    cursor = next;
    if (cursor == "0") break;
  }
  using Visit = std::pair<uint64_t, uint64_t>;
  EXPECT_THAT(visits, ElementsAre(Visit{0, 0}, Visit{0, 6}, Visit{1, 0}, Visit{2, 0}, Visit{2, 9},
                                  Visit{2, 3}));
  EXPECT_THAT(client_cursors, ElementsAre("6144", "1", "2", "9218", "3074", "0"));
  EXPECT_THAT(keys, ElementsAre("$2\r\na1\r\n", "$2\r\na2\r\n", "$2\r\na3\r\n", "$2\r\nc1\r\n",
                                "$2\r\nc2\r\n"));
  // The final 0 starts over at the first master, as a new iteration.
  const std::optional<ScanPosition> again = DecodeScanCursor(cursor, masters.size());
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->node_index, 0u);
  EXPECT_EQ(again->node_cursor, 0u);
}

}  // namespace
}  // namespace slotgate
