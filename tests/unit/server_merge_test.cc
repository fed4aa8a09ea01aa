#include "proxy/commands/server_merge.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/resp/writer.h"

namespace slotgate {
namespace {

using Replies = std::vector<std::string>;

std::string Bulk(std::string_view text) {
  std::string out;
  WriteBulkString(out, text);
  return out;
}

// One SLOWLOG GET entry as Redis 7 writes it: id, unix time, microseconds, arguments, client
// address, client name.
std::string Entry(int64_t id, int64_t timestamp, std::string_view command) {
  std::string out;
  WriteArrayHeader(out, 6);
  WriteInteger(out, id);
  WriteInteger(out, timestamp);
  WriteInteger(out, 15000);
  WriteArrayHeader(out, 1);
  WriteBulkString(out, command);
  WriteBulkString(out, "127.0.0.1:50000");
  WriteBulkString(out, "");
  return out;
}

std::string Log(std::vector<std::string> entries) {
  std::string out;
  WriteArrayHeader(out, entries.size());
  for (const std::string& entry : entries) out += entry;
  return out;
}

// NewestSlowlogEntries

TEST(NewestSlowlogEntries, EntriesOfAllPartsAreSortedNewestFirst) {
  const Replies replies = {Log({Entry(1, 300, "a"), Entry(0, 100, "b")}),
                           Log({Entry(7, 200, "c")})};
  EXPECT_EQ(NewestSlowlogEntries(replies, 10),
            Log({Entry(1, 300, "a"), Entry(7, 200, "c"), Entry(0, 100, "b")}));
}

TEST(NewestSlowlogEntries, TheCountCutsTheMergedLog) {
  const Replies replies = {Log({Entry(1, 300, "a"), Entry(0, 100, "b")}),
                           Log({Entry(7, 200, "c")})};
  EXPECT_EQ(NewestSlowlogEntries(replies, 2), Log({Entry(1, 300, "a"), Entry(7, 200, "c")}));
  EXPECT_EQ(NewestSlowlogEntries(replies, 0), "*0\r\n");
}

TEST(NewestSlowlogEntries, EqualTimesKeepPartOrder) {
  const Replies replies = {Log({Entry(2, 100, "a"), Entry(1, 100, "b")}),
                           Log({Entry(5, 100, "c")})};
  EXPECT_EQ(NewestSlowlogEntries(replies, 10),
            Log({Entry(2, 100, "a"), Entry(1, 100, "b"), Entry(5, 100, "c")}));
}

TEST(NewestSlowlogEntries, FirstErrorOfAnyPartWins) {
  EXPECT_EQ(NewestSlowlogEntries(Replies{"*0\r\n", "-ERR count should be greater than or equal "
                                                   "to -1\r\n"},
                                 10),
            "-ERR count should be greater than or equal to -1\r\n");
}

TEST(NewestSlowlogEntries, EntryWithoutATimeGivesProxyError) {
  EXPECT_EQ(NewestSlowlogEntries(Replies{"*1\r\n:1\r\n"}, 10),
            "-ERR proxy: a part of the request got an unexpected reply\r\n");
}

// MergeInfoKeyspace

TEST(MergeInfoKeyspace, KeysAndExpiresAreSummedAfterTheLocalSections) {
  const Replies replies = {Bulk("# Keyspace\r\ndb0:keys=3,expires=1,avg_ttl=1000\r\n"),
                           Bulk("# Keyspace\r\ndb0:keys=5,expires=3,avg_ttl=5000\r\n"),
                           Bulk("# Keyspace\r\n")};
  // avg_ttl: (1000 * 1 + 5000 * 3) / 4 = 4000, each master's average weighted by its expires.
  EXPECT_EQ(MergeInfoKeyspace("# Server\r\nredis_version:7.0.15\r\n", replies),
            Bulk("# Server\r\nredis_version:7.0.15\r\n\r\n"
                 "# Keyspace\r\ndb0:keys=8,expires=4,avg_ttl=4000\r\n"));
}

TEST(MergeInfoKeyspace, NoKeysLeavesOutTheDbLineAsRedisDoes) {
  const Replies replies = {Bulk("# Keyspace\r\n"), Bulk("# Keyspace\r\n")};
  EXPECT_EQ(MergeInfoKeyspace("# Server\r\nx:1\r\n", replies),
            Bulk("# Server\r\nx:1\r\n\r\n# Keyspace\r\n"));
}

TEST(MergeInfoKeyspace, WithoutLocalSectionsTheKeyspaceIsTheWholeText) {
  EXPECT_EQ(MergeInfoKeyspace("", Replies{Bulk("# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n")}),
            Bulk("# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n"));
}

TEST(MergeInfoKeyspace, NoPartsGiveAnEmptyKeyspace) {
  EXPECT_EQ(MergeInfoKeyspace("", {}), Bulk("# Keyspace\r\n"));
}

TEST(MergeInfoKeyspace, OtherDatabasesAreNotReachableSoNotCounted) {
  const Replies replies = {
      Bulk("# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\ndb3:keys=9,expires=0,avg_ttl=0\r\n")};
  EXPECT_EQ(MergeInfoKeyspace("", replies), Bulk("# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n"));
}

TEST(MergeInfoKeyspace, CountsANewerServerAddsAreSummedToo) {
  const Replies replies = {
      Bulk("# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=10,subexpiry=1\r\n"),
      Bulk("# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=30,subexpiry=2\r\n")};
  EXPECT_EQ(MergeInfoKeyspace("", replies),
            Bulk("# Keyspace\r\ndb0:keys=4,expires=2,avg_ttl=20,subexpiry=3\r\n"));
}

TEST(MergeInfoKeyspace, VerbatimPartsGiveAVerbatimReply) {
  std::string part;
  WriteVerbatim(part, "txt", "# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n");
  std::string merged;
  WriteVerbatim(merged, "txt", "# Keyspace\r\ndb0:keys=2,expires=0,avg_ttl=0\r\n");
  EXPECT_EQ(MergeInfoKeyspace("", Replies{part, part}), merged);
}

TEST(MergeInfoKeyspace, AMasterThatAnsweredAnErrorIsLeftOutAndCounted) {
  const Replies replies = {Bulk("# Keyspace\r\ndb0:keys=3,expires=0,avg_ttl=0\r\n"),
                           "-BUSY Redis is busy running a script.\r\n",
                           "-ERR proxy: cannot reach 127.0.0.1:1\r\n"};
  EXPECT_EQ(MergeInfoKeyspace("# Server\r\nx:1\r\n", replies),
            Bulk("# Server\r\nx:1\r\n\r\n# Keyspace\r\ndb0:keys=3,expires=0,avg_ttl=0\r\n"
                 "slotgate_masters_not_counted:2\r\n"));
}

TEST(MergeInfoKeyspace, MalformedLineGivesProxyError) {
  EXPECT_EQ(MergeInfoKeyspace("", Replies{Bulk("# Keyspace\r\ndb0:keys\r\n")}),
            "-ERR proxy: a part of the request got an unexpected reply\r\n");
  EXPECT_EQ(MergeInfoKeyspace("", Replies{":1\r\n"}),
            "-ERR proxy: a part of the request got an unexpected reply\r\n");
}

}  // namespace
}  // namespace slotgate
