// Static mode: plain (non-cluster) redis servers behind slotgate, the YAML slot table the only
// authority. Every key must land on exactly the server the table names for its slot.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/slot.h"
#include "tests/integration/support/redis_client.h"
#include "tests/integration/support/redis_server.h"
#include "tests/integration/support/slotgate_process.h"

namespace slotgate {
namespace {

using test::RedisClient;
using test::RedisServer;
using test::ReplyToString;
using test::SlotgateConfig;
using test::SlotgateProcess;

// The table below: server 0 owns both ends, servers 1 and 2 the middle.
size_t ConfiguredOwner(uint16_t slot) {
  if (slot <= 3999 || slot >= 12000) return 0;
  return slot <= 7999 ? 1 : 2;
}

TEST(ProxyStatic, KeysLandOnTheServerTheYamlTableNames) {
  std::vector<std::unique_ptr<RedisServer>> servers;
  for (int i = 0; i < 3; ++i) servers.push_back(std::make_unique<RedisServer>());
  SlotgateProcess proxy(SlotgateConfig::ForStatic({{servers[0]->address(), "0-3999, 12000-16383"},
                                                   {servers[1]->address(), "4000-7999"},
                                                   {servers[2]->address(), "8000-11999"}}));

  constexpr int kKeys = 5000;
  RedisClient client(proxy.port());
  for (int i = 0; i < kKeys; ++i) {
    client.Append({"SET", "static:" + std::to_string(i), std::to_string(i)});
  }
  for (int i = 0; i < kKeys; ++i) ASSERT_EQ(ReplyToString(client.Next().get()), "OK") << i;

  std::vector<std::unique_ptr<RedisClient>> direct;
  for (const auto& server : servers)
    direct.push_back(std::make_unique<RedisClient>(server->port()));
  std::vector<int> expected_count(servers.size(), 0);
  for (int i = 0; i < kKeys; ++i) {
    const std::string key = "static:" + std::to_string(i);
    const size_t owner = ConfiguredOwner(KeySlot(key));
    ++expected_count[owner];
    for (size_t s = 0; s < servers.size(); ++s) {
      ASSERT_EQ(direct[s]->CommandString({"GET", key}),
                s == owner ? "\"" + std::to_string(i) + "\"" : std::string("(nil)"))
          << key << " (slot " << KeySlot(key) << ") on server " << s;
    }
  }
  for (size_t s = 0; s < servers.size(); ++s) {
    EXPECT_EQ(direct[s]->CommandString({"DBSIZE"}),
              "(integer) " + std::to_string(expected_count[s]));
  }
  for (int i = 0; i < kKeys; i += 97) {
    EXPECT_EQ(client.CommandString({"GET", "static:" + std::to_string(i)}),
              "\"" + std::to_string(i) + "\"");
  }
  EXPECT_EQ(proxy.Stop(), 0) << proxy.Log();
}

TEST(ProxyStatic, HashTaggedKeysGoTogetherToTheirTagsServer) {
  std::vector<std::unique_ptr<RedisServer>> servers;
  for (int i = 0; i < 3; ++i) servers.push_back(std::make_unique<RedisServer>());
  SlotgateProcess proxy(SlotgateConfig::ForStatic({{servers[0]->address(), "0-3999, 12000-16383"},
                                                   {servers[1]->address(), "4000-7999"},
                                                   {servers[2]->address(), "8000-11999"}}));
  RedisClient client(proxy.port());
  EXPECT_EQ(client.CommandString({"MSET", "{bar}1", "a", "{bar}2", "b"}), "OK");
  EXPECT_EQ(client.CommandString({"RENAME", "{bar}1", "{bar}3"}), "OK");
  RedisClient owner(servers[ConfiguredOwner(KeySlot("bar"))]->port());  // slot 5061: server 1
  EXPECT_EQ(owner.CommandString({"MGET", "{bar}1", "{bar}2", "{bar}3"}), "[(nil), \"b\", \"a\"]");
  EXPECT_EQ(client.CommandString({"RENAME", "{bar}2", "foo"}),
            "(error) CROSSSLOT Keys in request don't hash to the same slot");
}

}  // namespace
}  // namespace slotgate
