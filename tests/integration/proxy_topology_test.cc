// slotgate started from a config that is partly wrong about the cluster (a seed that is down, a
// slot table that is out of date) trusts the live cluster, serves every key from its real
// owner, and says what disagreed: in its log and in its metrics.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "common/slot.h"
#include "tests/integration/support/redis_client.h"
#include "tests/integration/support/redis_cluster.h"
#include "tests/integration/support/slotgate_process.h"

namespace slotgate {
namespace {

using test::RedisClient;
using test::RedisCluster;
using test::ReplyToString;
using test::SlotgateConfig;
using test::SlotgateProcess;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(ProxyTopology, DeadSeedAndStaleSlotTableAreReportedAndTheLiveClusterIsServed) {
  RedisCluster cluster(/*masters=*/3);  // 0-5460, 5461-10921, 10922-16383
  SlotgateConfig config = SlotgateConfig::ForCluster(cluster);
  const std::string dead_seed = config.AddDeadSeed();
  // Stale: the first master is believed to own 0-5000 only, the second 5001-10921.
  config.Slots({{cluster.address(0), "0-5000"},
                {cluster.address(1), "5001-10921"},
                {cluster.address(2), "10922-16383"}});
  SlotgateProcess proxy(config);

  RedisClient client(proxy.port());
  constexpr int kKeys = 3000;
  for (int i = 0; i < kKeys; ++i) client.Append({"SET", "t" + std::to_string(i), "v"});
  for (int i = 0; i < kKeys; ++i) ASSERT_EQ(ReplyToString(client.Next().get()), "OK") << i;
  int in_drifted_slots = 0;
  for (int i = 0; i < kKeys; ++i) {
    const std::string key = "t" + std::to_string(i);
    const uint16_t slot = KeySlot(key);
    RedisClient owner(cluster.port(cluster.MasterOf(slot)));
    ASSERT_EQ(owner.CommandString({"GET", key}), "\"v\"") << key << " slot " << slot;
    in_drifted_slots += slot >= 5001 && slot <= 5460;
  }
  EXPECT_GT(in_drifted_slots, 0);

  const std::string log = proxy.Log();
  EXPECT_TRUE(Contains(log, "config drift: slots 5001-5460: configured " + cluster.address(1) +
                                ", cluster has " + cluster.address(0) + "; trusting the cluster"))
      << log;
  EXPECT_TRUE(Contains(log, "topology: " + dead_seed + " did not describe the cluster")) << log;
  EXPECT_EQ(proxy.Metric("slotgate_topology_drift_slots"), 460);  // 5001-5460
  EXPECT_EQ(proxy.Metric("slotgate_topology_drift_reports_total"), 1);
  EXPECT_GE(proxy.Metric("slotgate_topology_refreshes_total").value_or(0), 1);
  EXPECT_EQ(proxy.Metric("slotgate_slots{node=\"" + cluster.address(0) + "\"}"), 5461);
  EXPECT_EQ(proxy.Stop(), 0) << log;
}

TEST(ProxyTopology, SeedNodeDownAtStartIsPickedUpWhenItReturnsWithoutARestart) {
  RedisCluster cluster(/*masters=*/3, /*replicas_per_master=*/0,
                       {"--cluster-require-full-coverage", "no"});
  cluster.Kill(2);
  SlotgateProcess proxy(SlotgateConfig::ForCluster(cluster));
  const std::string key = "foo";  // slot 12182: node 2's
  ASSERT_EQ(cluster.SlotOwners()[KeySlot(key)], 2u);
  RedisClient client(proxy.port());
  EXPECT_EQ(client.CommandString({"SET", "bar", "1"}), "OK");  // slot 5061: node 0's
  EXPECT_TRUE(client.CommandString({"SET", key, "1"}).starts_with("(error) "));

  cluster.Restart(2);
  EXPECT_TRUE(test::PollUntil(
      [&] {
        return client.CommandString({"SET", key, "2"}) == "OK";
      },
      std::chrono::seconds(20)))
      << client.CommandString({"SET", key, "2"}) << "\n"
      << proxy.Log();
  EXPECT_EQ(client.CommandString({"GET", key}), "\"2\"");
  RedisClient direct(cluster.port(2));
  EXPECT_EQ(direct.CommandString({"GET", key}), "\"2\"");
  EXPECT_EQ(proxy.Stop(), 0);
}

}  // namespace
}  // namespace slotgate
