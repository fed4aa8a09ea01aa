// The command surface through slotgate in front of a 3-master cluster: connection commands,
// multi-key commands split by slot, transactions, whole-keyspace commands, metrics and a clean
// SIGTERM. (Routing, resharding, failover and bad input have their own proxy_*_test files.)
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tests/integration/support/cluster_suite.h"
#include "tests/integration/support/redis_client.h"
#include "tests/integration/support/redis_cluster.h"
#include "tests/integration/support/slotgate_process.h"

namespace slotgate {
namespace {

using test::RedisClient;
using test::RedisCluster;
using test::SlotgateConfig;
using test::SlotgateProcess;

class SlotgateCommands : public test::ClusterSuite {
 protected:
  static void SetUpTestSuite() { StartCluster({.admin_commands = true}); }
};

TEST_F(SlotgateCommands, ConnectionCommandsAreAnsweredLikeOneServer) {
  EXPECT_EQ(Ask({"PING"}), "PONG");
  EXPECT_EQ(Ask({"PING", "hello"}), "\"hello\"");
  EXPECT_EQ(Ask({"ECHO", "x y"}), "\"x y\"");
  EXPECT_EQ(Ask({"SELECT", "0"}), "OK");
  EXPECT_EQ(Ask({"SELECT", "1"}), "(error) ERR SELECT is not allowed in cluster mode");
  EXPECT_EQ(Ask({"COMMAND", "COUNT"}), "(integer) 240");
}

TEST_F(SlotgateCommands, UnknownCommandsAndWrongArityGetRedisErrors) {
  EXPECT_EQ(Ask({"FOO", "a", "b"}),
            "(error) ERR unknown command 'FOO', with args beginning with: 'a' 'b' ");
  EXPECT_EQ(Ask({"GET"}), "(error) ERR wrong number of arguments for 'get' command");
  EXPECT_EQ(Ask({"CONFIG", "nosuch"}), "(error) ERR unknown subcommand 'nosuch'. Try CONFIG HELP.");
  EXPECT_EQ(Ask({"CLUSTER", "NODES"}), "(error) ERR This instance has cluster support disabled");
}

TEST_F(SlotgateCommands, KeysOfSeveralSlotsAreRefusedUnlessTheCommandCanBeSplit) {
  EXPECT_EQ(Ask({"RENAME", "foo", "bar"}),
            "(error) CROSSSLOT Keys in request don't hash to the same slot");
  EXPECT_EQ(Ask({"MSET", "{u}a", "1", "{u}b", "2"}), "OK");
  EXPECT_EQ(Ask({"RENAME", "{u}a", "{u}c"}), "OK");
  EXPECT_EQ(Ask({"MSET", "foo", "1", "bar", "2", "baz", "3"}), "OK");
  EXPECT_EQ(Ask({"MGET", "foo", "missing", "bar", "baz", "{u}c"}),
            "[\"1\", (nil), \"2\", \"3\", \"1\"]");
  EXPECT_EQ(Ask({"EXISTS", "foo", "bar", "missing", "foo"}), "(integer) 3");
  EXPECT_EQ(Ask({"DEL", "foo", "bar", "baz", "missing"}), "(integer) 3");
  EXPECT_EQ(Ask({"MSETNX", "foo", "1", "bar", "2"}),
            "(error) CROSSSLOT Keys in request don't hash to the same slot");
}

TEST_F(SlotgateCommands, TransactionsRunOnTheSlotOwner) {
  RedisClient client(proxy_->port());
  EXPECT_EQ(client.CommandString({"MULTI"}), "OK");
  EXPECT_EQ(client.CommandString({"SET", "{t}counter", "10"}), "QUEUED");
  EXPECT_EQ(client.CommandString({"INCR", "{t}counter"}), "QUEUED");
  EXPECT_EQ(client.CommandString({"EXEC"}), "[OK, (integer) 11]");
  EXPECT_EQ(client.CommandString({"MULTI"}), "OK");
  EXPECT_EQ(client.CommandString({"SET", "{t}a", "1"}), "QUEUED");
  EXPECT_EQ(client.CommandString({"SET", "{v}a", "1"}),
            "(error) CROSSSLOT Keys in request don't hash to the same slot");
  EXPECT_EQ(client.CommandString({"EXEC"}),
            "(error) EXECABORT Transaction discarded because of previous errors.");
  EXPECT_EQ(client.CommandString({"EXEC"}), "(error) ERR EXEC without MULTI");
  EXPECT_EQ(client.CommandString({"DISCARD"}), "(error) ERR DISCARD without MULTI");
}

TEST_F(SlotgateCommands, WholeKeyspaceCommandsSeeEveryMaster) {
  RedisClient client(proxy_->port());
  EXPECT_EQ(client.CommandString({"FLUSHALL"}), "OK");
  EXPECT_EQ(client.CommandString({"DBSIZE"}), "(integer) 0");
  for (int i = 0; i < 100; ++i) client.Append({"SET", "scan:" + std::to_string(i), "v"});
  for (int i = 0; i < 100; ++i) client.Next();
  EXPECT_EQ(client.CommandString({"DBSIZE"}), "(integer) 100");
  std::set<std::string> seen;
  std::string cursor = "0";
  do {
    const test::Reply reply = client.Command({"SCAN", cursor, "COUNT", "7"});
    ASSERT_EQ(reply->type, REDIS_REPLY_ARRAY);
    cursor.assign(reply->element[0]->str, reply->element[0]->len);
    for (size_t i = 0; i < reply->element[1]->elements; ++i) {
      seen.emplace(reply->element[1]->element[i]->str, reply->element[1]->element[i]->len);
    }
  } while (cursor != "0");
  EXPECT_EQ(seen.size(), 100u);
}

TEST_F(SlotgateCommands, MetricsCountRequestsByCommand) {
  RedisClient client(proxy_->port());
  const std::optional<double> before = proxy_->Metric("slotgate_requests_total{command=\"incr\"}");
  EXPECT_EQ(client.CommandString({"INCR", "metrics:counter"}), "(integer) 1");
  EXPECT_EQ(proxy_->Metric("slotgate_requests_total{command=\"incr\"}").value_or(-1),
            before.value_or(0) + 1);
  EXPECT_GE(proxy_->Metric("slotgate_client_connections").value_or(0), 1);
}

TEST(SlotgateShutdown, SigtermWithAClientConnectedExitsZero) {
  RedisCluster cluster(3);
  SlotgateProcess proxy(SlotgateConfig::ForCluster(cluster));
  RedisClient idle(proxy.port());
  EXPECT_EQ(idle.CommandString({"SET", "x", "1"}), "OK");
  EXPECT_EQ(proxy.Stop(), 0);
}

}  // namespace
}  // namespace slotgate
