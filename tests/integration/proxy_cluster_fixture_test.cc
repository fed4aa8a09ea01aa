// The RedisCluster fixture the proxy tests stand on, checked against real redis-server alone
// (no slotgate): the cluster it builds is whole, and its resharding, failover, kill and restart
// leave the cluster in the state the proxy tests assume.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/slot.h"
#include "tests/integration/support/redis_client.h"
#include "tests/integration/support/redis_cluster.h"

namespace slotgate {
namespace {

using test::RedisClient;
using test::RedisCluster;

// A hash tag of `slot`'s own, found by trying {t0}, {t1}, ...
std::string TagOfSlot(uint16_t slot) {
  for (int i = 0;; ++i) {
    const std::string tag = "{t" + std::to_string(i) + "}";
    if (KeySlot(tag) == slot) return tag;
  }
}

TEST(RedisClusterFixture, BuildsMastersWithEvenSlotsAndLinkedReplicas) {
  RedisCluster cluster(/*masters=*/3, /*replicas_per_master=*/1);
  ASSERT_EQ(cluster.size(), 6u);
  const std::vector<test::OwnedSlots> map = cluster.SlotMap();
  ASSERT_EQ(map.size(), 3u);
  EXPECT_EQ(map[0].first, 0);
  EXPECT_EQ(map[0].last, 5460);
  EXPECT_EQ(map[0].node, 0u);
  EXPECT_EQ(map[1].first, 5461);
  EXPECT_EQ(map[1].last, 10921);
  EXPECT_EQ(map[1].node, 1u);
  EXPECT_EQ(map[2].first, 10922);
  EXPECT_EQ(map[2].last, 16383);
  EXPECT_EQ(map[2].node, 2u);
  EXPECT_EQ(cluster.Masters(), (std::vector<size_t>{0, 1, 2}));
  EXPECT_EQ(cluster.ReplicasOf(0), std::vector<size_t>{3});
  EXPECT_EQ(cluster.ReplicasOf(2), std::vector<size_t>{5});

  const uint16_t slot = KeySlot("foo");  // 12182: node 2
  RedisClient owner(cluster.port(cluster.MasterOf(slot)));
  EXPECT_EQ(owner.CommandString({"SET", "foo", "bar"}), "OK");
  RedisClient other(cluster.port(0));
  EXPECT_EQ(other.CommandString({"GET", "foo"}), "(error) MOVED 12182 " + cluster.address(2));
}

TEST(RedisClusterFixture, MigrationCanBeHeldHalfwayAndFinished) {
  RedisCluster cluster(/*masters=*/2);
  const uint16_t slot = 100;
  RedisClient source(cluster.port(0));
  const std::string moved_key = TagOfSlot(slot) + "a";
  const std::string stays_key = TagOfSlot(slot) + "b";
  ASSERT_EQ(source.CommandString({"SET", moved_key, "1"}), "OK");
  ASSERT_EQ(source.CommandString({"SET", stays_key, "2"}), "OK");

  cluster.BeginMigration(slot, 0, 1);
  EXPECT_EQ(cluster.MoveKeys(slot, 0, 1, 1), 1u);
  // One of the two keys moved: the source answers one and redirects for the other.
  RedisClient target(cluster.port(1));
  const std::string first = source.CommandString({"GET", moved_key});
  const std::string second = source.CommandString({"GET", stays_key});
  const std::string ask = "(error) ASK 100 " + cluster.address(1);
  EXPECT_TRUE((first == ask && second == "\"2\"") || (first == "\"1\"" && second == ask))
      << first << " / " << second;
  EXPECT_EQ(cluster.MasterOf(slot), 0u);

  EXPECT_EQ(cluster.MoveKeys(slot, 0, 1), 1u);
  cluster.FinishMigration(slot, 0, 1);
  EXPECT_EQ(cluster.MasterOf(slot), 1u);
  EXPECT_EQ(target.CommandString({"GET", moved_key}), "\"1\"");
  EXPECT_EQ(target.CommandString({"GET", stays_key}), "\"2\"");
  EXPECT_EQ(source.CommandString({"GET", moved_key}), "(error) MOVED 100 " + cluster.address(1));
  cluster.WaitForClusterOk();
}

TEST(RedisClusterFixture, FailoverPromotesTheReplicaEverywhere) {
  RedisCluster cluster(/*masters=*/3, /*replicas_per_master=*/1);
  RedisClient master(cluster.port(0));
  ASSERT_EQ(master.CommandString({"SET", "bar", "1"}), "OK");  // slot 5061: node 0
  ASSERT_EQ(master.CommandString({"WAIT", "1", "5000"}), "(integer) 1");
  cluster.Failover(3);
  EXPECT_EQ(cluster.MasterOf(KeySlot("bar")), 3u);
  EXPECT_EQ(cluster.ReplicasOf(3), std::vector<size_t>{0});
  RedisClient promoted(cluster.port(3));
  EXPECT_EQ(promoted.CommandString({"GET", "bar"}), "\"1\"");
}

TEST(RedisClusterFixture, KilledMasterIsReplacedByItsReplicaAndRejoinsAsReplica) {
  RedisCluster cluster(/*masters=*/3, /*replicas_per_master=*/1);
  cluster.Kill(1);
  cluster.WaitForPromotion(4);
  cluster.WaitForClusterOk();
  EXPECT_EQ(cluster.MasterOf(6000), 4u);
  cluster.Restart(1);
  cluster.WaitForClusterOk();
  EXPECT_EQ(cluster.ReplicasOf(4), std::vector<size_t>{1});
}

TEST(RedisClusterFixture, KilledMasterWithoutReplicaServesItsSlotsAgainAfterRestart) {
  RedisCluster cluster(/*masters=*/3, /*replicas_per_master=*/0,
                       {"--cluster-require-full-coverage", "no"});
  cluster.Kill(2);
  cluster.WaitForClusterOk();  // the survivors keep serving their own slots
  RedisClient survivor(cluster.port(0));
  EXPECT_EQ(survivor.CommandString({"SET", "bar", "1"}), "OK");
  cluster.Restart(2);
  cluster.WaitForClusterOk();
  EXPECT_EQ(cluster.MasterOf(16000), 2u);
  RedisClient restarted(cluster.port(2));
  EXPECT_EQ(restarted.CommandString({"SET", "foo", "x"}), "OK");
}

}  // namespace
}  // namespace slotgate
