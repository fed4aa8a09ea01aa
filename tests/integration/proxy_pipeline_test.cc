// Many clients pipelining deep through slotgate at once: each reply must be the one Redis gives
// for that very request, in request order, though the requests of one pipeline go to different
// masters and come back from them in any interleaving.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

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

// One client's keyspace, modelled so the expected reply of every command is known up front.
class MixedCommands {
 public:
  explicit MixedCommands(int client) : prefix_("c" + std::to_string(client) + ":") {}

  // The i-th command and the reply Redis gives to it after commands 0..i-1.
  std::pair<std::vector<std::string>, std::string> Next(int i) {
    const std::string k = std::to_string((i * 7) % 211);  // 211 keys per type: many slots
    const std::string v = "v" + std::to_string(i);
    switch (i % 8) {
      case 0:
        strings_[k] = v;
        return {{"SET", prefix_ + "s" + k, v}, "OK"};
      case 1:
        return {{"GET", prefix_ + "s" + k}, Bulk(strings_, k)};
      case 2:
        return {{"INCR", prefix_ + "n" + k}, "(integer) " + std::to_string(++counters_[k])};
      case 3: {
        std::vector<std::string>& list = lists_[k];
        list.insert(list.begin(), v);
        return {{"LPUSH", prefix_ + "l" + k, v}, "(integer) " + std::to_string(list.size())};
      }
      case 4: {
        const std::vector<std::string>& list = lists_[k];
        std::string want = "[";
        for (size_t j = 0; j < list.size() && j < 3; ++j) {
          want += (j ? ", \"" : "\"") + list[j] + "\"";
        }
        return {{"LRANGE", prefix_ + "l" + k, "0", "2"}, want + "]"};
      }
      case 5: {
        const std::string field = "f" + std::to_string(i % 5);
        const bool added = hashes_[k].insert_or_assign(field, v).second;
        return {{"HSET", prefix_ + "h" + k, field, v}, added ? "(integer) 1" : "(integer) 0"};
      }
      case 6: {
        const std::string field = "f" + std::to_string((i + 1) % 5);
        return {{"HGET", prefix_ + "h" + k, field}, Bulk(hashes_[k], field)};
      }
      default: {
        const bool existed = strings_.erase(k) > 0;
        return {{"DEL", prefix_ + "s" + k}, existed ? "(integer) 1" : "(integer) 0"};
      }
    }
  }

 private:
  static std::string Bulk(const std::map<std::string, std::string>& map, const std::string& k) {
    const auto it = map.find(k);
    return it == map.end() ? "(nil)" : "\"" + it->second + "\"";
  }

  std::string prefix_;
  std::map<std::string, std::string> strings_;
  std::map<std::string, long long> counters_;
  std::map<std::string, std::vector<std::string>> lists_;
  std::map<std::string, std::map<std::string, std::string>> hashes_;
};

TEST(ProxyPipeline, FiftyClientsPipeliningTenThousandMixedCommandsGetEveryReplyInOrder) {
  constexpr int kClients = 50;
  constexpr int kCommands = 10000;
  RedisCluster cluster(/*masters=*/3);
  SlotgateProcess proxy(SlotgateConfig::ForCluster(cluster));

  std::atomic<int> wrong{0};
  std::atomic<int> finished{0};
  std::mutex mutex;
  std::vector<std::string> first_wrong;
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      try {
        RedisClient client(proxy.port());
        MixedCommands model(c);
        std::vector<std::string> expected;
        for (int i = 0; i < kCommands; ++i) {
          auto [command, reply] = model.Next(i);
          client.Append(command);
          expected.push_back(std::move(reply));
        }
        for (int i = 0; i < kCommands; ++i) {
          const std::string got = ReplyToString(client.Next().get());
          if (got == expected[static_cast<size_t>(i)]) continue;
          ++wrong;
          std::lock_guard lock(mutex);
          if (first_wrong.size() < 10) {
            first_wrong.push_back("client " + std::to_string(c) + " #" + std::to_string(i) +
                                  ": got " + got + ", want " + expected[static_cast<size_t>(i)]);
          }
        }
        ++finished;
      } catch (const std::exception& e) {
        std::lock_guard lock(mutex);
        first_wrong.push_back("client " + std::to_string(c) + ": " + e.what());
      }
    });
  }
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(finished.load(), kClients);
  EXPECT_EQ(wrong.load(), 0) << testing::PrintToString(first_wrong);
  EXPECT_TRUE(first_wrong.empty()) << testing::PrintToString(first_wrong);
  EXPECT_EQ(proxy.Stop(), 0) << proxy.Log();
}

}  // namespace
}  // namespace slotgate
