// Pub/sub through slotgate: channels and patterns at one master (PUBLISH reaches every node of
// a cluster), shard channels at their slot's master, keyspace notifications merged from every
// master, the subscribed-mode command rules, subscriptions re-placed after a master dies, and
// a subscriber that does not read dropped at its output limit.
#include <gtest/gtest.h>

#include <chrono>
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
using test::ReplyToString;
using test::SlotgateConfig;
using test::SlotgateProcess;

constexpr milliseconds kDeadline{15000};

// Subscribers on channel `channel` over every running master of `cluster`.
long long SubscribersAtMasters(RedisCluster& cluster, const std::string& channel) {
  long long total = 0;
  for (const size_t master : cluster.Masters()) {
    RedisClient node(cluster.port(master));
    const test::Reply reply = node.Command({"PUBSUB", "NUMSUB", channel});
    total += reply->element[1]->integer;
  }
  return total;
}

class SlotgatePubSub : public test::ClusterSuite {
 protected:
  static void SetUpTestSuite() { StartCluster({.admin_commands = true}); }  // CONFIG SET
  static std::string Next(RedisClient& client) { return ReplyToString(client.Next().get()); }
};

TEST_F(SlotgatePubSub, SubscribersGetWhatIsPublishedThroughAnyNode) {
  RedisClient subscriber(proxy_->port());
  EXPECT_EQ(subscriber.CommandString({"SUBSCRIBE", "news", "sport"}),
            "[\"subscribe\", \"news\", (integer) 1]");
  EXPECT_EQ(Next(subscriber), "[\"subscribe\", \"sport\", (integer) 2]");
  EXPECT_EQ(subscriber.CommandString({"PSUBSCRIBE", "we*"}),
            "[\"psubscribe\", \"we*\", (integer) 3]");
  EXPECT_TRUE(PollUntil([&] { return proxy_->Metric("slotgate_pubsub_clients").value_or(0) == 1; },
                        kDeadline));
  RedisClient publisher(proxy_->port());
  EXPECT_EQ(publisher.CommandString({"PUBLISH", "news", "through slotgate"}), "(integer) 1");
  EXPECT_EQ(Next(subscriber), "[\"message\", \"news\", \"through slotgate\"]");
  for (size_t i = 0; i < cluster_->size(); ++i) {
    RedisClient node(cluster_->port(i));
    node.Command({"PUBLISH", "weather", "from node " + std::to_string(i)});
    EXPECT_EQ(Next(subscriber),
              "[\"pmessage\", \"we*\", \"weather\", \"from node " + std::to_string(i) + "\"]");
  }
}

TEST_F(SlotgatePubSub, SubscribedClientsMayOnlySubscribePingQuitOrReset) {
  RedisClient client(proxy_->port());
  EXPECT_EQ(client.CommandString({"SUBSCRIBE", "c1"}), "[\"subscribe\", \"c1\", (integer) 1]");
  EXPECT_EQ(client.CommandString({"GET", "k"}),
            "(error) ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / "
            "QUIT / RESET are allowed in this context");
  EXPECT_EQ(client.CommandString({"PING"}), "[\"pong\", \"\"]");
  EXPECT_EQ(client.CommandString({"PING", "hi"}), "[\"pong\", \"hi\"]");
  EXPECT_EQ(client.CommandString({"PSUBSCRIBE", "p*"}), "[\"psubscribe\", \"p*\", (integer) 2]");
  EXPECT_EQ(client.CommandString({"UNSUBSCRIBE"}), "[\"unsubscribe\", \"c1\", (integer) 1]");
  EXPECT_EQ(client.CommandString({"PUNSUBSCRIBE", "p*", "other"}),
            "[\"punsubscribe\", \"p*\", (integer) 0]");
  EXPECT_EQ(Next(client), "[\"punsubscribe\", \"other\", (integer) 0]");
  EXPECT_EQ(client.CommandString({"UNSUBSCRIBE"}), "[\"unsubscribe\", (nil), (integer) 0]");
  EXPECT_EQ(client.CommandString({"SET", "{ps}k", "v"}), "OK");
  EXPECT_EQ(client.CommandString({"SUBSCRIBE", "c2"}), "[\"subscribe\", \"c2\", (integer) 1]");
  EXPECT_EQ(client.CommandString({"RESET"}), "RESET");
  EXPECT_EQ(client.CommandString({"GET", "{ps}k"}), "\"v\"");
}

TEST_F(SlotgatePubSub, ShardChannelsLiveAtTheirSlotsMaster) {
  RedisClient subscriber(proxy_->port());
  EXPECT_EQ(subscriber.CommandString({"SSUBSCRIBE", "{s}orders", "{s}refunds"}),
            "[\"ssubscribe\", \"{s}orders\", (integer) 1]");
  EXPECT_EQ(Next(subscriber), "[\"ssubscribe\", \"{s}refunds\", (integer) 2]");
  EXPECT_EQ(subscriber.CommandString({"SSUBSCRIBE", "{a}x", "{b}y"}),
            "(error) CROSSSLOT Keys in request don't hash to the same slot");
  RedisClient publisher(proxy_->port());
  EXPECT_EQ(publisher.CommandString({"SPUBLISH", "{s}orders", "o-1"}), "(integer) 1");
  EXPECT_EQ(Next(subscriber), "[\"smessage\", \"{s}orders\", \"o-1\"]");
  EXPECT_EQ(subscriber.CommandString({"SUNSUBSCRIBE", "{s}orders"}),
            "[\"sunsubscribe\", \"{s}orders\", (integer) 1]");
  EXPECT_EQ(publisher.CommandString({"SPUBLISH", "{s}orders", "o-2"}), "(integer) 0");
  EXPECT_EQ(publisher.CommandString({"SPUBLISH", "{s}refunds", "r-1"}), "(integer) 1");
  EXPECT_EQ(Next(subscriber), "[\"smessage\", \"{s}refunds\", \"r-1\"]");
}

TEST_F(SlotgatePubSub, KeyspaceNotificationsOfEveryMasterAreMerged) {
  RedisClient admin(proxy_->port());
  ASSERT_EQ(admin.CommandString({"CONFIG", "SET", "notify-keyspace-events", "E$"}), "OK");
  RedisClient subscriber(proxy_->port());
  EXPECT_EQ(subscriber.CommandString({"SUBSCRIBE", "__keyevent@0__:set"}),
            "[\"subscribe\", \"__keyevent@0__:set\", (integer) 1]");
  // One key on each master.
  std::vector<std::string> keys;
  for (const test::OwnedSlots& range : cluster_->SlotMap()) {
    for (int i = 0; keys.size() <= range.node; ++i) {
      const std::string key = "event:" + std::to_string(i);
      if (KeySlot(key) >= range.first && KeySlot(key) <= range.last) keys.push_back(key);
    }
  }
  ASSERT_EQ(keys.size(), 3u);
  for (const std::string& key : keys) {
    ASSERT_EQ(admin.CommandString({"SET", key, "v"}), "OK");
    EXPECT_EQ(Next(subscriber), "[\"message\", \"__keyevent@0__:set\", \"" + key + "\"]");
  }
  EXPECT_EQ(admin.CommandString({"CONFIG", "SET", "notify-keyspace-events", ""}), "OK");
}

TEST_F(SlotgatePubSub, SubscriberThatDoesNotReadIsDroppedAtTheOutputLimit) {
  SlotgateProcess proxy(
      SlotgateConfig::ForCluster(*cluster_).Limit("pubsub_output_buffer_bytes", "64kb").Workers(1));
  RedisClient subscriber(proxy.port());
  EXPECT_EQ(subscriber.CommandString({"SUBSCRIBE", "firehose"}),
            "[\"subscribe\", \"firehose\", (integer) 1]");
  RedisClient publisher(proxy.port());
  const std::string payload(16 * 1024, 'x');
  // The kernel's socket buffers take the first megabytes; slotgate's own queue then passes the
  // limit and the subscriber is dropped, well before this bound.
  ASSERT_TRUE(PollUntil(
      [&] {
        for (int i = 0; i < 64; ++i) publisher.Append({"PUBLISH", "firehose", payload});
        for (int i = 0; i < 64; ++i) publisher.Next();
        return proxy.Metric("slotgate_client_connections").value_or(0) == 1;
      },
      kDeadline));
  EXPECT_EQ(publisher.CommandString({"PING"}), "PONG");
}

TEST(SlotgatePubSubFailover, SubscriptionsMoveToAnotherMasterWhenTheirNodeDies) {
  RedisCluster cluster(3, 1);
  SlotgateProcess proxy(
      SlotgateConfig::ForCluster(cluster).Timeout("topology_refresh_interval_s", "1"));
  RedisClient subscriber(proxy.port());
  EXPECT_EQ(subscriber.CommandString({"SUBSCRIBE", "alerts"}),
            "[\"subscribe\", \"alerts\", (integer) 1]");
  size_t home = RedisCluster::kNoOwner;
  for (const size_t master : cluster.Masters()) {
    RedisClient node(cluster.port(master));
    if (node.Command({"PUBSUB", "NUMSUB", "alerts"})->element[1]->integer == 1) home = master;
  }
  ASSERT_NE(home, RedisCluster::kNoOwner);
  const size_t replica = cluster.ReplicasOf(home).at(0);
  cluster.Kill(home);
  cluster.WaitForPromotion(replica);
  ASSERT_TRUE(PollUntil([&] { return SubscribersAtMasters(cluster, "alerts") == 1; }, kDeadline));
  RedisClient publisher(proxy.port());
  publisher.Command({"PUBLISH", "alerts", "after failover"});
  EXPECT_EQ(ReplyToString(subscriber.Next().get()),
            "[\"message\", \"alerts\", \"after failover\"]");
}

}  // namespace
}  // namespace slotgate
