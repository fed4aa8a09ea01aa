// Through slotgate a 3-master Redis Cluster answers like one Redis server: every key lands on
// the master owning its slot, and keyless commands and errors read exactly as Redis writes them.
#include <gtest/gtest.h>

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

using test::RedisClient;
using test::RedisCluster;
using test::ReplyToString;
using test::SlotgateConfig;
using test::SlotgateProcess;

class ProxyRouting : public test::ClusterSuite {
 protected:
  // The reply of slotgate and, for comparison, of the first master asked directly.
  static std::string ViaProxy(const std::vector<std::string>& args) {
    RedisClient client(proxy_->port());
    return client.CommandString(args);
  }
  static std::string Direct(const std::vector<std::string>& args) {
    RedisClient client(cluster_->port(0));
    return client.CommandString(args);
  }
};

TEST_F(ProxyRouting, TenThousandKeysLandOnTheMasterOwningTheirSlotAndReadBack) {
  constexpr int kKeys = 10000;
  RedisClient client(proxy_->port());
  for (int i = 0; i < kKeys; ++i) {
    client.Append({"SET", "route:" + std::to_string(i), "v" + std::to_string(i)});
  }
  for (int i = 0; i < kKeys; ++i) ASSERT_EQ(ReplyToString(client.Next().get()), "OK") << i;

  const std::vector<size_t> owners = cluster_->SlotOwners();
  std::vector<std::unique_ptr<RedisClient>> direct;
  for (size_t n = 0; n < cluster_->size(); ++n) {
    direct.push_back(std::make_unique<RedisClient>(cluster_->port(n)));
  }
  std::vector<int> per_master(cluster_->size(), 0);
  for (int i = 0; i < kKeys; ++i) {
    const std::string key = "route:" + std::to_string(i);
    const size_t owner = owners[KeySlot(key)];
    ASSERT_EQ(direct[owner]->CommandString({"GET", key}), "\"v" + std::to_string(i) + "\"")
        << key << " on node " << owner;
    ++per_master[owner];
  }
  for (size_t n = 0; n < cluster_->size(); ++n) {
    EXPECT_EQ(direct[n]->CommandString({"DBSIZE"}), "(integer) " + std::to_string(per_master[n]))
        << "node " << n << " holds keys it does not own";
  }

  for (int i = 0; i < kKeys; ++i) client.Append({"GET", "route:" + std::to_string(i)});
  for (int i = 0; i < kKeys; ++i) {
    ASSERT_EQ(ReplyToString(client.Next().get()), "\"v" + std::to_string(i) + "\"") << i;
  }
}

TEST_F(ProxyRouting, PingEchoAndSelectZeroAnswerLikeOneServer) {
  EXPECT_EQ(ViaProxy({"PING"}), "PONG");
  EXPECT_EQ(ViaProxy({"PING", "hi there"}), "\"hi there\"");
  EXPECT_EQ(ViaProxy({"ECHO", "hello"}), "\"hello\"");
  EXPECT_EQ(ViaProxy({"SELECT", "0"}), "OK");
  EXPECT_EQ(ViaProxy({"SELECT", "0"}), Direct({"SELECT", "0"}));
}

TEST_F(ProxyRouting, SelectOfAnotherDatabaseIsRefusedAsInClusterMode) {
  EXPECT_EQ(ViaProxy({"SELECT", "1"}), "(error) ERR SELECT is not allowed in cluster mode");
  EXPECT_EQ(ViaProxy({"SELECT", "1"}), Direct({"SELECT", "1"}));
}

TEST_F(ProxyRouting, UnknownCommandGetsRedisErrorWithItsTrailingSpace) {
  EXPECT_EQ(ViaProxy({"foo", "a", "b"}),
            "(error) ERR unknown command 'foo', with args beginning with: 'a' 'b' ");
  EXPECT_EQ(ViaProxy({"foo", "a", "b"}), Direct({"foo", "a", "b"}));
}

TEST_F(ProxyRouting, WrongArityGetsRedisErrorNamingTheCommand) {
  EXPECT_EQ(ViaProxy({"get"}), "(error) ERR wrong number of arguments for 'get' command");
  EXPECT_EQ(ViaProxy({"GET", "a", "b"}), "(error) ERR wrong number of arguments for 'get' command");
  EXPECT_EQ(ViaProxy({"GET", "a", "b"}), Direct({"GET", "a", "b"}));
}

TEST_F(ProxyRouting, CommandOverKeysOfSeveralSlotsIsCrossslot) {
  ASSERT_NE(KeySlot("a"), KeySlot("b"));
  EXPECT_EQ(ViaProxy({"RENAME", "a", "b"}),
            "(error) CROSSSLOT Keys in request don't hash to the same slot");
  EXPECT_EQ(ViaProxy({"SUNION", "a", "b"}),
            "(error) CROSSSLOT Keys in request don't hash to the same slot");
  EXPECT_EQ(ViaProxy({"SUNION", "a", "b"}), Direct({"SUNION", "a", "b"}));
}

TEST_F(ProxyRouting, MgetOverSeveralSlotsIsMergedInArgumentOrder) {
  // DESIGN.md section 2 splits MGET by slot; a lone Redis node would answer CROSSSLOT.
  RedisClient client(proxy_->port());
  ASSERT_EQ(client.CommandString({"SET", "a", "1"}), "OK");
  ASSERT_EQ(client.CommandString({"SET", "b", "2"}), "OK");
  EXPECT_EQ(client.CommandString({"MGET", "a", "b", "missing"}), "[\"1\", \"2\", (nil)]");
}

TEST_F(ProxyRouting, HashTaggedKeysShareASlotAndAMultiKeyCommand) {
  ASSERT_EQ(KeySlot("{u}a"), KeySlot("{u}b"));
  RedisClient client(proxy_->port());
  EXPECT_EQ(client.CommandString({"MSET", "{u}a", "1", "{u}b", "2"}), "OK");
  EXPECT_EQ(client.CommandString({"MGET", "{u}a", "{u}b"}), "[\"1\", \"2\"]");
  EXPECT_EQ(client.CommandString({"SADD", "{u}s1", "x", "y"}), "(integer) 2");
  EXPECT_EQ(client.CommandString({"SADD", "{u}s2", "y", "z"}), "(integer) 2");
  EXPECT_EQ(client.CommandString({"SINTER", "{u}s1", "{u}s2"}), "[\"y\"]");
  EXPECT_EQ(client.CommandString({"RENAME", "{u}a", "{u}c"}), "OK");

  RedisClient owner(cluster_->port(cluster_->MasterOf(KeySlot("u"))));
  EXPECT_EQ(owner.CommandString({"MGET", "{u}a", "{u}b", "{u}c"}), "[(nil), \"2\", \"1\"]");
}

}  // namespace
}  // namespace slotgate
