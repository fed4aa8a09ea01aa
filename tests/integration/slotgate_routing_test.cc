// Through slotgate, a 3-master cluster answers like one Redis server: keys land on the master
// owning their slot, and the errors a client may see are Redis's own.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/slot.h"
#include "tests/integration/support/local_cluster.h"
#include "tests/integration/support/redis_client.h"
#include "tests/integration/support/slotgate_runner.h"

namespace slotgate {
namespace {

using test::LocalCluster;
using test::RedisClient;
using test::SlotgateRunner;

class SlotgateRouting : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    cluster_ = new LocalCluster({.masters = 3, .replicas_per_master = 0, .extra_args = {}});
    proxy_ = new SlotgateRunner(SlotgateRunner::ClusterBackend(cluster_->Addresses()));
  }
  static void TearDownTestSuite() {
    delete proxy_;
    delete cluster_;
  }
  std::string Ask(const std::vector<std::string>& args) {
    RedisClient client(proxy_->port());
    return client.CommandString(args);
  }

  static LocalCluster* cluster_;
  static SlotgateRunner* proxy_;
};

LocalCluster* SlotgateRouting::cluster_ = nullptr;
SlotgateRunner* SlotgateRouting::proxy_ = nullptr;

TEST_F(SlotgateRouting, TenThousandKeysLandOnTheMasterOwningTheirSlot) {
  RedisClient client(proxy_->port());
  constexpr int kKeys = 10000;
  for (int i = 0; i < kKeys; ++i) {
    client.Append({"SET", "key:" + std::to_string(i), "value:" + std::to_string(i)});
  }
  for (int i = 0; i < kKeys; ++i) ASSERT_EQ(test::ReplyToString(client.Next().get()), "OK");

  std::vector<std::unique_ptr<RedisClient>> direct;
  for (size_t n = 0; n < cluster_->size(); ++n) {
    direct.push_back(std::make_unique<RedisClient>(cluster_->node(n).port()));
  }
  const std::vector<size_t> owner = cluster_->SlotOwners();
  for (int i = 0; i < kKeys; ++i) {
    const std::string key = "key:" + std::to_string(i);
    const size_t node = owner[KeySlot(key)];
    ASSERT_EQ(direct[node]->CommandString({"GET", key}), "\"value:" + std::to_string(i) + "\"")
        << key;
  }
  for (int i = 0; i < kKeys; ++i) client.Append({"GET", "key:" + std::to_string(i)});
  for (int i = 0; i < kKeys; ++i) {
    ASSERT_EQ(test::ReplyToString(client.Next().get()), "\"value:" + std::to_string(i) + "\"");
  }
}

TEST_F(SlotgateRouting, ConnectionCommandsAreAnsweredLikeOneServer) {
  EXPECT_EQ(Ask({"PING"}), "PONG");
  EXPECT_EQ(Ask({"PING", "hello"}), "\"hello\"");
  EXPECT_EQ(Ask({"ECHO", "x y"}), "\"x y\"");
  EXPECT_EQ(Ask({"SELECT", "0"}), "OK");
  EXPECT_EQ(Ask({"SELECT", "1"}), "(error) ERR SELECT is not allowed in cluster mode");
  EXPECT_EQ(Ask({"COMMAND", "COUNT"}), "(integer) 240");
}

TEST_F(SlotgateRouting, UnknownCommandsAndWrongArityGetRedisErrors) {
  EXPECT_EQ(Ask({"FOO", "a", "b"}),
            "(error) ERR unknown command 'FOO', with args beginning with: 'a' 'b' ");
  EXPECT_EQ(Ask({"GET"}), "(error) ERR wrong number of arguments for 'get' command");
  EXPECT_EQ(Ask({"CONFIG", "nosuch"}), "(error) ERR unknown subcommand 'nosuch'. Try CONFIG HELP.");
  EXPECT_EQ(Ask({"CLUSTER", "NODES"}), "(error) ERR This instance has cluster support disabled");
}

TEST_F(SlotgateRouting, KeysOfSeveralSlotsAreRefusedUnlessTheCommandCanBeSplit) {
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

TEST_F(SlotgateRouting, TransactionsRunOnTheSlotOwner) {
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

TEST_F(SlotgateRouting, WholeKeyspaceCommandsSeeEveryMaster) {
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

}  // namespace
}  // namespace slotgate
