// Server commands through slotgate in front of a 3-master cluster: INFO's keyspace summed over
// the masters, PUBSUB introspection, SLOWLOG merged newest first, LASTSAVE, the per-node
// commands slotgate refuses, blocking commands' routing, and `admin_commands: false`.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/slot.h"
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

class SlotgateServerCommands : public test::ClusterSuite {
 protected:
  static void SetUpTestSuite() { StartCluster({.admin_commands = true}); }
  // Asks the master owning `key`'s slot directly, bypassing slotgate.
  size_t MasterOfKey(const std::string& key) { return cluster_->MasterOf(KeySlot(key)); }
};

TEST_F(SlotgateServerCommands, InfoKeyspaceSumsEveryMaster) {
  ASSERT_EQ(Ask({"FLUSHALL"}), "OK");
  EXPECT_EQ(Ask({"INFO", "keyspace"}), "\"# Keyspace\r\n\"");
  // "foo", "bar" and "qux" live on three different masters.
  EXPECT_EQ(Ask({"MSET", "foo", "1", "bar", "2", "qux", "3", "{foo}2", "4"}), "OK");
  EXPECT_EQ(Ask({"INFO", "keyspace"}), "\"# Keyspace\r\ndb0:keys=4,expires=0,avg_ttl=0\r\n\"");
  EXPECT_EQ(Ask({"info", "KEYSPACE"}), "\"# Keyspace\r\ndb0:keys=4,expires=0,avg_ttl=0\r\n\"");
  ASSERT_EQ(Ask({"FLUSHALL"}), "OK");
}

TEST_F(SlotgateServerCommands, DefaultInfoEndsWithTheKeyspaceAfterSlotgatesOwnSections) {
  ASSERT_EQ(Ask({"FLUSHALL"}), "OK");
  ASSERT_EQ(Ask({"SET", "foo", "1"}), "OK");
  for (const std::string section : {"", "default", "all", "everything"}) {
    std::vector<std::string> args = {"INFO"};
    if (!section.empty()) args.push_back(section);
    const std::string info = Ask(args);
    EXPECT_EQ(info.rfind("\"# Server\r\n", 0), 0u) << section;
    EXPECT_TRUE(info.ends_with("\r\n\r\n# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n\""))
        << section << ": " << info;
  }
  EXPECT_EQ(Ask({"INFO", "server"}).find("# Keyspace"), std::string::npos);
  EXPECT_EQ(Ask({"INFO", "nosuchsection"}), "\"\"");
  ASSERT_EQ(Ask({"FLUSHALL"}), "OK");
}

TEST_F(SlotgateServerCommands, PubsubIntrospectionCountsEveryMaster) {
  const std::vector<size_t> masters = cluster_->Masters();
  ASSERT_EQ(masters.size(), 3u);
  // Subscribers held directly on two masters, as slotgate's own subscriptions would be.
  RedisClient first(cluster_->port(masters[0]));
  RedisClient second(cluster_->port(masters[1]));
  EXPECT_EQ(first.CommandString({"SUBSCRIBE", "news"}), "[\"subscribe\", \"news\", (integer) 1]");
  EXPECT_EQ(second.CommandString({"SUBSCRIBE", "news"}), "[\"subscribe\", \"news\", (integer) 1]");
  RedisClient patterns(cluster_->port(masters[2]));
  EXPECT_EQ(patterns.CommandString({"PSUBSCRIBE", "n*"}), "[\"psubscribe\", \"n*\", (integer) 1]");
  RedisClient shard(cluster_->port(MasterOfKey("sports")));
  EXPECT_EQ(shard.CommandString({"SSUBSCRIBE", "sports"}),
            "[\"ssubscribe\", \"sports\", (integer) 1]");

  EXPECT_EQ(Ask({"PUBSUB", "NUMSUB", "news", "other", "news"}),
            "[\"news\", (integer) 2, \"other\", (integer) 0, \"news\", (integer) 2]");
  EXPECT_EQ(Ask({"PUBSUB", "NUMSUB"}), "[]");
  EXPECT_EQ(Ask({"PUBSUB", "CHANNELS"}), "[\"news\"]");
  EXPECT_EQ(Ask({"PUBSUB", "CHANNELS", "x*"}), "[]");
  EXPECT_EQ(Ask({"PUBSUB", "NUMPAT"}), "(integer) 1");
  EXPECT_EQ(Ask({"PUBSUB", "SHARDNUMSUB", "foo", "sports", "bar"}),
            "[\"foo\", (integer) 0, \"sports\", (integer) 1, \"bar\", (integer) 0]");
  EXPECT_EQ(Ask({"PUBSUB", "SHARDNUMSUB"}), "[]");
  EXPECT_EQ(Ask({"PUBSUB", "SHARDCHANNELS"}), "[\"sports\"]");
}

TEST_F(SlotgateServerCommands, SlowlogIsOneLogOverEveryMaster) {
  // Every command is slow, and each node keeps only its newest entry.
  ASSERT_EQ(Ask({"CONFIG", "SET", "slowlog-max-len", "1"}), "OK");
  ASSERT_EQ(Ask({"CONFIG", "SET", "slowlog-log-slower-than", "0"}), "OK");
  ASSERT_EQ(Ask({"SLOWLOG", "RESET"}), "OK");
  EXPECT_EQ(Ask({"SLOWLOG", "LEN"}), "(integer) 3");  // each master logged the RESET
  RedisClient client(proxy_->port());
  const test::Reply all = client.Command({"SLOWLOG", "GET", "-1"});
  ASSERT_EQ(all->type, REDIS_REPLY_ARRAY);
  ASSERT_EQ(all->elements, 3u);  // each master's SLOWLOG LEN
  long long previous = INT64_MAX;
  for (size_t i = 0; i < all->elements; ++i) {
    const redisReply* entry = all->element[i];
    ASSERT_EQ(entry->type, REDIS_REPLY_ARRAY);
    EXPECT_EQ(test::ReplyToString(entry->element[3]), "[\"SLOWLOG\", \"LEN\"]");
    EXPECT_LE(entry->element[1]->integer, previous);
    previous = entry->element[1]->integer;
  }
  const test::Reply two = client.Command({"SLOWLOG", "GET", "2"});
  ASSERT_EQ(two->type, REDIS_REPLY_ARRAY);
  EXPECT_EQ(two->elements, 2u);
  EXPECT_EQ(Ask({"SLOWLOG", "GET", "0"}), "[]");
  EXPECT_EQ(Ask({"SLOWLOG", "GET", "-2"}),
            "(error) ERR count should be greater than or equal to -1");
  ASSERT_EQ(Ask({"CONFIG", "SET", "slowlog-log-slower-than", "10000"}), "OK");
  ASSERT_EQ(Ask({"CONFIG", "SET", "slowlog-max-len", "128"}), "OK");
}

TEST_F(SlotgateServerCommands, LastsaveIsTheOldestMastersSave) {
  long long oldest = INT64_MAX;
  for (const size_t master : cluster_->Masters()) {
    RedisClient node(cluster_->port(master));
    oldest = std::min(oldest, node.Command({"LASTSAVE"})->integer);
  }
  EXPECT_EQ(Ask({"LASTSAVE"}), "(integer) " + std::to_string(oldest));
}

TEST_F(SlotgateServerCommands, PerNodeCommandsAreRefusedWithTheReason) {
  EXPECT_EQ(Ask({"LATENCY", "LATEST"}),
            "(error) ERR proxy: LATENCY is per node; ask the nodes directly");
  EXPECT_EQ(Ask({"LATENCY", "DOCTOR"}),
            "(error) ERR proxy: LATENCY is per node; ask the nodes directly");
  EXPECT_EQ(Ask({"LATENCY", "RESET"}), "(integer) 0");
  EXPECT_EQ(Ask({"MEMORY", "STATS"}),
            "(error) ERR proxy: MEMORY STATS, DOCTOR and MALLOC-STATS are per node; ask the "
            "nodes directly");
  EXPECT_EQ(Ask({"MEMORY", "PURGE"}), "OK");
  EXPECT_EQ(Ask({"SAVE"}),
            "(error) ERR proxy: SAVE would block every master until its snapshot is written; "
            "use BGSAVE");
  EXPECT_EQ(Ask({"ACL", "SETUSER", "app"}),
            "(error) ERR proxy: ACL users are per node; manage them on the nodes directly");
  EXPECT_EQ(Ask({"MODULE", "LOAD", "/nonexistent.so"}),
            "(error) ERR proxy: modules are loaded per node; load and unload them on the nodes "
            "directly");
}

TEST_F(SlotgateServerCommands, BlockingCommandsFollowTheOneSlotRule) {
  EXPECT_EQ(Ask({"BLPOP", "foo", "bar", "1"}),
            "(error) CROSSSLOT Keys in request don't hash to the same slot");
  EXPECT_EQ(Ask({"RPUSH", "{q}b", "x"}), "(integer) 1");
  EXPECT_EQ(Ask({"BLPOP", "{q}a", "{q}b", "1"}), "[\"{q}b\", \"x\"]");
  EXPECT_EQ(Ask({"BLPOP", "{q}a", "0.01"}), "(nil)");
}

TEST(SlotgateAdminCommands, ByDefaultNoClientReconfiguresOrEmptiesTheCluster) {
  RedisCluster cluster(3);
  SlotgateProcess proxy(SlotgateConfig::ForCluster(cluster).Metrics(false));
  RedisClient client(proxy.port());
  ASSERT_EQ(client.CommandString({"SET", "kept", "v"}), "OK");
  const std::vector<std::vector<std::string>> refused = {{"CONFIG", "SET", "maxmemory", "0"},
                                                         {"CONFIG", "RESETSTAT"},
                                                         {"CONFIG", "REWRITE"},
                                                         {"FLUSHALL"},
                                                         {"FLUSHDB", "ASYNC"},
                                                         {"SCRIPT", "FLUSH"},
                                                         {"FUNCTION", "FLUSH"},
                                                         {"FUNCTION", "DELETE", "lib"},
                                                         {"FUNCTION", "RESTORE", "x"},
                                                         {"BGSAVE"},
                                                         {"BGREWRITEAOF"}};
  for (const std::vector<std::string>& command : refused) {
    std::string name = command[0];
    if (command[0] == "CONFIG" || command[0] == "SCRIPT" || command[0] == "FUNCTION") {
      name += " " + command[1];
    }
    EXPECT_EQ(client.CommandString(command),
              "(error) ERR proxy: " + name + " is disabled (admin_commands: false)");
  }
  EXPECT_EQ(client.CommandString({"MIGRATE", "127.0.0.1", "1", "kept", "0", "100"}),
            "(error) ERR proxy: MIGRATE is not available: it sends a node's keys to any address");
  EXPECT_EQ(client.CommandString({"CONFIG", "GET", "maxmemory"}), "[\"maxmemory\", \"0\"]");
  EXPECT_EQ(client.CommandString({"GET", "kept"}), "\"v\"");
  EXPECT_EQ(proxy.Stop(), 0) << proxy.Log();
}

}  // namespace
}  // namespace slotgate
