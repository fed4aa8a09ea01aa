#include "common/commands/key_extraction.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include "common/commands/command_table.h"

namespace slotgate {
namespace {

using testing::ElementsAre;
using testing::IsEmpty;

std::vector<uint32_t> Keys(std::vector<std::string_view> args, KeyExtractionOptions options = {}) {
  const CommandLookup lookup = CommandTable::Recorded()->Find(args);
  EXPECT_EQ(lookup.status, CommandLookup::Status::kFound) << args[0];
  std::vector<uint32_t> positions;
  ExtractKeyPositions(*lookup.command, args, &positions, options);
  return positions;
}

TEST(KeyExtraction, FixedPositionCommands) {
  EXPECT_THAT(Keys({"GET", "k"}), ElementsAre(1));
  EXPECT_THAT(Keys({"SET", "k", "v", "EX", "10"}), ElementsAre(1));
  EXPECT_THAT(Keys({"RENAME", "a", "b"}), ElementsAre(1, 2));
  EXPECT_THAT(Keys({"OBJECT", "ENCODING", "k"}), ElementsAre(2));
}

TEST(KeyExtraction, StepCommands) {
  EXPECT_THAT(Keys({"MSET", "a", "1", "b", "2"}), ElementsAre(1, 3));
  EXPECT_THAT(Keys({"MGET", "a", "b", "c"}), ElementsAre(1, 2, 3));
  EXPECT_THAT(Keys({"BLPOP", "a", "b", "0"}), ElementsAre(1, 2));
}

TEST(KeyExtraction, NumkeysCommands) {
  EXPECT_THAT(Keys({"EVAL", "return 1", "2", "a", "b", "arg"}), ElementsAre(3, 4));
  EXPECT_THAT(Keys({"EVAL", "return 1", "0"}), IsEmpty());
  EXPECT_THAT(Keys({"ZUNIONSTORE", "dst", "2", "a", "b", "WEIGHTS", "1", "2"}),
              ElementsAre(1, 3, 4));
  EXPECT_THAT(Keys({"LMPOP", "2", "a", "b", "LEFT"}), ElementsAre(2, 3));
  EXPECT_THAT(Keys({"BLMPOP", "0", "1", "a", "LEFT"}), ElementsAre(3));
}

TEST(KeyExtraction, NumkeysThatDoesNotFitNamesNoKeys) {
  EXPECT_THAT(Keys({"EVAL", "return 1", "5", "a"}), IsEmpty());
  EXPECT_THAT(Keys({"EVAL", "return 1", "x", "a"}), IsEmpty());
  EXPECT_THAT(Keys({"ZUNIONSTORE", "dst", "-1", "a"}), IsEmpty());
}

TEST(KeyExtraction, KeywordCommands) {
  EXPECT_THAT(Keys({"XREAD", "COUNT", "2", "STREAMS", "s1", "s2", "0", "0"}), ElementsAre(4, 5));
  EXPECT_THAT(Keys({"XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"}), ElementsAre(5));
  EXPECT_THAT(Keys({"GEORADIUS", "src", "0", "0", "1", "km", "STORE", "dst"}), ElementsAre(1, 7));
  EXPECT_THAT(Keys({"GEORADIUS", "src", "0", "0", "1", "km"}), ElementsAre(1));
}

// Where XREADGROUP's spec finds a single argument after the STREAMS it searches from argument
// 4, Redis falls back to xreadGetKeys, which takes the first STREAMS after the options.
TEST(KeyExtraction, InvalidStreamsSpecFallsBackToRedisProcedure) {
  EXPECT_THAT(
      Keys({"XREADGROUP", "STREAMS", "k2", "2", "COUNT", "k5", "LIMIT", "0", "STREAMS", "STORE"}),
      ElementsAre(2, 3, 4, 5));
  EXPECT_THAT(Keys({"XREADGROUP", "COUNT", "1", "STREAMS", "a", "b", "STREAMS", "x"}),
              ElementsAre(4, 5));
  EXPECT_THAT(Keys({"XREADGROUP", "STREAMS", "a", "b", "c", "STREAMS", "x"}), IsEmpty());
  EXPECT_THAT(Keys({"XREADGROUP", "FOO", "1", "STREAMS", "a", "b", "STREAMS", "x"}), IsEmpty());
  EXPECT_THAT(Keys({"XREAD", "COUNT", "1", "BLOCK", "0", "NOACK", "STREAMS", "s"}), IsEmpty());
}

TEST(KeyExtraction, SortFindsItsStoreDestination) {
  EXPECT_THAT(Keys({"SORT", "k"}), ElementsAre(1));
  EXPECT_THAT(Keys({"SORT", "k", "BY", "w_*", "STORE", "dst"}), ElementsAre(1, 5));
  EXPECT_THAT(Keys({"SORT", "k", "LIMIT", "0", "10", "STORE", "a", "STORE", "b"}),
              ElementsAre(1, 8));
  EXPECT_THAT(Keys({"SORT_RO", "k", "BY", "x"}), ElementsAre(1));
}

TEST(KeyExtraction, MigrateWithKeysListsEveryKey) {
  EXPECT_THAT(Keys({"MIGRATE", "h", "1", "k", "0", "100"}), ElementsAre(3));
  EXPECT_THAT(Keys({"MIGRATE", "h", "1", "", "0", "100", "COPY", "KEYS", "a", "b"}),
              ElementsAre(8, 9));
  EXPECT_THAT(Keys({"MIGRATE", "h", "1", "", "0", "100", "AUTH", "keys", "KEYS", "a"}),
              ElementsAre(9));
  EXPECT_THAT(Keys({"MIGRATE", "h", "1", "k", "0", "100", "KEYS", "a"}), IsEmpty());
}

TEST(KeyExtraction, ShardedChannelsAreKeysOnlyWhenAsked) {
  EXPECT_THAT(Keys({"SPUBLISH", "ch", "msg"}), IsEmpty());
  EXPECT_THAT(Keys({"SPUBLISH", "ch", "msg"}, {.include_not_keys = true}), ElementsAre(1));
  EXPECT_THAT(Keys({"SSUBSCRIBE", "a", "b"}, {.include_not_keys = true}), ElementsAre(1, 2));
}

TEST(KeyExtraction, KeylessCommandsNameNoKeys) {
  EXPECT_THAT(Keys({"PING"}), IsEmpty());
  EXPECT_THAT(Keys({"CONFIG", "GET", "maxmemory"}), IsEmpty());
}

TEST(KeyExtraction, PositionsVectorIsReusedAcrossCalls) {
  const CommandInfo* mget = CommandTable::Recorded()->FindByName("mget");
  std::vector<uint32_t> positions;
  const std::vector<std::string_view> many = {"MGET", "a", "b", "c", "d"};
  ExtractKeyPositions(*mget, many, &positions);
  const size_t capacity = positions.capacity();
  const std::vector<std::string_view> one = {"MGET", "a"};
  ExtractKeyPositions(*mget, one, &positions);
  EXPECT_THAT(positions, ElementsAre(1));
  EXPECT_EQ(positions.capacity(), capacity);
}

}  // namespace
}  // namespace slotgate
