// A client's requests run in the order it sent them, also while their slot's master fails over
// or is killed: slotgate retries and re-routes requests, and a retry must never overtake or
// repeat a request the client sent before it.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "common/slot.h"
#include "tests/integration/support/redis_client.h"
#include "tests/integration/support/redis_cluster.h"
#include "tests/integration/support/slotgate_process.h"

namespace slotgate {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;
using test::PollUntil;
using test::RedisClient;
using test::RedisCluster;
using test::SlotgateConfig;
using test::SlotgateProcess;

constexpr int kThreads = 6;
constexpr int kBatch = 100;
constexpr long long kMaxValue = 1000000;  // a thread stops here at the latest
constexpr auto kRunLimit = seconds(90);   // and the load stops at this age, whatever happened

std::string MetricsName(const testing::TestParamInfo<bool>& info) {
  return info.param ? "MetricsOn" : "MetricsOff";
}

long long Millis(steady_clock::duration d) { return d / milliseconds(1); }

// Two list keys on each of the three masters, those of master 0 first.
std::vector<std::string> ListKeys(RedisCluster& cluster) {
  const std::vector<size_t> owners = cluster.SlotOwners();
  std::vector<std::string> keys;
  for (size_t master = 0; master < 3; ++master) {
    int found = 0;
    for (int n = 0; found < 2; ++n) {
      const std::string key = "own-list-" + std::to_string(n);
      if (owners[KeySlot(key)] != master) continue;
      keys.push_back(key);
      ++found;
    }
  }
  return keys;
}

// What one writer sent and what slotgate answered.
struct Writer {
  enum Outcome : uint8_t { kUnanswered, kAcknowledged, kError, kBad };
  std::string key;
  std::atomic<long long> sent{0};             // values 1..sent were sent, in order
  std::vector<uint8_t> outcome{kUnanswered};  // by value; [0] unused
  size_t acknowledged = 0;                    // answered with an integer
  std::map<long long, std::string> errors;    // answered with slotgate's own error (first 1000)
  std::vector<std::string> bad;               // anything else (the first few)
  std::string stopped_by;                     // a connection failure, if one ended the thread
};

// Pipelines RPUSH key 1, 2, ... in batches, reading a batch's replies before sending the next,
// until told to stop: the failover and the kill then happen while every writer is busy.
void Write(uint16_t port, Writer* writer, const std::atomic<bool>* stop,
           steady_clock::time_point until) {
  try {
    RedisClient client(port);
    client.SetTimeout(seconds(20));
    long long next = 1;
    while (!*stop && steady_clock::now() < until && next <= kMaxValue) {
      for (int i = 0; i < kBatch; ++i) {
        client.Append({"RPUSH", writer->key, std::to_string(next + i)});
      }
      writer->outcome.resize(static_cast<size_t>(next + kBatch), Writer::kUnanswered);
      for (int i = 0; i < kBatch; ++i) {
        const long long value = next + i;
        const test::Reply reply = client.Next();
        uint8_t& outcome = writer->outcome[static_cast<size_t>(value)];
        if (reply && reply->type == REDIS_REPLY_INTEGER) {
          outcome = Writer::kAcknowledged;
          ++writer->acknowledged;
        } else if (reply && reply->type == REDIS_REPLY_ERROR &&
                   std::string(reply->str, reply->len).starts_with("ERR proxy: ")) {
          outcome = Writer::kError;
          if (writer->errors.size() < 1000) {
            writer->errors[value] = std::string(reply->str, reply->len);
          }
        } else {
          outcome = Writer::kBad;
          if (writer->bad.size() < 10) {
            writer->bad.push_back("RPUSH " + std::to_string(value) + ": " +
                                  test::ReplyToString(reply.get()));
          }
        }
      }
      next += kBatch;
      writer->sent = next - 1;
    }
  } catch (const std::exception& e) {
    writer->stopped_by = e.what();
  }
}

class ProxyOrdering : public testing::TestWithParam<bool> {};

TEST_P(ProxyOrdering, PerClientOrderSurvivesAFailoverAndAKill) {
  RedisCluster cluster(/*masters=*/3, /*replicas_per_master=*/1);
  SlotgateProcess proxy(SlotgateConfig::ForCluster(cluster)
                            .Metrics(GetParam())
                            .Timeout("redirect_deadline_ms", "10000"));
  const std::vector<std::string> keys = ListKeys(cluster);
  ASSERT_EQ(keys.size(), static_cast<size_t>(kThreads));
  const std::vector<size_t> owners = cluster.SlotOwners();

  std::vector<Writer> writers(kThreads);
  std::atomic<bool> stop{false};
  const auto started = steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    writers[t].key = keys[t];
    threads.emplace_back(Write, proxy.port(), &writers[t], &stop, started + kRunLimit);
  }
  struct JoinOnExit {
    std::atomic<bool>& stop;
    std::vector<std::thread>& threads;
    ~JoinOnExit() {
      stop = true;
      for (std::thread& thread : threads) thread.join();
    }
  } join_on_exit{stop, threads};
  // Each writer of master 0's lists (the first two) gets `count` values further.
  const auto progress = [&](long long count, milliseconds deadline) {
    const long long a = writers[0].sent + count, b = writers[1].sent + count;
    return PollUntil([&] { return writers[0].sent >= a && writers[1].sent >= b; }, deadline);
  };

  ASSERT_TRUE(progress(1000, seconds(20)));
  cluster.Failover(3);  // node 3 replicates master 0
  const auto failed_over = steady_clock::now();
  ASSERT_TRUE(progress(1000, seconds(20)));
  const auto killed = steady_clock::now();
  cluster.Kill(3);
  cluster.WaitForPromotion(0);
  const auto promoted = steady_clock::now();
  ASSERT_TRUE(progress(1000, seconds(30))) << "no progress after the promotion";
  stop = true;
  for (std::thread& thread : threads) thread.join();
  threads.clear();
  std::cout << "failover after " << Millis(failed_over - started) << " ms, kill after "
            << Millis(killed - started) << " ms, promotion " << Millis(promoted - killed)
            << " ms after the kill\n";

  RedisClient reader(proxy.port());
  for (int t = 0; t < kThreads; ++t) {
    const Writer& w = writers[t];
    const bool on_master_0 = owners[KeySlot(w.key)] == 0;
    EXPECT_TRUE(w.stopped_by.empty()) << w.key << ": " << w.stopped_by;
    EXPECT_TRUE(w.bad.empty()) << w.key << ": not an integer nor slotgate's error: " << w.bad[0];
    const test::Reply list = reader.Command({"LRANGE", w.key, "0", "-1"});
    ASSERT_TRUE(list && list->type == REDIS_REPLY_ARRAY) << test::ReplyToString(list.get());
    std::vector<long long> values;
    for (size_t i = 0; i < list->elements; ++i) {
      values.push_back(std::stoll(std::string(list->element[i]->str, list->element[i]->len)));
    }
    std::vector<std::string> disorder;
    for (size_t i = 1; i < values.size() && disorder.size() < 5; ++i) {
      if (values[i] <= values[i - 1]) {
        disorder.push_back("at " + std::to_string(i) + ": " + std::to_string(values[i - 1]) +
                           " then " + std::to_string(values[i]));
      }
    }
    EXPECT_TRUE(disorder.empty()) << w.key << ": reordered or repeated: " << disorder[0] << " ("
                                  << disorder.size() << " shown of the first 5)";
    EXPECT_TRUE(values.empty() || (values.front() >= 1 && values.back() <= w.sent))
        << w.key << ": holds a value never sent";
    std::vector<bool> present(w.outcome.size(), false);
    for (const long long v : values) {
      if (v >= 1 && static_cast<size_t>(v) < present.size()) present[static_cast<size_t>(v)] = true;
    }
    size_t lost = 0, errors = 0, errors_that_ran = 0;
    for (size_t v = 1; v < w.outcome.size(); ++v) {
      if (w.outcome[v] == Writer::kAcknowledged && !present[v]) ++lost;
      if (w.outcome[v] == Writer::kError) {
        ++errors;
        if (present[v]) ++errors_that_ran;
      }
    }
    // Only the killed master may lose acknowledged writes (Redis replicates asynchronously).
    if (!on_master_0) {
      EXPECT_EQ(lost, 0u) << w.key << ": acknowledged values missing";
    }
    std::cout << w.key << (on_master_0 ? " (master 0)" : "") << ": sent " << w.sent.load()
              << ", acknowledged " << w.acknowledged << ", present " << values.size()
              << ", acknowledged but missing " << lost << ", errors " << errors
              << " (of which present " << errors_that_ran << ")"
              << (w.errors.empty() ? "" : ", first: " + w.errors.begin()->second) << "\n";
  }
  EXPECT_EQ(proxy.Stop(), 0) << proxy.Log();
}

INSTANTIATE_TEST_SUITE_P(Metrics, ProxyOrdering, testing::Bool(), MetricsName);

}  // namespace
}  // namespace slotgate
