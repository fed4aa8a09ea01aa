#include "proxy/route/slot_table.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <ostream>

#include "common/slot.h"
#include "config/config.h"
#include "tests/unit/print_to.h"

namespace slotgate {
namespace {

using testing::ElementsAre;
using testing::IsEmpty;

const Endpoint kA{"127.0.0.1", 7001};
const Endpoint kB{"127.0.0.1", 7002};
const Endpoint kC{"127.0.0.1", 7003};
const Endpoint kA1{"127.0.0.1", 7004};
const Endpoint kA2{"127.0.0.1", 7005};

// A: 0-5460 with replicas A1, A2; B: 5461-10922; 10923-16383 unowned; slot 100 migrating A -> B.
std::shared_ptr<const SlotTable> TwoShards(uint64_t version = 1) {
  SlotTableBuilder builder;
  const size_t a = builder.AddShard(kA);
  const size_t b = builder.AddShard(kB);
  builder.AddReplica(a, kA1);
  builder.AddReplica(a, kA2);
  builder.Assign({0, 5460}, a);
  builder.Assign({5461, 10922}, b);
  builder.AddMigration({100, kA, kB});
  return builder.Build(version);
}

TEST(SlotTableBuilder, AssignedSlotsGoToTheirShardAndTheRestAreUnowned) {
  const auto table = TwoShards();
  ASSERT_NE(table->ShardForSlot(0), nullptr);
  EXPECT_EQ(table->ShardForSlot(0)->master, kA);
  EXPECT_EQ(table->ShardForSlot(5460)->master, kA);
  ASSERT_NE(table->ShardForSlot(5461), nullptr);
  EXPECT_EQ(table->ShardForSlot(5461)->master, kB);
  EXPECT_EQ(table->ShardForSlot(10922)->master, kB);
  EXPECT_EQ(table->ShardForSlot(10923), nullptr);
  EXPECT_EQ(table->ShardForSlot(16383), nullptr);
}

TEST(SlotTableBuilder, BuildCarriesTheVersion) { EXPECT_EQ(TwoShards(42)->version(), 42u); }

TEST(SlotTableBuilder, AddShardReturnsTheExistingIndexForAKnownMaster) {
  SlotTableBuilder builder;
  EXPECT_EQ(builder.AddShard(kA), 0u);
  EXPECT_EQ(builder.AddShard(kB), 1u);
  EXPECT_EQ(builder.AddShard(kA), 0u);
  EXPECT_EQ(builder.Build(1)->shards().size(), 2u);
}

TEST(SlotTableBuilder, ReplicasKeepTheirOrderAndAreNotDuplicated) {
  SlotTableBuilder builder;
  const size_t a = builder.AddShard(kA);
  builder.AddReplica(a, kA2);
  builder.AddReplica(a, kA1);
  builder.AddReplica(a, kA2);
  const auto table = builder.Build(1);
  ASSERT_EQ(table->shards().size(), 1u);
  EXPECT_THAT(table->shards()[0].replicas, ElementsAre(kA2, kA1));
}

TEST(SlotTableBuilder, LaterAssignmentReplacesAnEarlierOne) {
  SlotTableBuilder builder;
  const size_t a = builder.AddShard(kA);
  const size_t b = builder.AddShard(kB);
  builder.Assign({0, 99}, a);
  builder.Assign({50, 59}, b);
  const auto table = builder.Build(1);
  EXPECT_EQ(table->ShardForSlot(49)->master, kA);
  EXPECT_EQ(table->ShardForSlot(50)->master, kB);
  EXPECT_EQ(table->ShardForSlot(59)->master, kB);
  EXPECT_EQ(table->ShardForSlot(60)->master, kA);
}

TEST(SlotTableBuilder, RangeReachingPastTheLastSlotStopsAtIt) {
  SlotTableBuilder builder;
  builder.Assign({16380, 65535}, builder.AddShard(kA));
  const auto table = builder.Build(1);
  EXPECT_EQ(table->ShardForSlot(16379), nullptr);
  EXPECT_EQ(table->SlotsOwnedBy(kA), 4u);
  EXPECT_THAT(table->RangesOf(0), ElementsAre(SlotRange{16380, 16383}));
}

TEST(SlotTableBuilder, BuildLeavesTheBuilderEmpty) {
  SlotTableBuilder builder;
  builder.Assign({0, 16383}, builder.AddShard(kA));
  builder.AddMigration({7, kA, kB});
  builder.Build(1);
  const auto second = builder.Build(2);
  EXPECT_THAT(second->shards(), IsEmpty());
  EXPECT_THAT(second->migrations(), IsEmpty());
  EXPECT_EQ(second->ShardForSlot(0), nullptr);
  EXPECT_EQ(second->ShardForSlot(16383), nullptr);
}

// The dispatcher starts from a default-constructed table until the first topology publish.
TEST(SlotTable, DefaultConstructedTableOwnsNoSlot) {
  const SlotTable table;
  EXPECT_THAT(table.shards(), IsEmpty());
  EXPECT_THAT(table.RangesOf(0), IsEmpty());
  EXPECT_TRUE(table.SameLayout(*SlotTableBuilder().Build(0)));
}

TEST(SlotTable, SlotsOwnedByCountsEachMastersSlots) {
  const auto table = TwoShards();
  EXPECT_EQ(table->SlotsOwnedBy(kA), 5461u);
  EXPECT_EQ(table->SlotsOwnedBy(kB), 5462u);
  EXPECT_EQ(table->SlotsOwnedBy(kC), 0u);
  EXPECT_EQ(table->SlotsOwnedBy(kA1), 0u);  // a replica owns nothing
}

TEST(SlotTable, RangesOfListsInclusiveRangesAscending) {
  SlotTableBuilder builder;
  const size_t a = builder.AddShard(kA);
  const size_t b = builder.AddShard(kB);
  builder.Assign({16000, 16383}, a);
  builder.Assign({0, 9}, a);
  builder.Assign({10, 19}, a);  // adjacent to 0-9: one range
  builder.Assign({20, 20}, b);
  builder.Assign({21, 30}, a);
  const auto table = builder.Build(1);
  EXPECT_THAT(table->RangesOf(0),
              ElementsAre(SlotRange{0, 19}, SlotRange{21, 30}, SlotRange{16000, 16383}));
  EXPECT_THAT(table->RangesOf(1), ElementsAre(SlotRange{20, 20}));
}

TEST(SlotTable, RangesOfAShardWithoutSlotsIsEmpty) {
  SlotTableBuilder builder;
  builder.Assign({0, 16383}, builder.AddShard(kA));
  builder.AddShard(kB);
  const auto table = builder.Build(1);
  EXPECT_THAT(table->RangesOf(0), ElementsAre(SlotRange{0, 16383}));
  EXPECT_THAT(table->RangesOf(1), IsEmpty());
}

TEST(SlotTable, MigrationOfFindsOnlyTheMigratingSlot) {
  const auto table = TwoShards();
  const SlotMigration* migration = table->MigrationOf(100);
  ASSERT_NE(migration, nullptr);
  EXPECT_EQ(migration->slot, 100);
  EXPECT_EQ(migration->from, kA);
  EXPECT_EQ(migration->to, kB);
  EXPECT_EQ(table->MigrationOf(101), nullptr);
}

TEST(SlotTable, SameLayoutIgnoresTheVersion) {
  EXPECT_TRUE(TwoShards(1)->SameLayout(*TwoShards(2)));
}

TEST(SlotTable, SameLayoutSeesAnOwnerChange) {
  const auto moved = TwoShards()->WithSlotMoved(0, kB);
  EXPECT_FALSE(TwoShards()->SameLayout(*moved));
}

TEST(SlotTable, SameLayoutSeesAReplicaChange) {
  SlotTableBuilder builder;
  const size_t a = builder.AddShard(kA);
  builder.AddShard(kB);
  builder.AddReplica(a, kA2);  // order swapped against TwoShards
  builder.AddReplica(a, kA1);
  builder.Assign({0, 5460}, a);
  builder.Assign({5461, 10922}, 1);
  builder.AddMigration({100, kA, kB});
  EXPECT_FALSE(TwoShards()->SameLayout(*builder.Build(1)));
}

TEST(SlotTable, SameLayoutSeesAMigrationChange) {
  SlotTableBuilder builder;
  const size_t a = builder.AddShard(kA);
  const size_t b = builder.AddShard(kB);
  builder.AddReplica(a, kA1);
  builder.AddReplica(a, kA2);
  builder.Assign({0, 5460}, a);
  builder.Assign({5461, 10922}, b);
  builder.AddMigration({101, kA, kB});
  EXPECT_FALSE(TwoShards()->SameLayout(*builder.Build(1)));
}

TEST(SlotTable, SameLayoutSeesAnAddedSlotlessMaster) {
  SlotTableBuilder builder;
  const size_t a = builder.AddShard(kA);
  const size_t b = builder.AddShard(kB);
  builder.AddShard(kC);
  builder.AddReplica(a, kA1);
  builder.AddReplica(a, kA2);
  builder.Assign({0, 5460}, a);
  builder.Assign({5461, 10922}, b);
  builder.AddMigration({100, kA, kB});
  EXPECT_FALSE(TwoShards()->SameLayout(*builder.Build(1)));
}

TEST(SlotTable, ServingListsOnlyMastersThatOwnSlots) {
  SlotTableBuilder builder;
  builder.AddShard(kC);  // a failed master whose replica took its slots: still listed
  const size_t a = builder.AddShard(kA);
  builder.Assign({0, 16383}, a);
  const auto table = builder.Build(1);
  EXPECT_EQ(table->shards().size(), 2u);
  EXPECT_THAT(table->serving(), ElementsAre(1));
}

TEST(SlotTable, MovingAMastersLastSlotAwayTakesItOutOfServing) {
  SlotTableBuilder builder;
  builder.Assign({0, 0}, builder.AddShard(kA));
  builder.Assign({1, 16383}, builder.AddShard(kB));
  const auto table = builder.Build(1);
  EXPECT_THAT(table->serving(), ElementsAre(0, 1));
  EXPECT_THAT(table->WithSlotMoved(0, kB)->serving(), ElementsAre(1));
  EXPECT_THAT(table->WithSlotMoved(0, kC)->serving(), ElementsAre(1, 2));
}

TEST(SlotTable, MovedSlotGoesToAKnownMasterAndNothingElseChanges) {
  const auto before = TwoShards(7);
  const auto after = before->WithSlotMoved(42, kB);
  EXPECT_EQ(after->ShardForSlot(42)->master, kB);
  EXPECT_EQ(after->ShardForSlot(41)->master, kA);
  EXPECT_EQ(after->ShardForSlot(43)->master, kA);
  EXPECT_EQ(after->shards().size(), 2u);
  EXPECT_EQ(after->SlotsOwnedBy(kA), 5460u);
  EXPECT_EQ(after->SlotsOwnedBy(kB), 5463u);
  EXPECT_THAT(after->shards()[0].replicas, ElementsAre(kA1, kA2));
  EXPECT_EQ(after->version(), 7u);
}

TEST(SlotTable, MovedSlotLeavesTheOriginalSnapshotUntouched) {
  const auto before = TwoShards();
  const auto after = before->WithSlotMoved(42, kB);
  EXPECT_EQ(before->ShardForSlot(42)->master, kA);
  EXPECT_EQ(before->SlotsOwnedBy(kB), 5462u);
  EXPECT_NE(before.get(), after.get());
}

TEST(SlotTable, MovedSlotToANewMasterAddsAShardWithoutReplicas) {
  const auto after = TwoShards()->WithSlotMoved(42, kC);
  ASSERT_EQ(after->shards().size(), 3u);
  EXPECT_EQ(after->shards()[2].master, kC);
  EXPECT_THAT(after->shards()[2].replicas, IsEmpty());
  EXPECT_EQ(after->ShardForSlot(42), &after->shards()[2]);
  EXPECT_THAT(after->RangesOf(2), ElementsAre(SlotRange{42, 42}));
}

TEST(SlotTable, MovedSlotThatWasUnownedBecomesServed) {
  const auto after = TwoShards()->WithSlotMoved(16383, kB);
  EXPECT_EQ(after->ShardForSlot(16383)->master, kB);
  EXPECT_EQ(after->ShardForSlot(16382), nullptr);
}

// The dispatcher's table before the first topology publish is a default SlotTable; one MOVED
// must teach it one slot, not hand the whole keyspace to the node that answered.
TEST(SlotTable, MovedSlotIntoADefaultTableOwnsOnlyThatSlot) {
  const auto after = SlotTable().WithSlotMoved(42, kA);
  ASSERT_EQ(after->shards().size(), 1u);
  EXPECT_EQ(after->SlotsOwnedBy(kA), 1u);
  EXPECT_THAT(after->RangesOf(0), ElementsAre(SlotRange{42, 42}));
  EXPECT_EQ(after->ShardForSlot(0), nullptr);
  EXPECT_EQ(after->ShardForSlot(43), nullptr);
}

TEST(SlotTableFromConfig, StaticConfigOwnsEverySlotItLists) {
  Config config;
  config.mode = BackendMode::kStatic;
  config.slots = {{kA, {{0, 8191}}}, {kB, {{8192, 16000}, {16001, 16383}}}};
  const auto table = SlotTableFromConfig(config, 3);
  EXPECT_EQ(table->version(), 3u);
  ASSERT_EQ(table->shards().size(), 2u);
  EXPECT_EQ(table->shards()[0].master, kA);
  EXPECT_EQ(table->shards()[1].master, kB);
  EXPECT_THAT(table->RangesOf(0), ElementsAre(SlotRange{0, 8191}));
  EXPECT_THAT(table->RangesOf(1), ElementsAre(SlotRange{8192, 16383}));
  EXPECT_THAT(table->shards()[0].replicas, IsEmpty());
  EXPECT_THAT(table->migrations(), IsEmpty());
}

TEST(SlotTableFromConfig, MigrationsAreCarriedOver) {
  Config config;
  config.slots = {{kA, {{0, 16383}}}};
  config.migrations = {{9, kA, kB}};
  const auto table = SlotTableFromConfig(config, 1);
  ASSERT_EQ(table->migrations().size(), 1u);
  EXPECT_EQ(table->migrations()[0].slot, 9);
  EXPECT_EQ(table->migrations()[0].from, kA);
  EXPECT_EQ(table->migrations()[0].to, kB);
  // The target is not a shard until it owns something.
  EXPECT_EQ(table->shards().size(), 1u);
}

TEST(SlotTableFromConfig, ConfigWithoutSlotsServesNothing) {
  Config config;
  config.seeds = {kA};
  const auto table = SlotTableFromConfig(config, 1);
  EXPECT_THAT(table->shards(), IsEmpty());
  EXPECT_EQ(table->ShardForSlot(0), nullptr);
  EXPECT_EQ(table->ShardForSlot(16383), nullptr);
}

}  // namespace
}  // namespace slotgate
