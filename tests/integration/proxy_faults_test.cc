// Faults a proxy meets in production: clients that hang up mid-pipeline, scripts that must be
// killed, slow or stopped nodes, dead masters and clients gone while their request waits for a
// retry. Each must cost only the request or the node concerned, never the process or the others.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "common/slot.h"
#include "tests/integration/support/fault_helpers.h"
#include "tests/integration/support/raw_socket.h"
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
using test::PollUntil;
using test::RedisClient;
using test::RedisCluster;
using test::RedisClusterOptions;
using test::SlotgateConfig;
using test::SlotgateProcess;

constexpr milliseconds kDeadline{10000};

// The library of the kill tests: a function that spins, and a read-only one that spins.
constexpr char kSpinLibrary[] =
    "#!lua name=spin\n"
    "redis.register_function('spin', function() while true do end end)\n"
    "redis.register_function{function_name='spin_ro', callback=function() while true do end "
    "end, flags={'no-writes'}}";

std::string MetricsName(const testing::TestParamInfo<bool>& info) {
  return info.param ? "MetricsOn" : "MetricsOff";
}

long long Millis(steady_clock::duration d) { return d / milliseconds(1); }

// One command on a connection of its own, waiting at most `timeout`; a connection that fails or
// a reply that does not come reads as "(no reply: why)".
std::string AskPort(uint16_t port, const std::vector<std::string>& args,
                    milliseconds timeout = milliseconds(2000)) {
  try {
    RedisClient client(port);
    client.SetTimeout(timeout);
    return client.CommandString(args);
  } catch (const std::exception& e) {
    return std::string("(no reply: ") + e.what() + ")";
  }
}

// The next reply of `client`, or "(no reply: why)".
std::string NextReply(RedisClient& client) {
  try {
    return test::ReplyToString(client.Next().get());
  } catch (const std::exception& e) {
    return std::string("(no reply: ") + e.what() + ")";
  }
}

// The value of `name:` in an INFO reply, "" when absent.
std::string InfoField(const std::string& info, const std::string& name) {
  const size_t at = info.find(name + ":");
  if (at == std::string::npos) return "";
  const size_t start = at + name.size() + 1;
  return info.substr(start, info.find_first_of("\r\n", start) - start);
}

// Whether a node answers BUSY (it is running a script longer than busy-reply-threshold).
bool Busy(uint16_t port) {
  return AskPort(port, {"PING"}, milliseconds(1000)).starts_with("(error) BUSY ");
}

// Ends whatever script or function still runs on any node of `cluster` when the test ends, so
// a test that failed leaves no node busy for the next one.
class ScriptStopper {
 public:
  explicit ScriptStopper(RedisCluster& cluster) : cluster_(cluster) {}
  ~ScriptStopper() {
    for (size_t i = 0; i < cluster_.size(); ++i) {
      if (!cluster_.node(i).running()) continue;
      AskPort(cluster_.port(i), {"SCRIPT", "KILL"});
      AskPort(cluster_.port(i), {"FUNCTION", "KILL"});
      PollUntil([&] { return AskPort(cluster_.port(i), {"PING"}) == "PONG"; }, kDeadline);
    }
  }
  ScriptStopper(const ScriptStopper&) = delete;
  ScriptStopper& operator=(const ScriptStopper&) = delete;

 private:
  RedisCluster& cluster_;
};

// busy-reply-threshold (lua-time-limit) on every node, directly.
void SetBusyThreshold(RedisCluster& cluster, int ms) {
  for (size_t i = 0; i < cluster.size(); ++i) {
    ASSERT_EQ(
        AskPort(cluster.port(i), {"CONFIG", "SET", "busy-reply-threshold", std::to_string(ms)}),
        "OK")
        << "node " << i;
  }
}

// What a direct redis-server answers the client whose `run` it was running when another client
// sent it `kill`: `run` on one connection to `port` (after READONLY when `readonly`), `kill` on
// another once the node answers BUSY.
std::string KilledReplyOnNode(uint16_t port, bool readonly, const std::vector<std::string>& run,
                              const std::vector<std::string>& kill_command) {
  RedisClient runner(port);
  runner.SetTimeout(kDeadline);
  if (readonly && runner.CommandString({"READONLY"}) != "OK") return "(READONLY refused)";
  runner.Append(run);
  runner.Flush();
  if (!PollUntil([&] { return Busy(port); }, kDeadline)) return "(never busy)";
  const std::string killed = AskPort(port, kill_command);
  if (killed != "OK") return "(" + killed + ")";
  return NextReply(runner);
}

// A script that keeps its node busy for `ms` milliseconds, then returns "slow".
std::string SlowScript(int ms) {
  return "local t = redis.call('TIME') "
         "local start = t[1] * 1000000 + t[2] "
         "while true do "
         "  t = redis.call('TIME') "
         "  if t[1] * 1000000 + t[2] - start >= " +
         std::to_string(ms * 1000) +
         " then break end "
         "end "
         "return 'slow'";
}

// A 3-master cluster with a replica each, shared by the tests that leave its nodes running.
// A long node timeout, so that a node busy in a script is never taken for a dead one.
class ProxyFaults : public testing::TestWithParam<bool> {
 protected:
  static void SetUpTestSuite() {
    cluster_ = new RedisCluster(RedisClusterOptions{
        .masters = 3, .replicas_per_master = 1, .node_timeout_ms = 5000, .extra_args = {}});
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }
  void SetUp() override { cluster_->WaitForClusterOk(); }

  // slotgate's config for this instance: metrics on or off.
  static SlotgateConfig Config() {
    return SlotgateConfig::ForCluster(*cluster_).Metrics(GetParam());
  }

  static RedisCluster* cluster_;
};

RedisCluster* ProxyFaults::cluster_ = nullptr;

TEST_P(ProxyFaults, ClientThatHangsUpMidPipelineLeavesTheProxyServing) {
  SlotgateProcess proxy(Config());
  const std::string big(200 * 1024, 'b');
  {
    RedisClient writer(proxy.port());
    ASSERT_EQ(writer.CommandString({"SET", "hangup:big", big}), "OK");
  }
  RedisClient probe(proxy.port());
  const auto only_the_probe = [&] {
    return InfoField(probe.CommandString({"INFO", "clients"}), "connected_clients") == "1";
  };
  ASSERT_TRUE(PollUntil(only_the_probe, kDeadline));
  {
    test::RawSocket raw(proxy.port());
    std::string pipeline;
    for (int i = 0; i < 20000; ++i) pipeline += "*2\r\n$3\r\nGET\r\n$10\r\nhangup:big\r\n";
    raw.Send(pipeline);
  }  // closed with replies unread: the kernel answers slotgate's next write with a reset
  // slotgate is done with the client once it no longer counts it (or it died doing so).
  PollUntil([&] { return !Alive(proxy) || only_the_probe(); }, kDeadline);
  ASSERT_TRUE(Alive(proxy)) << "slotgate died:\n" << proxy.Log();

  RedisClient after(proxy.port());
  EXPECT_EQ(after.CommandString({"PING"}), "PONG");
  EXPECT_EQ(after.CommandString({"GET", "hangup:big"}), "\"" + big + "\"");
  EXPECT_EQ(after.CommandString({"SET", "hangup:small", "v"}), "OK");
  EXPECT_EQ(after.CommandString({"GET", "hangup:small"}), "\"v\"");
  EXPECT_EQ(CommandOrWhy(probe, {"PING"}), "PONG");
  EXPECT_TRUE(proxy.running());
  EXPECT_TRUE(Alive(proxy));
  EXPECT_EQ(proxy.Stop(), 0) << proxy.Log();
}

// Runs `spin` (keyed by `key`) through slotgate until its node is busy, sends `kill` through
// slotgate from another client, and checks what a single Redis server would do: the kill
// answers OK at once, the spinning client gets the node's own error for a killed script, and
// the node serves again.
void ExpectKillThroughTheProxyStopsIt(const SlotgateProcess& proxy, uint16_t node,
                                      const std::string& key, const std::vector<std::string>& spin,
                                      const std::vector<std::string>& kill) {
  ASSERT_EQ(AskPort(proxy.port(), {"SET", key, "before"}), "OK");
  const std::string killed = KilledReplyOnNode(node, false, spin, kill);
  ASSERT_TRUE(killed.starts_with("(error) ERR Script killed by user with ")) << killed;

  RedisClient runner(proxy.port());
  runner.SetTimeout(kDeadline);
  runner.Append(spin);
  runner.Flush();
  ASSERT_TRUE(PollUntil([&] { return Busy(node); }, kDeadline)) << "it never ran";
  RedisClient killer(proxy.port());
  killer.SetTimeout(milliseconds(8000));
  const auto asked = steady_clock::now();
  const std::string kill_reply = CommandOrWhy(killer, kill);
  const auto took = steady_clock::now() - asked;
  EXPECT_EQ(kill_reply, "OK");
  EXPECT_LT(took, seconds(1)) << kill[0] << " KILL answered after " << Millis(took) << " ms";
  EXPECT_EQ(NextReply(runner), killed);
  EXPECT_EQ(AskPort(proxy.port(), {"GET", key}), "\"before\"");
  EXPECT_EQ(CommandOrWhy(killer, {"GET", key}), "\"before\"");
}

TEST_P(ProxyFaults, ScriptKillThroughTheProxyStopsARunningScriptAtOnce) {
  ScriptStopper stopper(*cluster_);
  SetBusyThreshold(*cluster_, 100);
  SlotgateProcess proxy(Config().Workers(1));
  const std::string key = "{kill}script";
  const uint16_t node = cluster_->port(cluster_->MasterOf(KeySlot(key)));
  ExpectKillThroughTheProxyStopsIt(proxy, node, key, {"EVAL", "while true do end", "1", key},
                                   {"SCRIPT", "KILL"});
  EXPECT_EQ(proxy.Stop(), 0) << proxy.Log();
}

TEST_P(ProxyFaults, FunctionKillThroughTheProxyStopsARunningFunctionAtOnce) {
  ScriptStopper stopper(*cluster_);
  SetBusyThreshold(*cluster_, 100);
  SlotgateProcess proxy(Config().Workers(1));
  const std::string key = "{kill}function";
  const uint16_t node = cluster_->port(cluster_->MasterOf(KeySlot(key)));
  ASSERT_EQ(AskPort(proxy.port(), {"FUNCTION", "LOAD", "REPLACE", kSpinLibrary}), "\"spin\"");
  ExpectKillThroughTheProxyStopsIt(proxy, node, key, {"FCALL", "spin", "1", key},
                                   {"FUNCTION", "KILL"});
  EXPECT_EQ(proxy.Stop(), 0) << proxy.Log();
}

// How many times a node ran `command`, as its INFO commandstats says.
long long CommandCalls(uint16_t port, const std::string& command) {
  const std::string text = AskPort(port, {"INFO", "commandstats"});
  const std::string field = "cmdstat_" + command + ":calls=";
  const size_t at = text.find(field);
  return at == std::string::npos ? 0 : std::stoll(text.substr(at + field.size()));
}

TEST_P(ProxyFaults, FunctionKillReachesAReadOnlyFunctionRunningOnAReplica) {
  ScriptStopper stopper(*cluster_);
  SetBusyThreshold(*cluster_, 100);
  SlotgateProcess proxy(Config().Workers(1));
  const std::string key = "{kill}replica";
  const size_t master_index = cluster_->MasterOf(KeySlot(key));
  const uint16_t master = cluster_->port(master_index);
  const uint16_t replica = cluster_->port(cluster_->ReplicasOf(master_index).at(0));
  const std::vector<std::string> spin = {"FCALL_RO", "spin_ro", "1", key};
  ASSERT_EQ(AskPort(proxy.port(), {"FUNCTION", "LOAD", "REPLACE", kSpinLibrary}), "\"spin\"");
  ASSERT_EQ(AskPort(proxy.port(), {"SET", key, "before"}), "OK");
  // The replica has the library and the key once replication caught up.
  ASSERT_TRUE(PollUntil(
      [&] {
        RedisClient direct(replica);
        return direct.CommandString({"READONLY"}) == "OK" &&
               direct.CommandString({"GET", key}) == "\"before\"" &&
               direct.CommandString({"FUNCTION", "LIST", "LIBRARYNAME", "spin"}) != "[]";
      },
      kDeadline));
  const std::string killed = KilledReplyOnNode(replica, true, spin, {"FUNCTION", "KILL"});
  ASSERT_TRUE(killed.starts_with("(error) ERR Script killed by user with ")) << killed;

  RedisClient runner(proxy.port());
  runner.SetTimeout(kDeadline);
  ASSERT_EQ(runner.CommandString({"READONLY"}), "OK");
  // slotgate reads from a replica once a refresh saw it ready: wait until this client's reads
  // reach it.
  const long long replica_gets = CommandCalls(replica, "get");
  ASSERT_TRUE(PollUntil(
      [&] {
        return runner.CommandString({"GET", key}) == "\"before\"" &&
               CommandCalls(replica, "get") > replica_gets;
      },
      kDeadline))
      << "READONLY reads never reached the replica";
  runner.Append(spin);
  runner.Flush();
  ASSERT_TRUE(PollUntil([&] { return Busy(replica); }, kDeadline))
      << "the function never ran on the replica";
  EXPECT_EQ(AskPort(master, {"PING"}), "PONG") << "the function runs on the master";
  RedisClient killer(proxy.port());
  killer.SetTimeout(milliseconds(8000));
  const auto asked = steady_clock::now();
  const std::string kill_reply = CommandOrWhy(killer, {"FUNCTION", "KILL"});
  const auto took = steady_clock::now() - asked;
  EXPECT_EQ(kill_reply, "OK");
  EXPECT_LT(took, seconds(1)) << "FUNCTION KILL answered after " << Millis(took) << " ms";
  EXPECT_EQ(NextReply(runner), killed);
  EXPECT_EQ(AskPort(replica, {"PING"}), "PONG") << "the replica still runs the function";
  EXPECT_EQ(CommandOrWhy(runner, {"GET", key}), "\"before\"");
  EXPECT_EQ(CommandOrWhy(killer, {"GET", key}), "\"before\"");
  EXPECT_EQ(proxy.Stop(), 0) << proxy.Log();
}

TEST_P(ProxyFaults, SlowRequestDoesNotFailAnotherClientsRequestOnTheSameBackendConnection) {
  ScriptStopper stopper(*cluster_);
  // The node answers BUSY once the script has run 1200 ms; B is sent then.
  SetBusyThreshold(*cluster_, 1200);
  // One worker, so both clients share its one connection to the node.
  SlotgateProcess proxy(Config().Workers(1).Timeout("backend_request_ms", "2000"));
  const uint16_t node = cluster_->port(cluster_->MasterOf(KeySlot("{tag}a")));
  // Busy on the node for 2.9 s: well past A's 2000 ms deadline (slotgate checks deadlines
  // periodically, so it may notice one a little late), and 1.7 s after B was sent, well within
  // B's own 2000 ms.
  ASSERT_EQ(AskPort(proxy.port(), {"SET", "{tag}b", "vb"}), "OK");
  ASSERT_EQ(AskPort(proxy.port(), {"DEL", "{tag}a"}), "(integer) 0");

  RedisClient a(proxy.port());
  a.SetTimeout(kDeadline);
  a.Append({"EVAL", SlowScript(2900), "1", "{tag}a"});
  a.Flush();
  ASSERT_TRUE(PollUntil([&] { return Busy(node); }, kDeadline)) << "the script never ran";
  RedisClient b(proxy.port());
  b.SetTimeout(kDeadline);
  EXPECT_EQ(CommandOrWhy(b, {"GET", "{tag}b"}), "\"vb\"");
  EXPECT_EQ(NextReply(a), "(error) ERR proxy: no reply from 127.0.0.1:" + std::to_string(node) +
                              " within 2000 ms; the request was sent and may have run");
  // The script's late reply goes to nobody: both clients get their own replies next.
  EXPECT_EQ(CommandOrWhy(a, {"GET", "{tag}b"}), "\"vb\"");
  EXPECT_EQ(CommandOrWhy(a, {"GET", "{tag}a"}), "(nil)");
  EXPECT_EQ(CommandOrWhy(b, {"GET", "{tag}b"}), "\"vb\"");
  EXPECT_EQ(proxy.Stop(), 0) << proxy.Log();
}

// Clients blocked on `port` (INFO clients' blocked_clients), -1 when it does not answer.
long long BlockedClients(uint16_t port) {
  const std::string field = InfoField(AskPort(port, {"INFO", "clients"}), "blocked_clients");
  return field.empty() ? -1 : std::stoll(field);
}

TEST_P(ProxyFaults, ClientsRequestQueuedBehindATimedOutOneIsNotOvertakenByItsNextRequest) {
  ScriptStopper stopper(*cluster_);
  SetBusyThreshold(*cluster_, 1200);
  SlotgateProcess proxy(Config().Workers(1).Timeout("backend_request_ms", "2000"));
  const uint16_t node = cluster_->port(cluster_->MasterOf(KeySlot("{order}a")));
  // Busy for 2.9 s: A times out at 2 s; B's first RPUSH, sent at 1.2 s behind the script on
  // the same connection, is answered at 2.9 s, within its own deadline.
  const std::string list = std::string("{order}list-") + (GetParam() ? "on" : "off");
  ASSERT_EQ(AskPort(proxy.port(), {"DEL", list}), "(integer) 0");
  RedisClient a(proxy.port());
  a.SetTimeout(kDeadline);
  a.Append({"EVAL", SlowScript(2900), "1", "{order}a"});
  a.Flush();
  ASSERT_TRUE(PollUntil([&] { return Busy(node); }, kDeadline)) << "the script never ran";
  RedisClient b(proxy.port());
  b.SetTimeout(kDeadline);
  b.Append({"RPUSH", list, "1"});
  b.Flush();
  EXPECT_EQ(NextReply(a), "(error) ERR proxy: no reply from 127.0.0.1:" + std::to_string(node) +
                              " within 2000 ms; the request was sent and may have run");
  // A's connection drains; B's next request must not take the new one ahead of its first.
  b.Append({"RPUSH", list, "2"});
  b.Flush();
  EXPECT_EQ(NextReply(b), "(integer) 1");
  EXPECT_EQ(NextReply(b), "(integer) 2");
  EXPECT_EQ(CommandOrWhy(b, {"LRANGE", list, "0", "-1"}), "[\"1\", \"2\"]");
  EXPECT_EQ(proxy.Stop(), 0) << proxy.Log();
}

TEST_P(ProxyFaults, WaitDoesNotHoldUpTheOtherClientsOfItsNode) {
  // WAIT's timeout is capped at half of backend_request_ms: 2 s.
  SlotgateProcess proxy(Config().Workers(1).Timeout("backend_request_ms", "4000"));
  const std::string key = "{wait}k";
  const uint16_t node = cluster_->port(cluster_->MasterOf(KeySlot(key)));
  RedisClient a(proxy.port());
  a.SetTimeout(kDeadline);
  ASSERT_EQ(CommandOrWhy(a, {"SET", key, "v"}), "OK");
  // Two replicas asked for, one exists: the node holds the WAIT until its timeout.
  a.Append({"WAIT", "2", "0"});
  a.Flush();
  ASSERT_TRUE(PollUntil([&] { return BlockedClients(node) == 1; }, kDeadline));
  RedisClient b(proxy.port());
  b.SetTimeout(kDeadline);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(CommandOrWhy(b, {"GET", key}), "\"v\"");
    EXPECT_EQ(CommandOrWhy(b, {"SET", key, "v"}), "OK");
  }
  EXPECT_EQ(BlockedClients(node), 1) << "B was answered only once the WAIT was";
  EXPECT_EQ(NextReply(a), "(integer) 1");
  EXPECT_EQ(CommandOrWhy(a, {"GET", key}), "\"v\"");
  EXPECT_EQ(proxy.Stop(), 0) << proxy.Log();
}

TEST_P(ProxyFaults, WaitAfterAWaitThatTimedOutStillCountsTheClientsWrite) {
  SlotgateProcess proxy(Config().Workers(1));
  const std::string key = "{wait2}k";
  const size_t master = cluster_->MasterOf(KeySlot(key));
  const size_t replica = cluster_->ReplicasOf(master).at(0);
  RedisClient client(proxy.port());
  client.SetTimeout(kDeadline);
  ASSERT_EQ(CommandOrWhy(client, {"SET", key, "before"}), "OK");
  ASSERT_EQ(CommandOrWhy(client, {"WAIT", "1", "5000"}), "(integer) 1");
  // The replica stops acknowledging; the master still counts it as connected.
  ASSERT_EQ(kill(cluster_->node(replica).pid(), SIGSTOP), 0);
  ContinueOnExit continued(cluster_->node(replica).pid());
  ASSERT_EQ(CommandOrWhy(client, {"SET", key, "after"}), "OK");
  client.Append({"WAIT", "1", "1000"});
  client.Flush();
  // While the WAIT blocks its connection, another client's request opens a new one.
  const uint16_t node = cluster_->port(master);
  ASSERT_TRUE(PollUntil([&] { return BlockedClients(node) == 1; }, kDeadline));
  EXPECT_EQ(AskPort(proxy.port(), {"GET", key}), "\"after\"");
  EXPECT_EQ(NextReply(client), "(integer) 0");
  // Asked again, WAIT still waits for the write (a WAIT on a connection that has run nothing
  // since would count the stopped replica at once).
  EXPECT_EQ(CommandOrWhy(client, {"WAIT", "1", "200"}), "(integer) 0");
  continued.Continue();
  EXPECT_EQ(CommandOrWhy(client, {"WAIT", "1", "5000"}), "(integer) 1");
  EXPECT_EQ(proxy.Stop(), 0) << proxy.Log();
}

INSTANTIATE_TEST_SUITE_P(Metrics, ProxyFaults, testing::Bool(), MetricsName);

// Three masters without replicas, shared by tests that stop or kill a master and bring it back.
// A long node timeout keeps the others from flagging it failed in the meantime.
class ProxyFaultsWithoutReplicas : public testing::TestWithParam<bool> {
 protected:
  static void SetUpTestSuite() {
    cluster_ = new RedisCluster(
        RedisClusterOptions{.masters = 3,
                            .replicas_per_master = 0,
                            .node_timeout_ms = 5000,
                            .extra_args = {"--cluster-require-full-coverage", "no"}});
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }
  void SetUp() override {
    for (size_t i = 0; i < cluster_->size(); ++i) {
      if (!cluster_->node(i).running()) cluster_->Restart(i);
      kill(cluster_->node(i).pid(), SIGCONT);
    }
    cluster_->WaitForClusterOk();
  }

  static SlotgateConfig Config() {
    return SlotgateConfig::ForCluster(*cluster_).Metrics(GetParam());
  }

  static RedisCluster* cluster_;
};

RedisCluster* ProxyFaultsWithoutReplicas::cluster_ = nullptr;

// Whether slotgate's CLIENT LIST shows a client whose last command is BLPOP.
bool ProxyHasBlpopClient(uint16_t proxy_port) {
  return AskPort(proxy_port, {"CLIENT", "LIST"}).find(" cmd=blpop ") != std::string::npos;
}

TEST_P(ProxyFaultsWithoutReplicas, BlockingCommandParkedForRetryDoesNotRunAfterItsClientHasGone) {
  SlotgateProcess proxy(Config().Timeout("redirect_deadline_ms", "10000"));
  const std::string list = "{parked}list";
  const size_t owner = cluster_->MasterOf(KeySlot(list));
  const uint16_t node = cluster_->port(owner);
  ASSERT_EQ(AskPort(node, {"DEL", list}), "(integer) 0");
  ASSERT_EQ(AskPort(proxy.port(), {"SET", "{parked}probe", "up"}), "OK");

  const auto killed = steady_clock::now();
  cluster_->Kill(owner);
  {
    RedisClient blocked(proxy.port());
    blocked.Append({"BLPOP", list, "0"});
    blocked.Flush();
    ASSERT_TRUE(PollUntil([&] { return ProxyHasBlpopClient(proxy.port()); }, kDeadline))
        << "slotgate never took the BLPOP";
  }  // the client hangs up while slotgate retries its BLPOP on the dead node
  // Like Redis, slotgate forgets a client that hung up at once, parked request or not.
  EXPECT_TRUE(PollUntil([&] { return !ProxyHasBlpopClient(proxy.port()); }, seconds(2)))
      << "slotgate still lists the client that hung up";
  const auto closed = steady_clock::now();
  cluster_->Restart(owner);
  const auto restarted = steady_clock::now();
  std::string probe;
  ASSERT_TRUE(PollUntil(
      [&] {
        probe = AskPort(proxy.port(), {"SET", "{parked}probe", "back"});
        return probe == "OK";
      },
      kDeadline))
      << "slotgate does not serve the slot again: " << probe;
  std::cout << "kill -> client closed " << Millis(closed - killed) << " ms, -> restarted "
            << Millis(restarted - killed) << " ms, -> served "
            << Millis(steady_clock::now() - killed) << " ms\n";

  ASSERT_EQ(AskPort(node, {"RPUSH", list, "job"}), "(integer) 1");
  std::string seen;
  const bool popped = PollUntil(
      [&] {
        const std::string length = AskPort(node, {"LLEN", list});
        if (length != "(integer) 1") {
          seen = "LLEN " + length;
          return true;
        }
        const std::string clients = AskPort(node, {"CLIENT", "LIST"});
        if (clients.find(" cmd=blpop ") != std::string::npos) {
          seen = "a BLPOP client on the node:\n" + clients;
          return true;
        }
        return false;
      },
      milliseconds(1500));
  EXPECT_FALSE(popped) << "the gone client's BLPOP ran: " << seen;
  EXPECT_EQ(AskPort(node, {"LRANGE", list, "0", "-1"}), "[\"job\"]");
  EXPECT_EQ(AskPort(node, {"DEL", list}), "(integer) 1");
  EXPECT_TRUE(Alive(proxy));
  EXPECT_EQ(proxy.Stop(), 0) << proxy.Log();
}

TEST_P(ProxyFaultsWithoutReplicas, StoppedMasterFailsOnlyItsOwnSlots) {
  SlotgateProcess proxy(Config().Timeout("backend_request_ms", "1000"));
  const std::vector<size_t> owners = cluster_->SlotOwners();
  const std::vector<size_t> masters = cluster_->Masters();
  ASSERT_EQ(masters.size(), 3u);
  const size_t stopped = masters[2];
  std::vector<std::string> keys;
  for (const size_t m : masters) {
    keys.push_back(KeyOwnedBy(owners, m, "stopped:"));
    ASSERT_EQ(AskPort(proxy.port(), {"SET", keys.back(), "v-" + keys.back()}), "OK");
  }
  const auto value = [&](size_t i) { return "\"v-" + keys[i] + "\""; };

  ContinueOnExit resume(cluster_->node(stopped).pid());
  ASSERT_EQ(kill(cluster_->node(stopped).pid(), SIGSTOP), 0);
  for (int attempt = 0; attempt < 2; ++attempt) {
    const auto asked = steady_clock::now();
    const std::string reply = AskPort(proxy.port(), {"GET", keys[2]}, kDeadline);
    const auto took = steady_clock::now() - asked;
    EXPECT_TRUE(reply.starts_with("(error) ERR proxy: ")) << reply;
    EXPECT_LT(took, milliseconds(1500))
        << "attempt " << attempt << ": " << reply << " after " << Millis(took) << " ms";
    std::cout << "stopped master, attempt " << attempt << ": " << reply << " after " << Millis(took)
              << " ms\n";
    // The other masters answer while it is stopped, on every worker's connections.
    for (int client = 0; client < 4; ++client) {
      RedisClient other(proxy.port());
      other.SetTimeout(kDeadline);
      for (size_t i = 0; i < 2; ++i) {
        const auto sent = steady_clock::now();
        EXPECT_EQ(CommandOrWhy(other, {"GET", keys[i]}), value(i));
        EXPECT_LT(steady_clock::now() - sent, milliseconds(500)) << keys[i];
      }
    }
  }
  resume.Continue();
  std::string last;
  EXPECT_TRUE(PollUntil(
      [&] {
        for (size_t i = 0; i < keys.size(); ++i) {
          last = AskPort(proxy.port(), {"GET", keys[i]});
          if (last != value(i)) return false;
        }
        return true;
      },
      seconds(15)))
      << "after SIGCONT: " << last;
  EXPECT_TRUE(Alive(proxy));
  EXPECT_EQ(proxy.Stop(), 0) << proxy.Log();
}

INSTANTIATE_TEST_SUITE_P(Metrics, ProxyFaultsWithoutReplicas, testing::Bool(), MetricsName);

// A master dies for good: each test has a cluster of its own.
class ProxyFaultsMasterLoss : public testing::TestWithParam<bool> {};

// SCAN from cursor 0 to the end on a connection of its own, each call waiting at most `timeout`:
// the keys it listed, in name order, or what went wrong.
std::string ScanAll(uint16_t port, milliseconds timeout) {
  try {
    RedisClient client(port);
    client.SetTimeout(timeout);
    std::vector<std::string> keys;
    std::string cursor = "0";
    for (int calls = 0; calls < 1000; ++calls) {
      const test::Reply reply = client.Command({"SCAN", cursor});
      if (!reply || reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 ||
          reply->element[0]->type != REDIS_REPLY_STRING ||
          reply->element[1]->type != REDIS_REPLY_ARRAY) {
        return "SCAN " + cursor + ": " + test::ReplyToString(reply.get());
      }
      for (size_t i = 0; i < reply->element[1]->elements; ++i) {
        const redisReply* key = reply->element[1]->element[i];
        keys.emplace_back(key->str, key->len);
      }
      cursor.assign(reply->element[0]->str, reply->element[0]->len);
      if (cursor == "0") {
        std::sort(keys.begin(), keys.end());
        std::string out = "[";
        for (size_t i = 0; i < keys.size(); ++i) out += (i ? ", \"" : "\"") + keys[i] + "\"";
        return out + "]";
      }
    }
    return "SCAN never ended";
  } catch (const std::exception& e) {
    return std::string("(no reply: ") + e.what() + ")";
  }
}

// A reply as ReplyToString renders it, an array's elements put in name order first.
std::string SortedReply(uint16_t port, const std::vector<std::string>& args, milliseconds timeout) {
  try {
    RedisClient client(port);
    client.SetTimeout(timeout);
    const test::Reply reply = client.Command(args);
    if (!reply || reply->type != REDIS_REPLY_ARRAY) return test::ReplyToString(reply.get());
    std::vector<std::string> items;
    for (size_t i = 0; i < reply->elements; ++i) {
      items.push_back(test::ReplyToString(reply->element[i]));
    }
    std::sort(items.begin(), items.end());
    std::string out = "[";
    for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
    return out + "]";
  } catch (const std::exception& e) {
    return std::string("(no reply: ") + e.what() + ")";
  }
}

TEST_P(ProxyFaultsMasterLoss, FanOutCommandsWorkSoonAfterAMasterDies) {
  RedisCluster cluster(/*masters=*/3, /*replicas_per_master=*/1);
  SlotgateProcess proxy(
      SlotgateConfig::ForCluster(cluster).Metrics(GetParam()).Top("admin_commands", "true"));
  std::vector<std::string> keys;
  {
    RedisClient client(proxy.port());
    for (int i = 0; i < 30; ++i) {
      keys.push_back("fan:" + std::to_string(i));
      ASSERT_EQ(client.CommandString({"SET", keys.back(), "v"}), "OK");
    }
  }
  std::sort(keys.begin(), keys.end());
  const std::string want_keys = [&] {
    std::string out = "[";
    for (size_t i = 0; i < keys.size(); ++i) out += (i ? ", \"" : "\"") + keys[i] + "\"";
    return out + "]";
  }();
  const std::vector<size_t> owners = cluster.SlotOwners();
  ASSERT_TRUE(std::any_of(keys.begin(), keys.end(),
                          [&](const std::string& k) { return owners[KeySlot(k)] == 1; }));
  // Node 4 replicates master 1: it has every key of master 1 before the kill.
  ASSERT_TRUE(PollUntil(
      [&] { return AskPort(cluster.port(4), {"DBSIZE"}) == AskPort(cluster.port(1), {"DBSIZE"}); },
      kDeadline));

  cluster.Kill(1);
  cluster.WaitForPromotion(4);
  const auto promoted = steady_clock::now();
  const auto deadline = promoted + seconds(2);
  const auto left = [&] {
    return std::max(milliseconds(0),
                    std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now()));
  };

  // Each command waits no longer than the 2 s allow; the first one not (yet) right says why.
  const auto wait = [&] { return std::max(left(), milliseconds(100)); };
  std::string problem;
  const auto not_yet = [&](std::string why) {
    problem = std::move(why);
    return false;
  };
  const auto fan_out_answers = [&] {
    const std::string dbsize = AskPort(proxy.port(), {"DBSIZE"}, wait());
    if (dbsize != "(integer) 30") return not_yet("DBSIZE " + dbsize);
    const std::string scanned = ScanAll(proxy.port(), wait());
    if (scanned != want_keys) return not_yet("SCAN " + scanned);
    const std::string info = AskPort(proxy.port(), {"INFO"}, wait());
    if (info.find("# Server") == std::string::npos ||
        info.find("db0:keys=30,") == std::string::npos) {
      return not_yet("INFO " + info.substr(0, 300));
    }
    const std::string listed = SortedReply(proxy.port(), {"KEYS", "*"}, wait());
    if (listed != want_keys) return not_yet("KEYS * " + listed);
    return true;
  };
  const bool answered = PollUntil(fan_out_answers, left());
  const auto answered_at = steady_clock::now();
  EXPECT_TRUE(answered) << "2 s after the promotion: " << problem;
  std::string flushed;
  EXPECT_TRUE(PollUntil(
      [&] {
        flushed = AskPort(proxy.port(), {"FLUSHALL"}, wait());
        return flushed == "OK";
      },
      left()))
      << "FLUSHALL 2 s after the promotion: " << flushed;
  std::cout << "promotion -> fan-out " << (answered ? "answered " : "given up ")
            << Millis(answered_at - promoted) << " ms, -> FLUSHALL "
            << Millis(steady_clock::now() - promoted) << " ms\n";
  if (!answered || flushed != "OK") {  // how late, for the record
    std::string dbsize;
    const bool later = PollUntil(
        [&] { return (dbsize = AskPort(proxy.port(), {"DBSIZE"})).starts_with("(integer) "); },
        seconds(5));
    std::cout << "DBSIZE " << (later ? "answered " : "still failing ")
              << Millis(steady_clock::now() - promoted) << " ms after the promotion: " << dbsize
              << "\n";
  }
  EXPECT_EQ(AskPort(proxy.port(), {"DBSIZE"}), "(integer) 0");

  // All along, the dead master was still listed, as failed.
  const std::string nodes = AskPort(cluster.port(0), {"CLUSTER", "NODES"});
  const size_t line = nodes.find(cluster.NodeId(1));
  ASSERT_NE(line, std::string::npos) << nodes;
  const std::string dead_line = nodes.substr(line, nodes.find('\n', line) - line);
  EXPECT_NE(dead_line.find(",fail"), std::string::npos) << dead_line;
  EXPECT_TRUE(Alive(proxy));
  EXPECT_EQ(proxy.Stop(), 0) << proxy.Log();
}

INSTANTIATE_TEST_SUITE_P(Metrics, ProxyFaultsMasterLoss, testing::Bool(), MetricsName);

}  // namespace
}  // namespace slotgate
