// Clients keep working through slotgate while the cluster changes under them: slots move
// between masters, a replica takes over by CLUSTER FAILOVER, a master dies. Every reply is
// checked and every acknowledged write must read back afterwards.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/slot.h"
#include "tests/integration/support/local_cluster.h"
#include "tests/integration/support/redis_client.h"
#include "tests/integration/support/slotgate_runner.h"
#include "tests/integration/support/workload.h"

namespace slotgate {
namespace {

using test::LocalCluster;
using test::RedisClient;
using test::SlotgateRunner;
using test::Workload;

// Slow cluster changes (a failover takes seconds) must fit inside slotgate's retry budget.
constexpr char kGenerousDeadline[] = "timeouts:\n  redirect_deadline_ms: 10000\n";

void ExpectAllReadBack(uint16_t port, const std::map<std::string, std::string>& written) {
  ASSERT_FALSE(written.empty());
  RedisClient client(port);
  for (const auto& [key, value] : written) client.Append({"GET", key});
  for (const auto& [key, value] : written) {
    ASSERT_EQ(test::ReplyToString(client.Next().get()), "\"" + value + "\"") << key;
  }
}

TEST(SlotgateUnderLoad, FiftyPipeliningClientsGetEveryReplyInOrder) {
  LocalCluster cluster({.masters = 3, .replicas_per_master = 0, .extra_args = {}});
  SlotgateRunner proxy(SlotgateRunner::ClusterBackend(cluster.Addresses()));
  constexpr int kClients = 50;
  constexpr int kCommands = 10000;
  std::atomic<int> mismatches{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      RedisClient client(proxy.port());
      const std::string p = "c" + std::to_string(c) + ":";
      std::vector<std::string> expected;
      for (int i = 0; i < kCommands / 5; ++i) {
        const std::string n = std::to_string(i);
        client.Append({"SET", p + "s" + n, n});
        expected.push_back("OK");
        client.Append({"GET", p + "s" + n});
        expected.push_back("\"" + n + "\"");
        client.Append({"INCR", p + "counter"});
        expected.push_back("(integer) " + std::to_string(i + 1));
        client.Append({"HSET", p + "h" + std::to_string(i % 10), n, n});
        expected.push_back("(integer) 1");
        client.Append({"LPUSH", p + "list", n});
        expected.push_back("(integer) " + std::to_string(i + 1));
      }
      for (const std::string& want : expected) {
        if (test::ReplyToString(client.Next().get()) != want) ++mismatches;
      }
    });
  }
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(SlotgateUnderLoad, LiveReshardingLosesNoWriteAndShowsNoError) {
  LocalCluster cluster({.masters = 3, .replicas_per_master = 0, .extra_args = {}});
  SlotgateRunner proxy(SlotgateRunner::ClusterBackend(cluster.Addresses()), kGenerousDeadline);
  Workload load(proxy.port(), 8);
  ASSERT_TRUE(load.WaitForProgress(2000));
  // Move the slots of some keys the clients are writing, to another master each.
  for (int k = 0; k < 6; ++k) {
    const uint16_t slot = KeySlot("w" + std::to_string(k) + ":" + std::to_string(k * 7));
    const size_t to = (cluster.OwnerOf(slot) + 1) % 3;
    cluster.MigrateSlot(slot, to);
    ASSERT_TRUE(load.WaitForProgress(500));
  }
  load.Stop();
  EXPECT_EQ(load.errors(), 0u) << testing::PrintToString(load.FirstErrors());
  ExpectAllReadBack(proxy.port(), load.Acknowledged());
}

TEST(SlotgateUnderLoad, ManualFailoverLosesNoWriteAndShowsNoError) {
  LocalCluster cluster({.masters = 3, .replicas_per_master = 1, .extra_args = {}});
  SlotgateRunner proxy(SlotgateRunner::ClusterBackend(cluster.Addresses()), kGenerousDeadline);
  Workload load(proxy.port(), 8);
  ASSERT_TRUE(load.WaitForProgress(2000));
  cluster.Failover(3);  // node 3 replicates master 0
  ASSERT_TRUE(load.WaitForProgress(2000));
  load.Stop();
  EXPECT_EQ(load.errors(), 0u) << testing::PrintToString(load.FirstErrors());
  ExpectAllReadBack(proxy.port(), load.Acknowledged());
}

TEST(SlotgateUnderLoad, KilledMasterFailsOnlyItsOwnSlotsUntilItsReplicaTakesOver) {
  LocalCluster cluster({.masters = 3, .replicas_per_master = 1, .extra_args = {}});
  SlotgateRunner proxy(SlotgateRunner::ClusterBackend(cluster.Addresses()), kGenerousDeadline);
  const std::vector<size_t> owners = cluster.SlotOwners();
  Workload load(proxy.port(), 8);
  ASSERT_TRUE(load.WaitForProgress(2000));
  cluster.node(0).Stop(SIGKILL);
  // Node 3 is promoted by the cluster itself once node 0 is seen as failed.
  ASSERT_TRUE(test::WaitFor(
      [&] {
        RedisClient replica(cluster.node(3).port());
        return replica.CommandString({"ROLE"}).starts_with("[\"master\"");
      },
      std::chrono::seconds(30)));
  cluster.WaitUntilHealthy();
  ASSERT_TRUE(load.WaitForProgress(2000));
  load.Stop();
  for (const std::string& error : load.FirstErrors()) {
    const std::string key = error.substr(4, error.find(':', error.find(':') + 1) - 4);
    EXPECT_EQ(owners[KeySlot(key)], 0u) << "an error outside the dead master's slots: " << error;
  }
  // Writes acknowledged before the kill were replicated or not: check only those after it.
  RedisClient client(proxy.port());
  EXPECT_EQ(client.CommandString({"SET", "after-failover", "1"}), "OK");
  EXPECT_EQ(client.CommandString({"GET", "after-failover"}), "\"1\"");
}

TEST(SlotgateUnderLoad, KilledMasterWithoutReplicaAnswersErrorsInBoundedTimeAndComesBack) {
  LocalCluster cluster({.masters = 3,
                        .replicas_per_master = 0,
                        .extra_args = {"--cluster-require-full-coverage", "no"}});
  SlotgateRunner proxy(SlotgateRunner::ClusterBackend(cluster.Addresses()));
  const std::vector<size_t> owners = cluster.SlotOwners();
  std::string dead_key, live_key;
  for (int i = 0; dead_key.empty() || live_key.empty(); ++i) {
    const std::string key = "k" + std::to_string(i);
    (owners[KeySlot(key)] == 0 ? dead_key : live_key) = key;
  }
  RedisClient client(proxy.port());
  ASSERT_EQ(client.CommandString({"SET", dead_key, "v"}), "OK");
  cluster.node(0).Stop(SIGKILL);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.CommandString({"GET", dead_key}).starts_with("(error) "));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  EXPECT_EQ(client.CommandString({"SET", live_key, "v"}), "OK");
  cluster.node(0).Start();
  EXPECT_TRUE(test::WaitFor([&] { return client.CommandString({"PING"}) == "PONG" &&
                                         client.CommandString({"SET", dead_key, "w"}) == "OK"; },
                            std::chrono::seconds(30)));
  EXPECT_EQ(client.CommandString({"GET", dead_key}), "\"w\"");
}

}  // namespace
}  // namespace slotgate
