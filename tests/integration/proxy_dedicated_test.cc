// Work that needs a backend connection of the client's own: blocking commands (which must not
// stall the clients sharing a pipeline, and are released when their client goes), WATCH (the
// node checks watched keys per connection), WAIT, and READONLY / READWRITE replica reads.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/slot.h"
#include "tests/integration/support/cluster_suite.h"
#include "tests/integration/support/redis_client.h"
#include "tests/integration/support/redis_cluster.h"
#include "tests/integration/support/slotgate_process.h"

namespace slotgate {
namespace {

using std::chrono::milliseconds;
using test::PollUntil;
using test::RedisClient;
using test::RedisCluster;
using test::SlotgateConfig;
using test::SlotgateProcess;

constexpr milliseconds kDeadline{10000};

// How many times a node ran `command`, as its INFO commandstats says.
long long CommandCalls(uint16_t port, const std::string& command) {
  RedisClient node(port);
  const test::Reply reply = node.Command({"INFO", "commandstats"});
  const std::string text(reply->str, reply->len);
  const std::string field = "cmdstat_" + command + ":calls=";
  const size_t at = text.find(field);
  return at == std::string::npos ? 0 : std::stoll(text.substr(at + field.size()));
}

// How many of a node's clients are blocked in `command`, as its CLIENT LIST says.
int BlockedIn(uint16_t port, const std::string& command) {
  RedisClient node(port);
  const std::string list = node.CommandString({"CLIENT", "LIST"});
  int count = 0;
  for (size_t at = 0; (at = list.find("cmd=" + command + " ", at)) != std::string::npos; ++at) {
    ++count;
  }
  return count;
}

class SlotgateDedicated : public test::ClusterSuite {
 protected:
  static void SetUpTestSuite() {
    // A short backend deadline: a blocked command on a shared connection would trip it.
    StartCluster(
        {.masters = 3, .replicas_per_master = 1, .configure = [](SlotgateConfig& config) {
           config.Timeout("backend_request_ms", "300").Timeout("topology_refresh_interval_s", "1");
         }});
  }

  static uint16_t MasterPortOf(const std::string& key) {
    return cluster_->port(cluster_->MasterOf(KeySlot(key)));
  }
};

TEST_F(SlotgateDedicated, BlockedPopDoesNotStallOtherClientsOfTheSameNode) {
  RedisClient blocked(proxy_->port());
  blocked.Append({"BLPOP", "{b}list", "0"});
  blocked.Flush();
  ASSERT_TRUE(
      PollUntil([&] { return BlockedIn(MasterPortOf("{b}list"), "blpop") == 1; }, kDeadline));
  EXPECT_EQ(proxy_->Metric("slotgate_dedicated_connections").value_or(0), 1);
  RedisClient other(proxy_->port());
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(other.CommandString({"SET", "{b}k" + std::to_string(i), "v"}), "OK");
  }
  EXPECT_EQ(other.CommandString({"RPUSH", "{b}list", "x"}), "(integer) 1");
  EXPECT_EQ(test::ReplyToString(blocked.Next().get()), "[\"{b}list\", \"x\"]");
}

TEST_F(SlotgateDedicated, BlockingTimeoutsAreTheCommandsOwn) {
  RedisClient client(proxy_->port());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(client.CommandString({"BLPOP", "{b}empty", "1"}), "(nil)");
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(900));
  EXPECT_EQ(client.CommandString({"BZPOPMIN", "{b}zempty", "0.5"}), "(nil)");
  EXPECT_EQ(client.CommandString({"XREAD", "BLOCK", "500", "STREAMS", "{b}stream", "$"}), "(nil)");
  EXPECT_EQ(client.CommandString({"BLPOP", "{b}one", "{c}two", "1"}),
            "(error) CROSSSLOT Keys in request don't hash to the same slot");
}

TEST_F(SlotgateDedicated, ClientThatDisconnectsReleasesItsBlockedCommand) {
  const uint16_t master = MasterPortOf("{r}list");
  {
    RedisClient blocked(proxy_->port());
    blocked.Append({"BLPOP", "{r}list", "0"});
    blocked.Flush();
    ASSERT_TRUE(PollUntil([&] { return BlockedIn(master, "blpop") == 1; }, kDeadline));
  }
  ASSERT_TRUE(PollUntil([&] { return BlockedIn(master, "blpop") == 0; }, kDeadline));
  RedisClient other(proxy_->port());
  EXPECT_EQ(other.CommandString({"RPUSH", "{r}list", "kept"}), "(integer) 1");
  EXPECT_EQ(other.CommandString({"LRANGE", "{r}list", "0", "-1"}), "[\"kept\"]");
}

TEST_F(SlotgateDedicated, CommandsPipelinedBehindABlockedOneRunAfterIt) {
  RedisClient blocked(proxy_->port());
  blocked.Append({"BLPOP", "{p}list", "0"});
  blocked.Append({"SET", "{p}after", "yes"});
  blocked.Flush();
  ASSERT_TRUE(
      PollUntil([&] { return BlockedIn(MasterPortOf("{p}list"), "blpop") == 1; }, kDeadline));
  RedisClient other(proxy_->port());
  EXPECT_EQ(other.CommandString({"GET", "{p}after"}), "(nil)");
  EXPECT_EQ(other.CommandString({"LPUSH", "{p}list", "go"}), "(integer) 1");
  EXPECT_EQ(test::ReplyToString(blocked.Next().get()), "[\"{p}list\", \"go\"]");
  EXPECT_EQ(test::ReplyToString(blocked.Next().get()), "OK");
  EXPECT_EQ(other.CommandString({"GET", "{p}after"}), "\"yes\"");
}

TEST_F(SlotgateDedicated, WatchedKeyChangedByAnotherClientMakesExecReturnNil) {
  RedisClient client(proxy_->port());
  RedisClient other(proxy_->port());
  EXPECT_EQ(client.CommandString({"SET", "{w}balance", "10"}), "OK");
  EXPECT_EQ(client.CommandString({"WATCH", "{w}balance"}), "OK");
  EXPECT_EQ(client.CommandString({"GET", "{w}balance"}), "\"10\"");
  EXPECT_EQ(client.CommandString({"MULTI"}), "OK");
  EXPECT_EQ(client.CommandString({"SET", "{w}balance", "20"}), "QUEUED");
  EXPECT_EQ(other.CommandString({"SET", "{w}balance", "99"}), "OK");
  EXPECT_EQ(client.CommandString({"EXEC"}), "(nil)");
  EXPECT_EQ(client.CommandString({"GET", "{w}balance"}), "\"99\"");

  EXPECT_EQ(client.CommandString({"WATCH", "{w}balance"}), "OK");
  EXPECT_EQ(client.CommandString({"MULTI"}), "OK");
  EXPECT_EQ(client.CommandString({"INCRBY", "{w}balance", "1"}), "QUEUED");
  EXPECT_EQ(client.CommandString({"EXEC"}), "[(integer) 100]");
}

TEST_F(SlotgateDedicated, UnwatchAndDiscardReleaseTheWatch) {
  RedisClient client(proxy_->port());
  RedisClient other(proxy_->port());
  EXPECT_EQ(client.CommandString({"WATCH", "{u}k"}), "OK");
  EXPECT_EQ(client.CommandString({"UNWATCH"}), "OK");
  EXPECT_EQ(other.CommandString({"SET", "{u}k", "changed"}), "OK");
  EXPECT_EQ(client.CommandString({"MULTI"}), "OK");
  EXPECT_EQ(client.CommandString({"SET", "{u}k", "mine"}), "QUEUED");
  EXPECT_EQ(client.CommandString({"EXEC"}), "[OK]");

  EXPECT_EQ(client.CommandString({"WATCH", "{u}k"}), "OK");
  EXPECT_EQ(client.CommandString({"MULTI"}), "OK");
  EXPECT_EQ(client.CommandString({"DISCARD"}), "OK");
  EXPECT_EQ(other.CommandString({"SET", "{u}k", "again"}), "OK");
  EXPECT_EQ(client.CommandString({"MULTI"}), "OK");
  EXPECT_EQ(client.CommandString({"GET", "{u}k"}), "QUEUED");
  EXPECT_EQ(client.CommandString({"EXEC"}), "[\"again\"]");
}

TEST_F(SlotgateDedicated, WatchFollowsTheClusterSlotRules) {
  RedisClient client(proxy_->port());
  EXPECT_EQ(client.CommandString({"WATCH", "{a}x", "{b}y"}),
            "(error) CROSSSLOT Keys in request don't hash to the same slot");
  EXPECT_EQ(client.CommandString({"WATCH", "{a}x"}), "OK");
  EXPECT_EQ(client.CommandString({"WATCH", "{b}y"}),
            "(error) CROSSSLOT Keys in request don't hash to the same slot");
  EXPECT_EQ(client.CommandString({"MULTI"}), "OK");
  EXPECT_EQ(client.CommandString({"WATCH", "{a}x"}),
            "(error) ERR WATCH inside MULTI is not allowed");
  EXPECT_EQ(client.CommandString({"SET", "{b}y", "1"}),
            "(error) CROSSSLOT Keys in request don't hash to the same slot");
  EXPECT_EQ(client.CommandString({"EXEC"}),
            "(error) EXECABORT Transaction discarded because of previous errors.");
  EXPECT_EQ(client.CommandString({"MULTI"}), "OK");
  EXPECT_EQ(client.CommandString({"SET", "{b}y", "1"}), "QUEUED");
  EXPECT_EQ(client.CommandString({"EXEC"}), "[OK]");
}

TEST_F(SlotgateDedicated, WaitCountsTheReplicasOfTheLastWrite) {
  RedisClient client(proxy_->port());
  EXPECT_EQ(client.CommandString({"SET", "{wait}k", "v"}), "OK");
  EXPECT_EQ(client.CommandString({"WAIT", "1", "5000"}), "(integer) 1");
  EXPECT_EQ(client.CommandString({"WAIT", "5", "0"}), "(integer) 1");
}

TEST_F(SlotgateDedicated, ReadonlyClientsReadFromReplicasUntilReadwrite) {
  const std::string key = "{ro}k";
  const size_t master = cluster_->MasterOf(KeySlot(key));
  const uint16_t replica = cluster_->port(cluster_->ReplicasOf(master).at(0));
  RedisClient client(proxy_->port());
  EXPECT_EQ(client.CommandString({"SET", key, "v"}), "OK");
  EXPECT_EQ(client.CommandString({"WAIT", "1", "5000"}), "(integer) 1");
  const long long replica_gets = CommandCalls(replica, "get");
  EXPECT_EQ(client.CommandString({"READONLY"}), "OK");
  // A replica reports itself ready (CLUSTER SHARDS health "online") a little after it synced;
  // slotgate reads from it from the first refresh after that.
  ASSERT_TRUE(PollUntil(
      [&] {
        return client.CommandString({"GET", key}) == "\"v\"" &&
               CommandCalls(replica, "get") > replica_gets;
      },
      kDeadline));
  const long long replica_after = CommandCalls(replica, "get");
  EXPECT_EQ(client.CommandString({"GET", key}), "\"v\"");
  EXPECT_EQ(CommandCalls(replica, "get"), replica_after + 1);
  EXPECT_EQ(client.CommandString({"READWRITE"}), "OK");
  const long long master_gets = CommandCalls(cluster_->port(master), "get");
  EXPECT_EQ(client.CommandString({"GET", key}), "\"v\"");
  EXPECT_EQ(CommandCalls(cluster_->port(master), "get"), master_gets + 1);
  EXPECT_EQ(CommandCalls(replica, "get"), replica_after + 1);
}

TEST(SlotgateDedicatedCap, ClientsPastANodesCapOfOwnConnectionsAreRefusedAtOnce) {
  RedisCluster cluster(3);
  SlotgateProcess proxy(
      SlotgateConfig::ForCluster(cluster).Workers(1).Limit("dedicated_connections_per_node", "2"));
  const std::string key = "{cap}list";
  const uint16_t node = cluster.port(cluster.MasterOf(KeySlot(key)));
  std::vector<std::unique_ptr<RedisClient>> blocked;
  for (int i = 0; i < 2; ++i) {
    blocked.push_back(std::make_unique<RedisClient>(proxy.port()));
    blocked.back()->Append({"BLPOP", key, "0"});
    blocked.back()->Flush();
  }
  ASSERT_TRUE(PollUntil([&] { return BlockedIn(node, "blpop") == 2; }, kDeadline));
  RedisClient third(proxy.port());
  EXPECT_EQ(third.CommandString({"BLPOP", key, "0"}),
            "(error) ERR proxy: too many clients hold connections of their own to 127.0.0.1:" +
                std::to_string(node) + " (limits.dedicated_connections_per_node)");
  std::string elsewhere = "other";
  while (cluster.MasterOf(KeySlot(elsewhere)) == cluster.MasterOf(KeySlot(key))) elsewhere += "x";
  EXPECT_EQ(third.CommandString({"BLPOP", elsewhere, "0.1"}), "(nil)");
  blocked.pop_back();  // its connection closes, and the one it held at the node
  ASSERT_TRUE(PollUntil([&] { return BlockedIn(node, "blpop") == 1; }, kDeadline));
  EXPECT_EQ(third.CommandString({"BLPOP", key, "0.1"}), "(nil)");
}

TEST(SlotgateReadFrom, ReplicaReadsFallBackToTheMasterWhenTheReplicaIsDown) {
  RedisCluster cluster(3, 1);
  SlotgateProcess proxy(SlotgateConfig::ForCluster(cluster).ReadFrom("replica").Timeout(
      "topology_refresh_interval_s", "1"));
  const std::string key = "{rf}k";
  const size_t master = cluster.MasterOf(KeySlot(key));
  const size_t replica = cluster.ReplicasOf(master).at(0);
  RedisClient client(proxy.port());
  EXPECT_EQ(client.CommandString({"SET", key, "v"}), "OK");
  EXPECT_EQ(client.CommandString({"WAIT", "1", "5000"}), "(integer) 1");
  const long long replica_gets = CommandCalls(cluster.port(replica), "get");
  ASSERT_TRUE(PollUntil(
      [&] {
        return client.CommandString({"GET", key}) == "\"v\"" &&
               CommandCalls(cluster.port(replica), "get") > replica_gets;
      },
      kDeadline));
  const long long master_gets = CommandCalls(cluster.port(master), "get");
  cluster.Kill(replica);
  for (int i = 0; i < 50; ++i) ASSERT_EQ(client.CommandString({"GET", key}), "\"v\"") << i;
  EXPECT_GE(CommandCalls(cluster.port(master), "get"), master_gets + 50);
}

}  // namespace
}  // namespace slotgate
