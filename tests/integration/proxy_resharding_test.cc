// Slots move between masters (IMPORTING/MIGRATING, MIGRATE of every key, SETSLOT NODE) while
// clients keep writing and reading them through slotgate: the clients never see an error, a
// MOVED or an ASK, and every write slotgate acknowledged is there afterwards, on the new owner.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <thread>
#include <vector>

#include "common/slot.h"
#include "tests/integration/support/proxy_load.h"
#include "tests/integration/support/redis_client.h"
#include "tests/integration/support/redis_cluster.h"
#include "tests/integration/support/slotgate_process.h"

namespace slotgate {
namespace {

using test::ProxyLoad;
using test::RedisClient;
using test::RedisCluster;
using test::ReplyToString;
using test::SlotgateConfig;
using test::SlotgateProcess;

// A hash tag whose slot is `slot`, found by trying {t0}, {t1}, ...
std::string TagOfSlot(uint16_t slot) {
  for (int i = 0;; ++i) {
    const std::string tag = "{t" + std::to_string(i) + "}";
    if (KeySlot(tag) == slot) return tag;
  }
}

// Every key of `acked` reads back its value through slotgate and on the master owning it now.
void ExpectAllReadBack(RedisCluster& cluster, uint16_t proxy_port,
                       const std::map<std::string, ProxyLoad::Acked>& acked) {
  ASSERT_FALSE(acked.empty());
  const std::vector<size_t> owners = cluster.SlotOwners();
  RedisClient proxy(proxy_port);
  size_t wrong = 0;
  for (const auto& [key, write] : acked) {
    const std::string want = "\"" + write.value + "\"";
    RedisClient owner(cluster.port(owners[KeySlot(key)]));
    const std::string direct = owner.CommandString({"GET", key});
    const std::string via_proxy = proxy.CommandString({"GET", key});
    if (direct == want && via_proxy == want) continue;
    ADD_FAILURE() << key << ": on its owner " << direct << ", through slotgate " << via_proxy
                  << ", acknowledged " << want;
    if (++wrong == 10) return;
  }
}

TEST(ProxyResharding, SlotsMovedUnderLoadShowNoErrorAndLoseNoAcknowledgedWrite) {
  RedisCluster cluster(/*masters=*/3);
  SlotgateProcess proxy(SlotgateConfig::ForCluster(cluster));
  // Two slots of each master, each moving to the next master.
  const std::vector<uint16_t> moving = {100, 4000, 6000, 9000, 12000, 15000};

  // Bystander keys in each moving slot, so MIGRATE has batches to move while clients work.
  RedisClient seeder(proxy.port());
  std::map<std::string, ProxyLoad::Acked> seeded;
  for (const uint16_t slot : moving) {
    for (int i = 0; i < 300; ++i) {
      const std::string key = TagOfSlot(slot) + ":seed:" + std::to_string(i);
      seeder.Append({"SET", key, std::to_string(i)});
      seeded[key] = {std::to_string(i), {}};
    }
  }
  for (size_t i = 0; i < seeded.size(); ++i) ASSERT_EQ(ReplyToString(seeder.Next().get()), "OK");

  // Eight writers, each with keys in every moving slot and keys anywhere else.
  std::vector<std::vector<std::string>> keys(8);
  for (size_t t = 0; t < keys.size(); ++t) {
    for (const uint16_t slot : moving) {
      for (int i = 0; i < 4; ++i) {
        keys[t].push_back(TagOfSlot(slot) + ":w" + std::to_string(t) + ":" + std::to_string(i));
      }
    }
    for (int i = 0; i < 16; ++i) {
      keys[t].push_back("w" + std::to_string(t) + ":any:" + std::to_string(i));
    }
  }
  ProxyLoad load(proxy.port(), keys);
  ASSERT_TRUE(load.WaitForProgress(1000));

  for (const uint16_t slot : moving) {
    const size_t from = cluster.MasterOf(slot);
    const size_t to = (from + 1) % 3;
    cluster.BeginMigration(slot, from, to);
    // Hold the slot half moved: keys on both sides, ASK for the moved ones.
    ASSERT_GT(cluster.MoveKeys(slot, from, to, 150), 0u);
    ASSERT_TRUE(load.WaitForProgress(300)) << "slot " << slot;
    cluster.MoveKeys(slot, from, to);
    ASSERT_TRUE(load.WaitForProgress(300)) << "slot " << slot;
    cluster.FinishMigration(slot, from, to);
    ASSERT_TRUE(load.WaitForProgress(300)) << "slot " << slot;
    ASSERT_EQ(cluster.MasterOf(slot), to);
  }
  load.Stop();

  EXPECT_EQ(load.failure_count(), 0u) << test::Describe(load.Failures());
  std::map<std::string, ProxyLoad::Acked> acked = load.Acknowledged();
  acked.insert(seeded.begin(), seeded.end());
  ExpectAllReadBack(cluster, proxy.port(), acked);
  EXPECT_GT(proxy.Metric("slotgate_redirects_total{kind=\"ask\"}").value_or(0), 0)
      << "the clients never ran into a half-moved slot";
  EXPECT_EQ(proxy.Stop(), 0) << proxy.Log();
}

TEST(ProxyResharding, MultiKeyRequestOnAHalfMovedSlotWaitsUntilItsKeysAreTogether) {
  RedisCluster cluster(/*masters=*/2);
  SlotgateProcess proxy(SlotgateConfig::ForCluster(cluster));
  const uint16_t slot = 700;
  const std::string tag = TagOfSlot(slot);
  RedisClient client(proxy.port());
  ASSERT_EQ(client.CommandString({"MSET", tag + "a", "1", tag + "b", "2"}), "OK");
  cluster.BeginMigration(slot, 0, 1);
  ASSERT_EQ(cluster.MoveKeys(slot, 0, 1, 1), 1u);  // one key on each side: Redis says TRYAGAIN

  std::string reply;
  std::thread reader([&] { reply = client.CommandString({"MGET", tag + "a", tag + "b"}); });
  const bool retrying = test::PollUntil(
      [&] { return proxy.Metric("slotgate_redirects_total{kind=\"tryagain\"}").value_or(0) > 0; },
      std::chrono::seconds(5));
  cluster.MoveKeys(slot, 0, 1);
  reader.join();
  EXPECT_TRUE(retrying) << "slotgate never saw TRYAGAIN";
  EXPECT_EQ(reply, "[\"1\", \"2\"]");
  cluster.FinishMigration(slot, 0, 1);
  EXPECT_EQ(client.CommandString({"MGET", tag + "a", tag + "b"}), "[\"1\", \"2\"]");
}

}  // namespace
}  // namespace slotgate

namespace slotgate {
namespace {

// MGET, MSET and DEL over keys of several slots, one of which is half-migrated: the part for
// the moved key is answered ASK and followed, the others go to their owners, and the merged
// replies are exactly those of one server.
TEST(ProxyResharding, CrossSlotMultiKeyCommandsWorkWhileASlotMigrates) {
  RedisCluster cluster(3);
  SlotgateProcess proxy(SlotgateConfig::ForCluster(cluster));
  RedisClient client(proxy.port());
  const std::string moved = "{mig}moved";
  const std::string stays = "{mig}stays";  // same slot, still on the source
  const uint16_t slot = KeySlot(moved);
  const size_t from = cluster.MasterOf(slot);
  const size_t to = (from + 1) % 3;
  ASSERT_EQ(client.CommandString({"MSET", stays, "s", "b", "2", "c", "3"}), "OK");
  ASSERT_EQ(client.CommandString({"SET", moved, "1"}), "OK");
  cluster.BeginMigration(slot, from, to);
  {
    RedisClient source(cluster.port(from));
    ASSERT_EQ(source.CommandString({"MIGRATE", "127.0.0.1", std::to_string(cluster.port(to)), "",
                                    "0", "5000", "KEYS", moved}),
              "OK");
  }
  const double asks_before = proxy.Metric("slotgate_redirects_total{kind=\"ask\"}").value_or(0);
  EXPECT_EQ(client.CommandString({"MGET", moved, "b", "missing", "c"}),
            "[\"1\", \"2\", (nil), \"3\"]");
  EXPECT_EQ(client.CommandString({"MGET", stays, "b"}), "[\"s\", \"2\"]");
  EXPECT_EQ(client.CommandString({"MSET", moved, "10", "b", "20", "c", "30"}), "OK");
  EXPECT_EQ(client.CommandString({"MGET", "c", moved, "b"}), "[\"30\", \"10\", \"20\"]");
  EXPECT_EQ(client.CommandString({"EXISTS", moved, "b", "c", "missing"}), "(integer) 3");
  EXPECT_EQ(client.CommandString({"DEL", moved, "b", "missing"}), "(integer) 2");
  EXPECT_EQ(client.CommandString({"MGET", moved, "b", "c"}), "[(nil), (nil), \"30\"]");
  EXPECT_GT(proxy.Metric("slotgate_redirects_total{kind=\"ask\"}").value_or(0), asks_before);
  cluster.MoveKeys(slot, from, to);
  cluster.FinishMigration(slot, from, to);
  EXPECT_EQ(client.CommandString({"MGET", stays, "c"}), "[\"s\", \"30\"]");
  RedisClient target(cluster.port(to));
  EXPECT_EQ(target.CommandString({"GET", stays}), "\"s\"");
}

}  // namespace
}  // namespace slotgate
