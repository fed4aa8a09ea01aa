#include "proxy/route/router.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string_view>
#include <vector>

#include "common/commands/command_table.h"
#include "common/slot.h"
#include "config/config.h"
#include "proxy/route/slot_table.h"

namespace slotgate {
namespace {

const Endpoint kA{"127.0.0.1", 7001};
const Endpoint kB{"127.0.0.1", 7002};
const Endpoint kC{"127.0.0.1", 7003};
const Endpoint kA1{"127.0.0.1", 7004};
const Endpoint kC1{"127.0.0.1", 7006};

// Keys used below and their slots (Redis's CLUSTER KEYSLOT):
//   "bar" 5061 (A), "qux" 9995 (B), "foo" 12182 (C), "key:70" 16134 (unowned),
//   "user1000" 3443 (A).
//
// A: 0-5460, replica A1; B: 5461-10922, no replica; C: 10923-16000, replica C1;
// 16001-16383: no owner.
std::shared_ptr<const SlotTable> ThreeShards() {
  SlotTableBuilder builder;
  const size_t a = builder.AddShard(kA);
  const size_t b = builder.AddShard(kB);
  const size_t c = builder.AddShard(kC);
  builder.AddReplica(a, kA1);
  builder.AddReplica(c, kC1);
  builder.Assign({0, 5460}, a);
  builder.Assign({5461, 10922}, b);
  builder.Assign({10923, 16000}, c);
  return builder.Build(1);
}

class RouterTest : public testing::Test {
 protected:
  Route RouteOf(std::vector<std::string_view> args, ReadFrom read_from = ReadFrom::kMaster,
                bool admin_commands = true) {
    const CommandLookup lookup = CommandTable::Recorded()->Find(args);
    EXPECT_EQ(lookup.status, CommandLookup::Status::kFound) << args[0];
    if (lookup.command == nullptr) return Route{};
    const RouteContext context{read_from, &positions_, admin_commands};
    return RouteRequest(*table_, *lookup.command, args, context);
  }

  const Shard& ShardOf(const Endpoint& master) const {
    for (const Shard& shard : table_->shards()) {
      if (shard.master == master) return shard;
    }
    ADD_FAILURE() << "no shard for " << master.ToString();
    return table_->shards()[0];
  }

  std::shared_ptr<const SlotTable> table_ = ThreeShards();
  std::vector<uint32_t> positions_;
};

constexpr std::string_view kCrossSlotText = "CROSSSLOT Keys in request don't hash to the same slot";

TEST_F(RouterTest, PingIsAnsweredLocally) {
  const Route route = RouteOf({"PING"});
  EXPECT_EQ(route.kind, Route::Kind::kLocal);
  EXPECT_EQ(route.slot, -1);
  EXPECT_EQ(route.shard, nullptr);
  EXPECT_EQ(route.error, "");
}

TEST_F(RouterTest, ConnectionCommandsAreAnsweredLocally) {
  EXPECT_EQ(RouteOf({"SELECT", "0"}).kind, Route::Kind::kLocal);
  EXPECT_EQ(RouteOf({"ECHO", "hi"}).kind, Route::Kind::kLocal);
  EXPECT_EQ(RouteOf({"CLIENT", "SETNAME", "app"}).kind, Route::Kind::kLocal);
  EXPECT_EQ(RouteOf({"READONLY"}).kind, Route::Kind::kLocal);
}

TEST_F(RouterTest, TransactionCommandsGoToTheSessionEvenWithKeys) {
  EXPECT_EQ(RouteOf({"MULTI"}).kind, Route::Kind::kLocal);
  EXPECT_EQ(RouteOf({"EXEC"}).kind, Route::Kind::kLocal);
  // WATCH names keys in two slots: the session's transaction logic judges them, not the router.
  const Route watch = RouteOf({"WATCH", "foo", "bar"});
  EXPECT_EQ(watch.kind, Route::Kind::kLocal);
  EXPECT_EQ(watch.error, "");
}

TEST_F(RouterTest, SubscriptionsGoToTheSession) {
  EXPECT_EQ(RouteOf({"SUBSCRIBE", "news"}).kind, Route::Kind::kLocal);
  EXPECT_EQ(RouteOf({"PSUBSCRIBE", "n*"}).kind, Route::Kind::kLocal);
  EXPECT_EQ(RouteOf({"SSUBSCRIBE", "foo"}).kind, Route::Kind::kLocal);
}

TEST_F(RouterTest, ClusterCommandsAreRefusedAsByAServerWithoutClusterSupport) {
  const Route route = RouteOf({"CLUSTER", "NODES"});
  EXPECT_EQ(route.kind, Route::Kind::kError);
  EXPECT_EQ(route.error, "ERR This instance has cluster support disabled");
  EXPECT_EQ(RouteOf({"CLUSTER", "KEYSLOT", "foo"}).error,
            "ERR This instance has cluster support disabled");
}

TEST_F(RouterTest, ReplicationCommandsAreRefusedByTheProxy) {
  const Route route = RouteOf({"REPLICAOF", "NO", "ONE"});
  EXPECT_EQ(route.kind, Route::Kind::kError);
  EXPECT_EQ(route.error, "ERR proxy: replication commands are not available");
}

TEST_F(RouterTest, RefusalComesBeforeKeyRouting) {
  const Route route = RouteOf({"MOVE", "foo", "1"});
  EXPECT_EQ(route.kind, Route::Kind::kError);
  EXPECT_EQ(route.error, "ERR MOVE is not allowed in cluster mode");
  EXPECT_EQ(route.slot, -1);
}

TEST_F(RouterTest, DbsizeFansOut) {
  const Route route = RouteOf({"DBSIZE"});
  EXPECT_EQ(route.kind, Route::Kind::kFanOut);
  EXPECT_EQ(route.shard, nullptr);
}

TEST_F(RouterTest, ConfigSetFansOut) {
  EXPECT_EQ(RouteOf({"CONFIG", "SET", "maxmemory", "1gb"}).kind, Route::Kind::kFanOut);
}

TEST_F(RouterTest, WholeKeyspaceCommandsFanOut) {
  EXPECT_EQ(RouteOf({"KEYS", "user:*"}).kind, Route::Kind::kFanOut);
  EXPECT_EQ(RouteOf({"SCAN", "0"}).kind, Route::Kind::kFanOut);
  EXPECT_EQ(RouteOf({"FLUSHALL"}).kind, Route::Kind::kFanOut);
  EXPECT_EQ(RouteOf({"SCRIPT", "LOAD", "return 1"}).kind, Route::Kind::kFanOut);
}

TEST_F(RouterTest, KeylessCommandGoesToAnyMaster) {
  const Route route = RouteOf({"TIME"});
  EXPECT_EQ(route.kind, Route::Kind::kAnyMaster);
  EXPECT_EQ(route.slot, -1);
  EXPECT_EQ(route.shard, nullptr);
  EXPECT_FALSE(route.to_replica);
}

TEST_F(RouterTest, PublishGoesWhereSlotgatesSubscribersAre) {
  const Route route = RouteOf({"PUBLISH", "foo", "hello"});
  EXPECT_EQ(route.kind, Route::Kind::kAnyMaster);
  EXPECT_EQ(route.slot, kPubSubHomeSlot);
}

TEST(Router, PublishGoesToAnyMasterWhileTheHomeSlotIsUnserved) {
  SlotTableBuilder builder;
  builder.Assign({100, 16383}, builder.AddShard(kB));
  const auto table = builder.Build(1);
  std::vector<uint32_t> positions;
  const std::vector<std::string_view> args = {"PUBLISH", "foo", "hello"};
  const Route route = RouteRequest(*table, *CommandTable::Recorded()->Find(args).command, args,
                                   RouteContext{ReadFrom::kMaster, &positions, true});
  EXPECT_EQ(route.kind, Route::Kind::kAnyMaster);
  EXPECT_EQ(route.slot, -1);
}

TEST_F(RouterTest, EvalWithZeroKeysGoesToAnyMaster) {
  const Route route = RouteOf({"EVAL", "return 1", "0"});
  EXPECT_EQ(route.kind, Route::Kind::kAnyMaster);
  EXPECT_EQ(route.slot, -1);
}

// Redis finds no key either, routes to itself, and EVAL then refuses its numkeys.
TEST_F(RouterTest, EvalWhoseNumkeysExceedsItsArgumentsGoesToAnyMaster) {
  EXPECT_EQ(RouteOf({"EVAL", "return 1", "5", "foo"}).kind, Route::Kind::kAnyMaster);
}

TEST_F(RouterTest, SingleKeyGoesToTheMasterOwningItsSlot) {
  const Route route = RouteOf({"GET", "foo"});
  EXPECT_EQ(route.kind, Route::Kind::kSlot);
  EXPECT_EQ(route.slot, 12182);
  EXPECT_EQ(route.shard, &ShardOf(kC));
  EXPECT_FALSE(route.to_replica);
  EXPECT_EQ(route.error, "");
}

TEST_F(RouterTest, SubcommandKeyIsRoutedBySlot) {
  const Route route = RouteOf({"OBJECT", "ENCODING", "bar"});
  EXPECT_EQ(route.kind, Route::Kind::kSlot);
  EXPECT_EQ(route.slot, 5061);
  EXPECT_EQ(route.shard, &ShardOf(kA));
}

TEST_F(RouterTest, KeysInTwoSlotsAreRefusedWithCrossSlot) {
  const Route route = RouteOf({"RENAME", "foo", "bar"});
  EXPECT_EQ(route.kind, Route::Kind::kError);
  EXPECT_EQ(route.error, kCrossSlotText);
  EXPECT_EQ(route.slot, -1);
  EXPECT_EQ(route.shard, nullptr);
}

TEST_F(RouterTest, KeysInTwoSlotsOfTheSameMasterAreStillCrossSlot) {
  // "bar" 5061 and "user1000" 3443 are both A's, as in Redis the slot, not the node, decides.
  EXPECT_EQ(RouteOf({"SUNIONSTORE", "bar", "user1000"}).error, kCrossSlotText);
}

TEST_F(RouterTest, EvalWithKeysInTwoSlotsIsCrossSlot) {
  const Route route = RouteOf({"EVAL", "return 1", "2", "foo", "bar", "arg"});
  EXPECT_EQ(route.kind, Route::Kind::kError);
  EXPECT_EQ(route.error, kCrossSlotText);
}

TEST_F(RouterTest, StreamsInTwoSlotsAreCrossSlot) {
  EXPECT_EQ(RouteOf({"XREAD", "STREAMS", "foo", "bar", "0", "0"}).error, kCrossSlotText);
}

TEST_F(RouterTest, HashTagsPutKeysInOneSlot) {
  const Route route = RouteOf({"MSET", "{user1000}.following", "1", "{user1000}.followers", "2"});
  EXPECT_EQ(route.kind, Route::Kind::kSlot);
  EXPECT_EQ(route.slot, 3443);
  EXPECT_EQ(route.shard, &ShardOf(kA));
}

TEST_F(RouterTest, MultiKeyCommandInOneSlotGoesToItsOwner) {
  const Route route = RouteOf({"MGET", "{foo}a", "{foo}b", "foo"});
  EXPECT_EQ(route.kind, Route::Kind::kSlot);
  EXPECT_EQ(route.slot, 12182);
  EXPECT_EQ(route.shard, &ShardOf(kC));
}

TEST_F(RouterTest, EvalWithKeysGoesToTheirSlotsOwner) {
  const Route route = RouteOf({"EVAL", "return 1", "2", "{qux}:a", "qux", "not-a-key"});
  EXPECT_EQ(route.kind, Route::Kind::kSlot);
  EXPECT_EQ(route.slot, 9995);
  EXPECT_EQ(route.shard, &ShardOf(kB));
}

TEST_F(RouterTest, SpublishIsRoutedByTheChannelsSlot) {
  const Route route = RouteOf({"SPUBLISH", "foo", "hello"});
  EXPECT_EQ(route.kind, Route::Kind::kSlot);
  EXPECT_EQ(route.slot, 12182);
  EXPECT_EQ(route.shard, &ShardOf(kC));
}

TEST_F(RouterTest, KeyInAnUnownedSlotIsUnserved) {
  const Route route = RouteOf({"GET", "key:70"});
  EXPECT_EQ(route.kind, Route::Kind::kUnserved);
  EXPECT_EQ(route.slot, 16134);
  EXPECT_EQ(route.shard, nullptr);
  EXPECT_FALSE(route.to_replica);
}

TEST_F(RouterTest, CrossSlotIsReportedBeforeAnUnownedSlot) {
  EXPECT_EQ(RouteOf({"RENAME", "key:70", "foo"}).error, kCrossSlotText);
}

TEST_F(RouterTest, ReadGoesToAReplicaWhenReadFromPrefersReplicas) {
  const Route route = RouteOf({"GET", "foo"}, ReadFrom::kPreferReplica);
  EXPECT_EQ(route.kind, Route::Kind::kSlot);
  EXPECT_EQ(route.shard, &ShardOf(kC));
  EXPECT_TRUE(route.to_replica);
}

TEST_F(RouterTest, ReadGoesToAReplicaWhenReadFromIsReplica) {
  const Route route = RouteOf({"HGETALL", "bar"}, ReadFrom::kReplica);
  EXPECT_EQ(route.kind, Route::Kind::kSlot);
  EXPECT_EQ(route.shard, &ShardOf(kA));
  EXPECT_TRUE(route.to_replica);
}

TEST_F(RouterTest, ReadStaysOnTheMasterWhenReadFromIsMaster) {
  EXPECT_FALSE(RouteOf({"GET", "foo"}, ReadFrom::kMaster).to_replica);
}

TEST_F(RouterTest, WriteNeverGoesToAReplica) {
  const Route route = RouteOf({"SET", "foo", "1"}, ReadFrom::kReplica);
  EXPECT_EQ(route.kind, Route::Kind::kSlot);
  EXPECT_FALSE(route.to_replica);
  EXPECT_FALSE(RouteOf({"SET", "foo", "1"}, ReadFrom::kPreferReplica).to_replica);
}

TEST_F(RouterTest, ReadStaysOnTheMasterOfAShardWithoutReplicas) {
  const Route route = RouteOf({"GET", "qux"}, ReadFrom::kPreferReplica);
  EXPECT_EQ(route.kind, Route::Kind::kSlot);
  EXPECT_EQ(route.shard, &ShardOf(kB));
  EXPECT_FALSE(route.to_replica);
}

TEST_F(RouterTest, ReadOnlyScriptGoesToAReplicaButEvalDoesNot) {
  EXPECT_TRUE(RouteOf({"EVAL_RO", "return 1", "1", "foo"}, ReadFrom::kReplica).to_replica);
  EXPECT_FALSE(RouteOf({"EVAL", "return 1", "1", "foo"}, ReadFrom::kReplica).to_replica);
}

TEST_F(RouterTest, KeylessReadNeverAsksForAReplica) {
  const Route route = RouteOf({"LOLWUT"}, ReadFrom::kReplica);
  EXPECT_EQ(route.kind, Route::Kind::kAnyMaster);
  EXPECT_FALSE(route.to_replica);
}

TEST_F(RouterTest, BlockingCommandGoesToItsSlotsMaster) {
  const Route route = RouteOf({"BLPOP", "foo", "0"});
  EXPECT_EQ(route.kind, Route::Kind::kSlot);
  EXPECT_EQ(route.slot, 12182);
  EXPECT_EQ(route.shard, &ShardOf(kC));
  EXPECT_EQ(route.error, "");
}

TEST_F(RouterTest, BlockingCommandWithKeysInTwoSlotsIsCrossSlot) {
  const Route route = RouteOf({"BRPOP", "foo", "bar", "0"});
  EXPECT_EQ(route.kind, Route::Kind::kError);
  EXPECT_EQ(route.error, kCrossSlotText);
  EXPECT_EQ(RouteOf({"BLMOVE", "foo", "bar", "LEFT", "RIGHT", "0"}).error, kCrossSlotText);
}

TEST_F(RouterTest, BlockingCommandWithHashTaggedKeysGoesToTheirSlot) {
  const Route route = RouteOf({"BZMPOP", "0", "2", "{user1000}a", "{user1000}b", "MIN"});
  EXPECT_EQ(route.kind, Route::Kind::kSlot);
  EXPECT_EQ(route.slot, 3443);
  EXPECT_EQ(route.shard, &ShardOf(kA));
}

TEST_F(RouterTest, BlockingCommandInAnUnownedSlotIsUnserved) {
  const Route route = RouteOf({"BLPOP", "key:70", "0"});
  EXPECT_EQ(route.kind, Route::Kind::kUnserved);
  EXPECT_EQ(route.slot, 16134);
}

TEST_F(RouterTest, BlockingReadStaysOnTheMasterWhateverReadFromSays) {
  const Route route = RouteOf({"XREAD", "BLOCK", "0", "STREAMS", "foo", "$"}, ReadFrom::kReplica);
  EXPECT_EQ(route.kind, Route::Kind::kSlot);
  EXPECT_EQ(route.shard, &ShardOf(kC));
  EXPECT_FALSE(route.to_replica);
}

TEST_F(RouterTest, WaitGoesToAnyMaster) {
  const Route route = RouteOf({"WAIT", "1", "100"});
  EXPECT_EQ(route.kind, Route::Kind::kAnyMaster);
  EXPECT_FALSE(route.to_replica);
}

TEST_F(RouterTest, ConfigChangesAreRefusedWhenAdminCommandsAreOff) {
  const Route set = RouteOf({"CONFIG", "SET", "maxmemory", "1"}, ReadFrom::kMaster, false);
  EXPECT_EQ(set.kind, Route::Kind::kError);
  EXPECT_EQ(set.error, "ERR proxy: CONFIG SET is disabled (admin_commands: false)");
  EXPECT_EQ(RouteOf({"config", "resetstat"}, ReadFrom::kMaster, false).error,
            "ERR proxy: CONFIG RESETSTAT is disabled (admin_commands: false)");
  EXPECT_EQ(RouteOf({"Config", "Rewrite"}, ReadFrom::kMaster, false).error,
            "ERR proxy: CONFIG REWRITE is disabled (admin_commands: false)");
}

TEST_F(RouterTest, ConfigChangesFanOutWhenAdminCommandsAreOn) {
  EXPECT_EQ(RouteOf({"CONFIG", "SET", "maxmemory", "1"}).kind, Route::Kind::kFanOut);
  EXPECT_EQ(RouteOf({"CONFIG", "REWRITE"}).kind, Route::Kind::kFanOut);
}

TEST_F(RouterTest, ReadingTheConfigIsAllowedWhenAdminCommandsAreOff) {
  EXPECT_EQ(RouteOf({"CONFIG", "GET", "maxmemory"}, ReadFrom::kMaster, false).kind,
            Route::Kind::kFanOut);
  EXPECT_EQ(RouteOf({"GET", "foo"}, ReadFrom::kMaster, false).kind, Route::Kind::kSlot);
}

TEST_F(RouterTest, PerNodeIntrospectionIsRefused) {
  EXPECT_EQ(RouteOf({"LATENCY", "LATEST"}).error,
            "ERR proxy: LATENCY is per node; ask the nodes directly");
  EXPECT_EQ(RouteOf({"MEMORY", "STATS"}).kind, Route::Kind::kError);
  EXPECT_EQ(RouteOf({"LATENCY", "RESET"}).kind, Route::Kind::kFanOut);
  EXPECT_EQ(RouteOf({"LATENCY", "HELP"}).kind, Route::Kind::kAnyMaster);
}

TEST_F(RouterTest, SlowlogFansOut) {
  EXPECT_EQ(RouteOf({"SLOWLOG", "GET", "5"}).kind, Route::Kind::kFanOut);
  EXPECT_EQ(RouteOf({"SLOWLOG", "LEN"}).kind, Route::Kind::kFanOut);
  EXPECT_EQ(RouteOf({"SLOWLOG", "RESET"}).kind, Route::Kind::kFanOut);
}

TEST_F(RouterTest, RoutingReusesTheCallersKeyBuffer) {
  positions_.reserve(16);
  const uint32_t* storage = positions_.data();
  RouteOf({"MGET", "{foo}a", "{foo}b", "{foo}c"});
  EXPECT_EQ(positions_.data(), storage);
  EXPECT_THAT(positions_, testing::ElementsAre(1, 2, 3));
}

}  // namespace
}  // namespace slotgate
