// What an operator relies on: static mode over plain servers, startup with a seed down and a
// stale configured table (served correctly, drift reported), a client sending garbage (it
// alone is cut off), metrics, and a clean exit on SIGTERM.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/slot.h"
#include "tests/integration/support/free_port.h"
#include "tests/integration/support/local_cluster.h"
#include "tests/integration/support/redis_client.h"
#include "tests/integration/support/redis_server.h"
#include "tests/integration/support/slotgate_runner.h"

namespace slotgate {
namespace {

using test::LocalCluster;
using test::RedisClient;
using test::RedisServer;
using test::SlotgateRunner;

// A raw TCP client, for bytes no Redis client library would send.
class RawClient {
 public:
  explicit RawClient(uint16_t port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval timeout{10, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    EXPECT_EQ(connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  }
  ~RawClient() { close(fd_); }
  void Send(const std::string& bytes) {
    ASSERT_EQ(write(fd_, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }
  // Everything the server sends until it closes the connection (or 10 s pass).
  std::string ReadUntilClosed() {
    std::string out;
    char buffer[4096];
    ssize_t n;
    while ((n = read(fd_, buffer, sizeof(buffer))) > 0) out.append(buffer, static_cast<size_t>(n));
    closed_ = n == 0;
    return out;
  }
  bool closed() const { return closed_; }

 private:
  int fd_;
  bool closed_ = false;
};

TEST(SlotgateStaticMode, KeysLandOnTheServerTheConfiguredTableNames) {
  std::vector<std::unique_ptr<RedisServer>> servers;
  for (int i = 0; i < 3; ++i) servers.push_back(std::make_unique<RedisServer>());
  const std::string backend = "  mode: static\n  slots:\n    " + servers[0]->address() +
                              ": [0-5460]\n    " + servers[1]->address() +
                              ": [5461-10922]\n    " + servers[2]->address() +
                              ": [10923-16383]\n";
  SlotgateRunner proxy(backend);
  RedisClient client(proxy.port());
  for (int i = 0; i < 300; ++i) {
    ASSERT_EQ(client.CommandString({"SET", "s" + std::to_string(i), std::to_string(i)}), "OK");
  }
  for (int i = 0; i < 300; ++i) {
    const std::string key = "s" + std::to_string(i);
    const uint16_t slot = KeySlot(key);
    const size_t owner = slot <= 5460 ? 0 : slot <= 10922 ? 1 : 2;
    for (size_t s = 0; s < servers.size(); ++s) {
      RedisClient direct(servers[s]->port());
      EXPECT_EQ(direct.CommandString({"GET", key}),
                s == owner ? "\"" + std::to_string(i) + "\"" : std::string("(nil)"))
          << key << " on server " << s;
    }
  }
  EXPECT_EQ(client.CommandString({"DBSIZE"}), "(integer) 300");
}

TEST(SlotgateTopology, StartsWithASeedDownAndAStaleTableAndReportsTheDrift) {
  LocalCluster cluster({.masters = 3, .replicas_per_master = 0, .extra_args = {}});
  const std::vector<size_t> owners = cluster.SlotOwners();
  const uint16_t dead_seed_port = test::FreePort();
  // The configured table swaps the first two masters' ranges: stale on purpose.
  const std::string backend =
      "  mode: cluster\n  seeds: [127.0.0.1:" + std::to_string(dead_seed_port) + ", " +
      cluster.node(0).address() + "]\n  slots:\n    " + cluster.node(1).address() +
      ": [0-5460]\n    " + cluster.node(0).address() + ": [5461-10922]\n    " +
      cluster.node(2).address() + ": [10923-16383]\n";
  SlotgateRunner proxy(backend);
  RedisClient client(proxy.port());
  for (int i = 0; i < 200; ++i) {
    const std::string key = "d" + std::to_string(i);
    ASSERT_EQ(client.CommandString({"SET", key, "v"}), "OK");
    RedisClient direct(cluster.node(owners[KeySlot(key)]).port());
    ASSERT_EQ(direct.CommandString({"GET", key}), "\"v\"") << key;
  }
  const std::string log = proxy.Log();
  EXPECT_NE(log.find("config drift: slots 0-5460: configured " + cluster.node(1).address() +
                     ", cluster has " + cluster.node(0).address()),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("127.0.0.1:" + std::to_string(dead_seed_port) +
                     " did not describe the cluster"),
            std::string::npos)
      << log;
  const std::string metrics = proxy.Metrics();
  EXPECT_NE(metrics.find("slotgate_topology_drift_slots 10923"), std::string::npos) << metrics;
}

TEST(SlotgateBadInput, GarbageGetsAProtocolErrorAndOnlyThatClientIsDisconnected) {
  LocalCluster cluster({.masters = 3, .replicas_per_master = 0, .extra_args = {}});
  SlotgateRunner proxy(SlotgateRunner::ClusterBackend(cluster.Addresses()));
  RedisClient good(proxy.port());
  for (int i = 0; i < 1000; ++i) good.Append({"SET", "g" + std::to_string(i), "v"});

  const std::pair<std::string, std::string> cases[] = {
      {"*1\r\n$999999999999\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
      {"*abc\r\n", "-ERR Protocol error: invalid multibulk length\r\n"},
      {"*2\r\n$3\r\nGET\r\n+x\r\n", "-ERR Protocol error: expected '$', got '+'\r\n"},
      {"SET \"unterminated\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n"},
  };
  for (const auto& [garbage, reply] : cases) {
    RawClient bad(proxy.port());
    bad.Send(garbage);
    EXPECT_EQ(bad.ReadUntilClosed(), reply);
    EXPECT_TRUE(bad.closed());
  }
  {
    // An unterminated frame that never completes: the client waits, the others do not.
    RawClient slow(proxy.port());
    slow.Send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\nnot all of it");
    for (int i = 0; i < 1000; ++i) {
      ASSERT_EQ(test::ReplyToString(good.Next().get()), "OK");
    }
  }
  EXPECT_EQ(good.CommandString({"GET", "g999"}), "\"v\"");
  EXPECT_NE(proxy.Metrics().find("slotgate_protocol_errors_total 4"), std::string::npos);
}

TEST(SlotgateShutdown, SigtermWithClientsConnectedExitsZero) {
  LocalCluster cluster({.masters = 3, .replicas_per_master = 0, .extra_args = {}});
  SlotgateRunner proxy(SlotgateRunner::ClusterBackend(cluster.Addresses()));
  RedisClient idle(proxy.port());
  EXPECT_EQ(idle.CommandString({"SET", "x", "1"}), "OK");
  const std::string metrics = proxy.Metrics();
  EXPECT_NE(metrics.find("slotgate_requests_total{command=\"set\"} 1"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("slotgate_client_connections 1"), std::string::npos) << metrics;
  EXPECT_EQ(proxy.Stop(), 0);
}

}  // namespace
}  // namespace slotgate
