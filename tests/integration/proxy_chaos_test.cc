// An operator's bad day in one run: a master stalls, a replica is promoted by hand, a slot moves,
// a master is killed and later comes back, one after the other while clients keep working.
// Each fault is tested alone elsewhere; here slotgate must come through all of them in a row.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "common/slot.h"
#include "tests/integration/support/fault_helpers.h"
#include "tests/integration/support/proxy_load.h"
#include "tests/integration/support/redis_client.h"
#include "tests/integration/support/redis_cluster.h"
#include "tests/integration/support/slotgate_process.h"

namespace slotgate {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;
using test::Alive;
using test::CommandOrWhy;
using test::ContinueOnExit;
using test::KeyOwnedBy;
using test::LoadFailure;
using test::PollUntil;
using test::ProxyLoad;
using test::RedisClient;
using test::RedisCluster;
using test::RedisClusterOptions;
using test::SlotgateConfig;
using test::SlotgateProcess;

// Failure detection takes about this long, so a killed master's replica takes over within a
// few seconds, while a master stopped for kStopWindow stays well under it and is not failed over.
constexpr int kNodeTimeoutMs = 3000;
constexpr milliseconds kStopWindow{1500};
// Load turns each step must let through once it is done.
constexpr uint64_t kProgress = 500;
constexpr milliseconds kProgressDeadline{20000};
// A request the load sent just before the kill may be the one the dying node never answers.
constexpr milliseconds kInFlightAtKill{500};

// Nodes as RedisCluster lays them out: masters 0-2, node 3 + r replicates master r.
constexpr size_t kStopped = 0;          // (a) SIGSTOP for kStopWindow
constexpr size_t kFailedOverBy = 4;     // (b) CLUSTER FAILOVER on it: it replaces master 1
constexpr size_t kKilled = 2;           // (c) gives a slot to master 0, (d) SIGKILL, (e) restart
constexpr size_t kKilledReplica = 5;    // (d) takes over from master 2
constexpr uint16_t kMovedSlot = 15000;  // (c) master 2's, moved to master 0
constexpr size_t kSeeded = 300;         // keys nobody writes in it

std::string MetricsName(const testing::TestParamInfo<bool>& info) {
  return info.param ? "MetricsOn" : "MetricsOff";
}

long long Millis(steady_clock::duration d) { return d / milliseconds(1); }

// A hash tag whose slot is `slot`, found by trying {t0}, {t1}, ...
std::string TagOfSlot(uint16_t slot) {
  for (int i = 0;; ++i) {
    const std::string tag = "{t" + std::to_string(i) + "}";
    if (KeySlot(tag) == slot) return tag;
  }
}

// Eight writers with 24 keys each spread over all slots, and two each in the slot that moves.
std::vector<std::vector<std::string>> ChaosKeys() {
  const std::string moving = TagOfSlot(kMovedSlot);
  std::vector<std::vector<std::string>> keys(8);
  for (size_t t = 0; t < keys.size(); ++t) {
    for (int i = 0; i < 24; ++i) {
      keys[t].push_back("c" + std::to_string(t) + ":" + std::to_string(i));
    }
    for (int i = 0; i < 2; ++i) {
      keys[t].push_back(moving + ":c" + std::to_string(t) + ":" + std::to_string(i));
    }
  }
  return keys;
}

class ProxyChaos : public testing::TestWithParam<bool> {};

TEST_P(ProxyChaos, StallFailoverReshardKillAndRestartUnderLoadCostOnlyTheKilledMastersSlots) {
  const auto begun = steady_clock::now();
  RedisCluster cluster(RedisClusterOptions{
      .masters = 3, .replicas_per_master = 1, .node_timeout_ms = kNodeTimeoutMs, .extra_args = {}});
  ASSERT_EQ(cluster.MasterOf(kMovedSlot), kKilled);
  ASSERT_EQ(cluster.ReplicasOf(1), std::vector<size_t>{kFailedOverBy});
  ASSERT_EQ(cluster.ReplicasOf(kKilled), std::vector<size_t>{kKilledReplica});
  SlotgateProcess proxy(SlotgateConfig::ForCluster(cluster)
                            .Metrics(GetParam())
                            .Timeout("redirect_deadline_ms", "10000"));
  // Bystander keys in the slot that moves, so that MIGRATE has batches to move under the load.
  const std::string moving = TagOfSlot(kMovedSlot);
  {
    RedisClient seeder(proxy.port());
    for (size_t i = 0; i < kSeeded; ++i) {
      seeder.Append({"SET", moving + ":seed:" + std::to_string(i), std::to_string(i)});
    }
    for (size_t i = 0; i < kSeeded; ++i) ASSERT_EQ(test::ReplyToString(seeder.Next().get()), "OK");
  }
  ProxyLoad load(proxy.port(), ChaosKeys());
  const auto started = steady_clock::now();
  std::cout << "cluster and slotgate up in " << Millis(started - begun) << " ms\n";
  ASSERT_TRUE(load.WaitForProgress(kProgress, kProgressDeadline)) << "no load to begin with";

  // Runs one step, then waits for the load to get on; prints how long both took. False when the
  // step failed (its assertions stop it, not the test) or the load did not get on.
  const auto step = [&](const std::string& name, const std::function<void()>& fault) {
    const auto at = steady_clock::now();
    fault();
    if (HasFatalFailure()) return false;
    const auto done = steady_clock::now();
    const bool progressed = load.WaitForProgress(kProgress, kProgressDeadline);
    std::cout << name << ": at " << Millis(at - started) << " ms, took " << Millis(done - at)
              << " ms, then " << kProgress << " turns in " << Millis(steady_clock::now() - done)
              << " ms; " << load.failure_count() << " failures so far\n";
    return progressed;
  };

  // (a) A master stops answering for a while, as on a paused VM.
  ASSERT_TRUE(step("(a) SIGSTOP master 0 for 1500 ms", [&] {
    ContinueOnExit resume(cluster.node(kStopped).pid());
    ASSERT_EQ(kill(cluster.node(kStopped).pid(), SIGSTOP), 0);
    // The fault is a duration: the node stays stopped this long, well under the node timeout
    // (or the cluster would fail it over). There is nothing to wait for but the clock.
    std::this_thread::sleep_for(kStopWindow);
  }));
  ASSERT_EQ(cluster.MasterOf(0), kStopped) << "the stall was taken for a failure";

  // (b) An operator promotes master 1's replica.
  ASSERT_TRUE(step("(b) CLUSTER FAILOVER on node 4", [&] { cluster.Failover(kFailedOverBy); }));

  // (c) A slot with load keys in it moves from master 2 to master 0, held half moved (keys on
  // both sides, ASK for the moved ones) while the load gets on.
  ASSERT_TRUE(step("(c) migrate slot 15000 from master 2 to master 0", [&] {
    cluster.BeginMigration(kMovedSlot, kKilled, kStopped);
    ASSERT_GT(cluster.MoveKeys(kMovedSlot, kKilled, kStopped, kSeeded / 2), 0u);
    ASSERT_TRUE(load.WaitForProgress(kProgress, kProgressDeadline)) << "none while half moved";
    cluster.MoveKeys(kMovedSlot, kKilled, kStopped);
    cluster.FinishMigration(kMovedSlot, kKilled, kStopped);
  }));

  // (d) Master 2 dies; its replica takes over.
  const std::vector<size_t> owners_at_kill = cluster.SlotOwners();
  const std::string probe_key = KeyOwnedBy(owners_at_kill, kKilled, "chaos:probe:");
  RedisClient probe(proxy.port());
  probe.SetTimeout(seconds(15));
  steady_clock::time_point killed, promoted, served;
  ASSERT_TRUE(step("(d) SIGKILL master 2 until node 5 is promoted and served", [&] {
    killed = steady_clock::now();
    cluster.Kill(kKilled);
    cluster.WaitForPromotion(kKilledReplica);
    promoted = steady_clock::now();
    std::string reply;
    ASSERT_TRUE(PollUntil(
        [&] {
          reply = CommandOrWhy(probe, {"SET", probe_key, "served"});
          return reply == "OK";
        },
        seconds(10)))
        << "slotgate does not reach the promoted replica: " << reply;
    served = steady_clock::now();
  }));
  std::cout << "kill -> promotion " << Millis(promoted - killed) << " ms, -> served "
            << Millis(served - killed) << " ms\n";

  // (e) The killed node comes back, and joins as its successor's replica.
  ASSERT_TRUE(step("(e) restart node 2", [&] {
    cluster.Restart(kKilled);
    cluster.WaitForClusterOk();
  }));
  ASSERT_EQ(cluster.ReplicasOf(kKilledReplica), std::vector<size_t>{kKilled});
  load.Stop();
  std::cout << "all steps and the load: " << Millis(steady_clock::now() - started) << " ms, "
            << load.turns() << " turns\n";

  // Every failure is explained by the kill: on the killed master's slots, sent while it was
  // dying or dead, and either slotgate's own error or a value Redis lost with the node (a write
  // it acknowledged but never replicated: a counter that reads one lower later on, or a GET that
  // reads the value before it).
  const std::vector<LoadFailure> failures = load.Failures();
  size_t explained = 0;
  for (const LoadFailure& failure : failures) {
    ASSERT_FALSE(failure.key.empty()) << failure.what;
    const std::string at =
        " (sent " + std::to_string(Millis(failure.at - killed)) + " ms after the kill)";
    if (owners_at_kill[KeySlot(failure.key)] != kKilled) {
      ADD_FAILURE() << "a failure on a slot the kill did not touch: " << failure.what << at;
      continue;
    }
    if (failure.at < killed - kInFlightAtKill) {
      ADD_FAILURE() << "a failure before the kill: " << failure.what << at;
      continue;
    }
    if (failure.what.find("got (error) ") != std::string::npos) {
      EXPECT_NE(failure.what.find("got (error) ERR proxy: "), std::string::npos)
          << "not slotgate's own error: " << failure.what << at;
      EXPECT_LT(failure.at, served)
          << "an error after the takeover was served: " << failure.what << at;
    } else if (failure.what.starts_with("GET ")) {
      EXPECT_LT(failure.at, served)
          << "a stale read after the takeover was served: " << failure.what << at;
    } else {
      EXPECT_TRUE(failure.what.starts_with("INCR ")) << "a wrong value: " << failure.what << at;
    }
    ++explained;
  }
  EXPECT_EQ(load.failure_count(), failures.size()) << "more failures than were kept";
  std::string sent_at;  // when each failing request was sent, relative to the kill
  for (size_t i = 0; i < failures.size() && i < 10; ++i) {
    sent_at += (i ? ", " : "") + std::to_string(Millis(failures[i].at - killed));
  }
  std::cout << failures.size() << " failures, " << explained
            << " on the killed master's slots, sent at " << sent_at
            << " ms from the kill: " << test::Describe(failures, 3) << "\n";

  // Every write slotgate acknowledged reads back: all of them on slots the kill did not touch,
  // and those acknowledged after the takeover was served on the killed master's.
  size_t checked = 0;
  {
    RedisClient reader(proxy.port());
    for (const auto& [key, write] : load.Acknowledged()) {
      if (owners_at_kill[KeySlot(key)] == kKilled && write.at < served) continue;
      ++checked;
      EXPECT_EQ(CommandOrWhy(reader, {"GET", key}), "\"" + write.value + "\"") << key;
    }
  }
  EXPECT_GT(checked, 0u);
  {
    RedisClient reader(proxy.port());
    for (size_t i = 0; i < kSeeded; ++i) {
      const std::string key = moving + ":seed:" + std::to_string(i);
      EXPECT_EQ(CommandOrWhy(reader, {"GET", key}), "\"" + std::to_string(i) + "\"") << key;
    }
  }

  // slotgate still serves every master's slots.
  ASSERT_TRUE(Alive(proxy)) << "slotgate died:\n" << proxy.Log();
  RedisClient after(proxy.port());
  EXPECT_EQ(CommandOrWhy(after, {"PING"}), "PONG");
  const std::vector<size_t> owners_now = cluster.SlotOwners();
  for (const size_t master : cluster.Masters()) {
    const std::string key = KeyOwnedBy(owners_now, master, "chaos:after:");
    EXPECT_EQ(CommandOrWhy(after, {"SET", key, "v"}), "OK") << "node " << master;
    EXPECT_EQ(CommandOrWhy(after, {"GET", key}), "\"v\"") << "node " << master;
  }
  EXPECT_EQ(CommandOrWhy(after, {"GET", probe_key}), "\"served\"");
  if (GetParam()) {
    std::cout << "redirects: "
              << proxy.Metric("slotgate_redirects_total{kind=\"moved\"}").value_or(0) << " MOVED, "
              << proxy.Metric("slotgate_redirects_total{kind=\"ask\"}").value_or(0)
              << " ASK; backend failures "
              << proxy.Metric("slotgate_backend_failures_total").value_or(0) << "\n";
    EXPECT_GT(proxy.Metric("slotgate_backend_failures_total").value_or(0), 0)
        << "no backend failure counted: the faults went unexercised";
  }
  EXPECT_EQ(proxy.Stop(), 0) << proxy.Log();
  std::cout << "whole test: " << Millis(steady_clock::now() - begun) << " ms\n";
}

INSTANTIATE_TEST_SUITE_P(Metrics, ProxyChaos, testing::Bool(), MetricsName);

}  // namespace
}  // namespace slotgate
