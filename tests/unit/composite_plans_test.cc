#include "proxy/commands/composite_plans.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "common/commands/command_policy.h"
#include "common/commands/command_table.h"
#include "common/resp/writer.h"
#include "config/config.h"
#include "proxy/commands/reply_merge.h"
#include "proxy/commands/scan_cursor.h"
#include "proxy/route/slot_table.h"
#include "tests/unit/print_to.h"

namespace slotgate {

void PrintTo(MergeKind merge, std::ostream* os) {
  constexpr const char* kNames[] = {
      "kByKeyOrder",      "kSumIntegers", "kConcatArrays",  "kAndOfArrays", "kFirstUnlessError",
      "kFirstNonNull",    "kScanCursor",  "kAgree",         "kUnionArrays", "kSumPerName",
      "kPairsByKeyOrder", "kMinInteger",  "kNewestEntries", "kInfoKeyspace", "kAnyKilled"};
  const auto index = static_cast<size_t>(merge);
  if (index < std::size(kNames)) {
    *os << kNames[index];
  } else {
    *os << "MergeKind(" << index << ")";
  }
}

namespace {

using testing::ElementsAre;
using testing::IsEmpty;
using testing::UnorderedElementsAre;

const Endpoint kA{"127.0.0.1", 7001};
const Endpoint kB{"127.0.0.1", 7002};
const Endpoint kC{"127.0.0.1", 7003};
const Endpoint kA1{"127.0.0.1", 7004};
const Endpoint kC1{"127.0.0.1", 7006};

// Keys used below and their slots: "foo" 12182, "bar" 5061, "{u}a" and "{u}b" 11826.
//
// Shards added in the order C, A, B (not address order): C 10923-16383 with replica C1,
// A 0-5460 with replica A1, B 5461-10922. By address the masters are A, B, C.
std::shared_ptr<const SlotTable> ThreeShards() {
  SlotTableBuilder builder;
  const size_t c = builder.AddShard(kC);
  const size_t a = builder.AddShard(kA);
  const size_t b = builder.AddShard(kB);
  builder.AddReplica(a, kA1);
  builder.AddReplica(c, kC1);
  builder.Assign({0, 5460}, a);
  builder.Assign({5461, 10922}, b);
  builder.Assign({10923, 16383}, c);
  return builder.Build(1);
}

const CommandInfo& Resolve(std::span<const std::string_view> args) {
  const CommandLookup lookup = CommandTable::Recorded()->Find(args);
  EXPECT_EQ(lookup.status, CommandLookup::Status::kFound) << args[0];
  static const CommandInfo kNone;
  return lookup.command != nullptr ? *lookup.command : kNone;
}

std::string Command(std::vector<std::string_view> args) {
  std::string out;
  WriteCommand(out, args);
  return out;
}

std::vector<Endpoint> NodesOf(const CompositePlan& plan) {
  std::vector<Endpoint> nodes;
  for (const CompositePart& part : plan.parts) {
    EXPECT_TRUE(part.node.has_value());
    if (part.node) nodes.push_back(*part.node);
  }
  return nodes;
}

class CompositePlansTest : public testing::Test {
 protected:
  CompositePlan Split(std::vector<std::string_view> args, std::vector<uint32_t> key_positions) {
    return PlanSplit(Resolve(args), args, key_positions);
  }
  CompositePlan FanOut(std::vector<std::string_view> args) {
    return PlanFanOut(Resolve(args), args, *table_);
  }

  std::shared_ptr<const SlotTable> table_ = ThreeShards();
};

// PlanSplit

TEST_F(CompositePlansTest, MgetSplitsPerSlotAndMergesByKeyOrder) {
  const CompositePlan plan = Split({"MGET", "foo", "{u}a", "bar", "{u}b"}, {1, 2, 3, 4});
  EXPECT_EQ(plan.error, "");
  EXPECT_EQ(plan.merge, MergeKind::kByKeyOrder);
  EXPECT_EQ(plan.keys, 4u);
  ASSERT_EQ(plan.parts.size(), 3u);
  EXPECT_EQ(plan.parts[0].slot, 12182);
  EXPECT_EQ(plan.parts[0].node, std::nullopt);
  EXPECT_EQ(plan.parts[0].request, "*2\r\n$4\r\nMGET\r\n$3\r\nfoo\r\n");
  EXPECT_THAT(plan.parts[0].key_order, ElementsAre(0u));
  EXPECT_EQ(plan.parts[1].slot, 11826);
  EXPECT_EQ(plan.parts[1].node, std::nullopt);
  EXPECT_EQ(plan.parts[1].request, "*3\r\n$4\r\nMGET\r\n$4\r\n{u}a\r\n$4\r\n{u}b\r\n");
  EXPECT_THAT(plan.parts[1].key_order, ElementsAre(1u, 3u));
  EXPECT_EQ(plan.parts[2].slot, 5061);
  EXPECT_EQ(plan.parts[2].node, std::nullopt);
  EXPECT_EQ(plan.parts[2].request, "*2\r\n$4\r\nMGET\r\n$3\r\nbar\r\n");
  EXPECT_THAT(plan.parts[2].key_order, ElementsAre(2u));
}

TEST_F(CompositePlansTest, MgetPlanAndMergeGiveValuesInArgumentOrder) {
  const CompositePlan plan = Split({"MGET", "foo", "{u}a", "bar", "{u}b"}, {1, 2, 3, 4});
  ASSERT_EQ(plan.parts.size(), 3u);
  const std::vector<std::string> replies = {"*1\r\n$2\r\nv0\r\n", "*2\r\n$2\r\nv1\r\n$-1\r\n",
                                            "*1\r\n$2\r\nv2\r\n"};
  std::vector<std::vector<uint32_t>> orders;
  for (const CompositePart& part : plan.parts) orders.push_back(part.key_order);
  EXPECT_EQ(MergeByKeyOrder(replies, orders, plan.keys),
            "*4\r\n$2\r\nv0\r\n$2\r\nv1\r\n$2\r\nv2\r\n$-1\r\n");
}

TEST_F(CompositePlansTest, MsetCarriesValuesAndKeepsTheFirstReply) {
  const CompositePlan plan = Split({"MSET", "foo", "1", "bar", "2", "{u}a", "3"}, {1, 3, 5});
  EXPECT_EQ(plan.error, "");
  EXPECT_EQ(plan.merge, MergeKind::kFirstUnlessError);
  EXPECT_EQ(plan.keys, 3u);
  ASSERT_EQ(plan.parts.size(), 3u);
  EXPECT_EQ(plan.parts[0].request, "*3\r\n$4\r\nMSET\r\n$3\r\nfoo\r\n$1\r\n1\r\n");
  EXPECT_EQ(plan.parts[1].request, "*3\r\n$4\r\nMSET\r\n$3\r\nbar\r\n$1\r\n2\r\n");
  EXPECT_EQ(plan.parts[2].request, "*3\r\n$4\r\nMSET\r\n$4\r\n{u}a\r\n$1\r\n3\r\n");
}

TEST_F(CompositePlansTest, DelSplitsPerSlotAndSumsIntegers) {
  const CompositePlan plan = Split({"DEL", "foo", "bar", "{u}a"}, {1, 2, 3});
  EXPECT_EQ(plan.merge, MergeKind::kSumIntegers);
  EXPECT_EQ(plan.keys, 3u);
  ASSERT_EQ(plan.parts.size(), 3u);
  EXPECT_EQ(plan.parts[0].request, "*2\r\n$3\r\nDEL\r\n$3\r\nfoo\r\n");
  EXPECT_EQ(plan.parts[1].request, "*2\r\n$3\r\nDEL\r\n$3\r\nbar\r\n");
  EXPECT_EQ(plan.parts[2].request, "*2\r\n$3\r\nDEL\r\n$4\r\n{u}a\r\n");
}

TEST_F(CompositePlansTest, UnlinkExistsAndTouchSumIntegers) {
  for (const std::string_view name : {"UNLINK", "EXISTS", "TOUCH"}) {
    const CompositePlan plan = Split({name, "foo", "bar"}, {1, 2});
    EXPECT_EQ(plan.merge, MergeKind::kSumIntegers) << name;
    EXPECT_EQ(plan.parts.size(), 2u) << name;
  }
}

// PlanFanOut

TEST_F(CompositePlansTest, DbsizeGoesToEveryMasterOnceAndSums) {
  const CompositePlan plan = FanOut({"DBSIZE"});
  EXPECT_EQ(plan.error, "");
  EXPECT_EQ(plan.merge, MergeKind::kSumIntegers);
  EXPECT_THAT(NodesOf(plan), UnorderedElementsAre(kA, kB, kC));
  for (const CompositePart& part : plan.parts) {
    EXPECT_EQ(part.request, "*1\r\n$6\r\nDBSIZE\r\n");
    EXPECT_THAT(part.key_order, IsEmpty());
  }
}

TEST_F(CompositePlansTest, ConfigSetGoesToEveryNodeIncludingReplicas) {
  const CompositePlan plan = FanOut({"CONFIG", "SET", "maxmemory", "100mb"});
  EXPECT_EQ(plan.error, "");
  EXPECT_EQ(plan.merge, MergeKind::kFirstUnlessError);
  EXPECT_THAT(NodesOf(plan), UnorderedElementsAre(kA, kA1, kB, kC, kC1));
  for (const CompositePart& part : plan.parts) {
    EXPECT_EQ(part.request,
              "*4\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$9\r\nmaxmemory\r\n$5\r\n100mb\r\n");
  }
}

TEST_F(CompositePlansTest, KeysGoesToEveryMasterAndConcatenates) {
  const CompositePlan plan = FanOut({"KEYS", "user:*"});
  EXPECT_EQ(plan.error, "");
  EXPECT_EQ(plan.merge, MergeKind::kConcatArrays);
  EXPECT_THAT(NodesOf(plan), UnorderedElementsAre(kA, kB, kC));
  for (const CompositePart& part : plan.parts) {
    EXPECT_EQ(part.request, "*2\r\n$4\r\nKEYS\r\n$6\r\nuser:*\r\n");
  }
}

TEST_F(CompositePlansTest, EachFanOutCommandHasItsMerge) {
  struct Row {
    std::vector<std::string_view> args;
    MergeKind merge;
    size_t parts;
  };
  const std::vector<Row> rows = {
      {{"RANDOMKEY"}, MergeKind::kFirstNonNull, 3},
      {{"FLUSHALL"}, MergeKind::kFirstUnlessError, 3},
      {{"FLUSHDB"}, MergeKind::kFirstUnlessError, 3},
      {{"SCRIPT", "EXISTS", "abc"}, MergeKind::kAndOfArrays, 3},
      {{"SCRIPT", "LOAD", "return 1"}, MergeKind::kFirstUnlessError, 3},
      {{"PUBSUB", "CHANNELS"}, MergeKind::kUnionArrays, 3},
      {{"PUBSUB", "SHARDCHANNELS"}, MergeKind::kUnionArrays, 3},
      {{"PUBSUB", "NUMPAT"}, MergeKind::kSumIntegers, 3},
      {{"PUBSUB", "NUMSUB", "a", "b"}, MergeKind::kSumPerName, 3},
      {{"CONFIG", "RESETSTAT"}, MergeKind::kFirstUnlessError, 5},
      {{"CONFIG", "REWRITE"}, MergeKind::kFirstUnlessError, 5},
      {{"LASTSAVE"}, MergeKind::kMinInteger, 3},
      {{"BGSAVE"}, MergeKind::kFirstUnlessError, 3},
      {{"BGREWRITEAOF"}, MergeKind::kFirstUnlessError, 3},
      {{"SLOWLOG", "GET"}, MergeKind::kNewestEntries, 3},
      {{"SLOWLOG", "LEN"}, MergeKind::kSumIntegers, 3},
      {{"SLOWLOG", "RESET"}, MergeKind::kFirstUnlessError, 5},
      {{"LATENCY", "RESET"}, MergeKind::kSumIntegers, 5},
      {{"MEMORY", "PURGE"}, MergeKind::kFirstUnlessError, 5},
  };
  for (const Row& row : rows) {
    const CompositePlan plan = FanOut(row.args);
    EXPECT_EQ(plan.error, "") << row.args[0];
    EXPECT_EQ(plan.merge, row.merge) << row.args[0];
    EXPECT_EQ(plan.parts.size(), row.parts) << row.args[0];
  }
}

TEST_F(CompositePlansTest, KillsGoOutOfBandToEveryNodeReplicasIncluded) {
  for (const std::vector<std::string_view>& args :
       {std::vector<std::string_view>{"SCRIPT", "KILL"}, {"FUNCTION", "KILL"}}) {
    const CompositePlan plan = FanOut(args);
    EXPECT_EQ(plan.merge, MergeKind::kAnyKilled) << args[0];
    EXPECT_THAT(NodesOf(plan), UnorderedElementsAre(kA, kA1, kB, kC, kC1)) << args[0];
    for (const CompositePart& part : plan.parts) EXPECT_TRUE(part.out_of_band) << args[0];
  }
  for (const CompositePart& part : FanOut({"FLUSHALL"}).parts) EXPECT_FALSE(part.out_of_band);
}

TEST_F(CompositePlansTest, MasterPartsCarryTheMastersLowestSlotAndReplicaPartsNone) {
  const CompositePlan plan = FanOut({"CONFIG", "SET", "maxmemory", "0"});
  std::vector<std::pair<Endpoint, int>> parts;
  for (const CompositePart& part : plan.parts) parts.emplace_back(*part.node, part.slot);
  EXPECT_THAT(parts, UnorderedElementsAre(std::pair{kA, 0}, std::pair{kA1, -1},
                                          std::pair{kB, 5461}, std::pair{kC, 10923},
                                          std::pair{kC1, -1}));
  for (const CompositePart& part : FanOut({"SCAN", "0"}).parts) EXPECT_EQ(part.slot, -1);
}

TEST_F(CompositePlansTest, FanOutSkipsAMasterWithoutSlots) {
  SlotTableBuilder builder;
  builder.AddShard(kC);  // failed over: still listed, owns nothing
  builder.Assign({0, 16383}, builder.AddShard(kA));
  table_ = builder.Build(2);
  EXPECT_THAT(NodesOf(FanOut({"DBSIZE"})), ElementsAre(kA));
  EXPECT_THAT(NodesOf(FanOut({"SCAN", "0"})), ElementsAre(kA));
}

TEST_F(CompositePlansTest, UnsupportedFanOutCommandAnswersAnErrorWithNoPart) {
  CommandInfo module_command;
  module_command.name = "module.stats";
  module_command.policy = CommandPolicy::kAllMasters;
  const std::vector<std::string_view> args = {"MODULE.STATS"};
  const CompositePlan plan = PlanFanOut(module_command, args, *table_);
  EXPECT_EQ(plan.error, "ERR proxy: 'module.stats' on every node is not available yet");
  EXPECT_THAT(plan.parts, IsEmpty());
}

TEST_F(CompositePlansTest, EveryFanOutCommandOfRedis70HasAPlan) {
  const auto check = [&](const CommandInfo& cmd) {
    if (cmd.policy != CommandPolicy::kAllMasters && cmd.policy != CommandPolicy::kAllNodes) {
      return;
    }
    std::vector<std::string> words;
    std::string_view name = cmd.name;
    for (size_t bar; (bar = name.find('|')) != name.npos; name.remove_prefix(bar + 1)) {
      words.emplace_back(name.substr(0, bar));
    }
    words.emplace_back(name);
    words.emplace_back("0");  // SCAN's cursor; a harmless argument for the others
    const std::vector<std::string_view> args(words.begin(), words.end());
    const CompositePlan plan = PlanFanOut(cmd, args, *table_);
    EXPECT_EQ(plan.error, "") << cmd.name;
    EXPECT_FALSE(plan.parts.empty()) << cmd.name;
  };
  for (const auto& [name, cmd] : CommandTable::Recorded()->commands()) {
    check(cmd);
    for (const CommandInfo& sub : cmd.subcommands) check(sub);
  }
}

TEST_F(CompositePlansTest, ShardNumsubAsksEachChannelAtItsSlotAndKeepsArgumentOrder) {
  const CompositePlan plan = FanOut({"PUBSUB", "SHARDNUMSUB", "foo", "bar", "{u}a", "{u}b"});
  EXPECT_EQ(plan.error, "");
  EXPECT_EQ(plan.merge, MergeKind::kPairsByKeyOrder);
  EXPECT_EQ(plan.keys, 4u);
  ASSERT_EQ(plan.parts.size(), 3u);
  EXPECT_EQ(plan.parts[0].slot, 12182);
  EXPECT_EQ(plan.parts[0].request, Command({"PUBSUB", "SHARDNUMSUB", "foo"}));
  EXPECT_THAT(plan.parts[0].key_order, ElementsAre(0));
  EXPECT_EQ(plan.parts[1].slot, 5061);
  EXPECT_EQ(plan.parts[1].request, Command({"PUBSUB", "SHARDNUMSUB", "bar"}));
  EXPECT_EQ(plan.parts[2].slot, 11826);
  EXPECT_EQ(plan.parts[2].request, Command({"PUBSUB", "SHARDNUMSUB", "{u}a", "{u}b"}));
  EXPECT_THAT(plan.parts[2].key_order, ElementsAre(2, 3));
  for (const CompositePart& part : plan.parts) EXPECT_FALSE(part.node.has_value());
  const std::vector<std::string> replies = {"*2\r\n$3\r\nfoo\r\n:1\r\n",
                                            "*2\r\n$3\r\nbar\r\n:0\r\n",
                                            "*4\r\n$4\r\n{u}a\r\n:2\r\n$4\r\n{u}b\r\n:3\r\n"};
  EXPECT_EQ(MergeReplies(plan, replies, {}),
            "*8\r\n$3\r\nfoo\r\n:1\r\n$3\r\nbar\r\n:0\r\n$4\r\n{u}a\r\n:2\r\n"
            "$4\r\n{u}b\r\n:3\r\n");
}

TEST_F(CompositePlansTest, ShardNumsubWithoutChannelsHasNoPartAndAnswersAnEmptyArray) {
  const CompositePlan plan = FanOut({"PUBSUB", "SHARDNUMSUB"});
  EXPECT_EQ(plan.error, "");
  EXPECT_THAT(plan.parts, IsEmpty());
  EXPECT_EQ(MergeReplies(plan, {}, {}), "*0\r\n");
}

TEST_F(CompositePlansTest, SlowlogGetKeepsTheCountRedisWouldReturn) {
  EXPECT_EQ(FanOut({"SLOWLOG", "GET"}).keys, 10u);
  EXPECT_EQ(FanOut({"SLOWLOG", "GET", "3"}).keys, 3u);
  EXPECT_EQ(FanOut({"SLOWLOG", "GET", "0"}).keys, 0u);
  EXPECT_EQ(FanOut({"SLOWLOG", "GET", "-1"}).keys, SIZE_MAX);
  const CompositePlan plan = FanOut({"SLOWLOG", "GET", "3"});
  EXPECT_THAT(NodesOf(plan), UnorderedElementsAre(kA, kB, kC));
  EXPECT_EQ(plan.parts[0].request, Command({"SLOWLOG", "GET", "3"}));
}

TEST_F(CompositePlansTest, SlowlogResetReachesReplicasToo) {
  EXPECT_THAT(NodesOf(FanOut({"SLOWLOG", "RESET"})), UnorderedElementsAre(kA, kB, kC, kA1, kC1));
}

// INFO

TEST(InfoWantsKeyspace, DefaultAndCatchAllSectionsIncludeIt) {
  using Args = std::vector<std::string_view>;
  EXPECT_TRUE(InfoWantsKeyspace(Args{"INFO"}));
  EXPECT_TRUE(InfoWantsKeyspace(Args{"INFO", "keyspace"}));
  EXPECT_TRUE(InfoWantsKeyspace(Args{"info", "KEYSPACE"}));
  EXPECT_TRUE(InfoWantsKeyspace(Args{"INFO", "default"}));
  EXPECT_TRUE(InfoWantsKeyspace(Args{"INFO", "all"}));
  EXPECT_TRUE(InfoWantsKeyspace(Args{"INFO", "everything"}));
  EXPECT_TRUE(InfoWantsKeyspace(Args{"INFO", "server", "keyspace"}));
  EXPECT_FALSE(InfoWantsKeyspace(Args{"INFO", "server"}));
  EXPECT_FALSE(InfoWantsKeyspace(Args{"INFO", "keyspaces"}));
}

TEST_F(CompositePlansTest, InfoAsksEveryMasterForItsKeyspace) {
  const CompositePlan plan = PlanInfoKeyspace(*table_, "# Server\r\nredis_version:7.0.15\r\n");
  EXPECT_EQ(plan.merge, MergeKind::kInfoKeyspace);
  EXPECT_EQ(plan.prefix, "# Server\r\nredis_version:7.0.15\r\n");
  EXPECT_THAT(NodesOf(plan), UnorderedElementsAre(kA, kB, kC));
  for (const CompositePart& part : plan.parts) {
    EXPECT_EQ(part.request, Command({"INFO", "keyspace"}));
  }
  std::string keyspace;
  WriteBulkString(keyspace, "# Keyspace\r\ndb0:keys=2,expires=0,avg_ttl=0\r\n");
  std::string merged;
  WriteBulkString(merged,
                  "# Server\r\nredis_version:7.0.15\r\n\r\n"
                  "# Keyspace\r\ndb0:keys=6,expires=0,avg_ttl=0\r\n");
  EXPECT_EQ(MergeReplies(plan, std::vector<std::string>(3, keyspace), {}), merged);
}

TEST_F(CompositePlansTest, ConfigGetAsksEveryMasterAndNeedsTheirAgreement) {
  const CompositePlan plan = FanOut({"CONFIG", "GET", "maxmemory"});
  EXPECT_TRUE(plan.error.empty());
  EXPECT_EQ(plan.merge, MergeKind::kAgree);
  EXPECT_EQ(plan.parts.size(), 3u);
}

TEST(PlanFanOut, EmptyTableAnswersClusterDown) {
  SlotTableBuilder builder;
  const std::shared_ptr<const SlotTable> table = builder.Build(1);
  const std::vector<std::string_view> args = {"DBSIZE"};
  const CompositePlan plan = PlanFanOut(Resolve(args), args, *table);
  EXPECT_EQ(plan.error, "CLUSTERDOWN Hash slot not served");
  EXPECT_THAT(plan.parts, IsEmpty());
}

// SCAN

ScanNode NodeName(uint16_t first_slot, const Endpoint& master) {
  return {first_slot, ScanCheckByte(master)};
}

TEST_F(CompositePlansTest, ScanZeroGoesToTheMasterOfSlotZero) {
  const CompositePlan plan = FanOut({"SCAN", "0"});
  EXPECT_EQ(plan.error, "");
  EXPECT_EQ(plan.merge, MergeKind::kScanCursor);
  EXPECT_EQ(plan.scan.here, NodeName(0, kA));
  EXPECT_EQ(plan.scan.next, NodeName(5461, kB));
  ASSERT_EQ(plan.parts.size(), 1u);
  EXPECT_EQ(plan.parts[0].node, kA);
  EXPECT_EQ(plan.parts[0].slot, -1);
  EXPECT_EQ(plan.parts[0].request, "*2\r\n$4\r\nSCAN\r\n$1\r\n0\r\n");
}

TEST_F(CompositePlansTest, ScanCursorPinsTheMasterAndSubstitutesItsCursor) {
  const std::string cursor = std::to_string(EncodeScanCursor({NodeName(10923, kC), 77}));
  const CompositePlan plan = FanOut({"SCAN", cursor, "MATCH", "user:*", "COUNT", "100"});
  EXPECT_EQ(plan.error, "");
  EXPECT_EQ(plan.scan.here, NodeName(10923, kC));
  EXPECT_EQ(plan.scan.next, std::nullopt);
  ASSERT_EQ(plan.parts.size(), 1u);
  EXPECT_EQ(plan.parts[0].node, kC);
  EXPECT_EQ(plan.parts[0].request, Command({"SCAN", "77", "MATCH", "user:*", "COUNT", "100"}));
}

TEST_F(CompositePlansTest, ScanNonNumberCursorAnswersInvalidCursor) {
  const CompositePlan plan = FanOut({"SCAN", "abc"});
  EXPECT_EQ(plan.error, "ERR invalid cursor");
  EXPECT_THAT(plan.parts, IsEmpty());
}

TEST_F(CompositePlansTest, ScanCursorWhoseMasterNoLongerOwnsItsSlotIsRefused) {
  const std::string on_b = std::to_string(EncodeScanCursor({NodeName(5461, kB), 9}));
  // B failed over to a replica at another address, which now owns B's slots.
  SlotTableBuilder builder;
  const Endpoint promoted{"127.0.0.1", 7005};
  builder.Assign({0, 5460}, builder.AddShard(kA));
  builder.AddShard(kB);
  builder.Assign({5461, 10922}, builder.AddShard(promoted));
  builder.Assign({10923, 16383}, builder.AddShard(kC));
  table_ = builder.Build(2);
  const CompositePlan plan = FanOut({"SCAN", on_b});
  EXPECT_EQ(plan.error,
            "ERR proxy: the master this SCAN cursor was on no longer owns its slots (failover or "
            "resharding); start the SCAN again from 0");
  EXPECT_THAT(plan.parts, IsEmpty());
}

TEST_F(CompositePlansTest, ScanCursorKeepsItsMasterWhenAnotherMasterComesOrGoes) {
  const std::string on_c = std::to_string(EncodeScanCursor({NodeName(10923, kC), 9}));
  SlotTableBuilder builder;  // A's slots went to B; C is untouched
  builder.Assign({0, 10922}, builder.AddShard(kB));
  builder.Assign({10923, 16383}, builder.AddShard(kC));
  table_ = builder.Build(2);
  const CompositePlan plan = FanOut({"SCAN", on_c});
  ASSERT_EQ(plan.error, "");
  EXPECT_EQ(plan.parts[0].node, kC);
  EXPECT_EQ(plan.parts[0].request, Command({"SCAN", "9"}));
}

// A full SCAN through the plan and the reply rewrite: masters by lowest slot A, B, C, each
// finishing in one page except A, which takes two.
TEST_F(CompositePlansTest, ScanIterationWalksMastersInSlotOrderThenBackToTheFirst) {
  const auto reply_of = [](const Endpoint& node, const std::string& request) -> std::string {
    if (node == kA && request == Command({"SCAN", "0"})) return "*2\r\n$1\r\n5\r\n*0\r\n";
    if (node == kA && request == Command({"SCAN", "5"})) return "*2\r\n$1\r\n0\r\n*0\r\n";
    if (node == kB && request == Command({"SCAN", "0"})) return "*2\r\n$1\r\n0\r\n*0\r\n";
    if (node == kC && request == Command({"SCAN", "0"})) return "*2\r\n$1\r\n0\r\n*0\r\n";
    ADD_FAILURE() << node.ToString() << " got " << request;
    return "-ERR unexpected\r\n";
  };
  std::vector<Endpoint> visited;
  std::string cursor = "0";
  for (int call = 0; call < 10; ++call) {
    const CompositePlan plan = FanOut({"SCAN", cursor});
    ASSERT_EQ(plan.error, "") << cursor;
    ASSERT_EQ(plan.parts.size(), 1u);
    ASSERT_TRUE(plan.parts[0].node.has_value());
    visited.push_back(*plan.parts[0].node);
    const std::string reply = RewriteScanReply(reply_of(*plan.parts[0].node, plan.parts[0].request),
                                               plan.scan.here, plan.scan.next);
    std::vector<std::string_view> elements;
    ASSERT_TRUE(SplitArrayReply(reply, &elements));
    ASSERT_EQ(elements.size(), 2u);
    const size_t body = elements[0].find("\r\n") + 2;
    cursor = std::string(elements[0].substr(body, elements[0].size() - body - 2));
    if (cursor == "0") break;
  }
  EXPECT_THAT(visited, ElementsAre(kA, kA, kB, kC));
  EXPECT_EQ(cursor, "0");
  // The client's next SCAN 0 is a new iteration, on the first master again.
  const CompositePlan again = FanOut({"SCAN", cursor});
  ASSERT_EQ(again.parts.size(), 1u);
  EXPECT_EQ(again.parts[0].node, kA);
}

}  // namespace
}  // namespace slotgate
