// A client sending bytes that are not Redis protocol gets Redis's own protocol error and is
// disconnected, exactly as a lone redis-server would treat it; the clients beside it, with
// pipelines in flight on the same workers, see nothing of it.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/support/cluster_suite.h"
#include "tests/integration/support/raw_socket.h"
#include "tests/integration/support/redis_client.h"
#include "tests/integration/support/redis_cluster.h"
#include "tests/integration/support/redis_server.h"
#include "tests/integration/support/slotgate_process.h"

namespace slotgate {
namespace {

using test::RawSocket;
using test::RedisClient;
using test::RedisCluster;
using test::RedisServer;
using test::ReplyToString;
using test::SlotgateConfig;
using test::SlotgateProcess;

struct BadInput {
  std::string name;
  std::string bytes;
  std::string reply;  // what redis-server answers before it closes the connection
};

std::vector<BadInput> BadInputs() {
  return {
      {"huge bulk length", "*1\r\n$999999999999\r\n",
       "-ERR Protocol error: invalid bulk length\r\n"},
      {"negative bulk length", "*1\r\n$-5\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
      {"garbage multibulk count", "*abc\r\n", "-ERR Protocol error: invalid multibulk length\r\n"},
      {"not a bulk inside a multibulk", "*2\r\n$3\r\nGET\r\n+x\r\n",
       "-ERR Protocol error: expected '$', got '+'\r\n"},
      {"unbalanced quotes inline", "SET \"unterminated\r\n",
       "-ERR Protocol error: unbalanced quotes in request\r\n"},
      {"a good request, then garbage", "*1\r\n$4\r\nPING\r\n*abc\r\n",
       "+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n"},
      // Frames that never end: refused once they outgrow the 64 KiB a header may take.
      {"unterminated inline line", std::string(66000, 'a'),
       "-ERR Protocol error: too big inline request\r\n"},
      {"unterminated bulk length", "*1\r\n$" + std::string(66000, '1'),
       "-ERR Protocol error: too big bulk count string\r\n"},
      {"unterminated multibulk count", "*" + std::string(66000, '1'),
       "-ERR Protocol error: too big mbulk count string\r\n"},
  };
}

class ProxyBadInput : public test::ClusterSuite {
 protected:
  static void SetUpTestSuite() {
    StartCluster({});
    plain_ = new RedisServer();
  }
  static void TearDownTestSuite() {
    delete plain_;
    StopCluster();
  }

  static RedisServer* plain_;  // the reference: what Redis itself answers
};

RedisServer* ProxyBadInput::plain_ = nullptr;

TEST_F(ProxyBadInput, EachMalformedRequestGetsRedisProtocolErrorAndIsDisconnected) {
  for (const BadInput& bad : BadInputs()) {
    RawSocket reference(plain_->port());
    reference.Send(bad.bytes);
    EXPECT_EQ(reference.ReadUntilClosed(), bad.reply) << "redis-server, " << bad.name;

    RawSocket client(proxy_->port());
    client.Send(bad.bytes);
    EXPECT_EQ(client.ReadUntilClosed(), bad.reply) << bad.name;
    EXPECT_TRUE(client.closed()) << bad.name << ": still connected after a protocol error";
  }
}

TEST_F(ProxyBadInput, UnfinishedFrameWaitsForMoreAndIsDroppedSilentlyAtHangUp) {
  RawSocket client(proxy_->port());
  client.Send("*3\r\n$3\r\nSET\r\n$8\r\nhalfway1\r\n$100\r\nnot all of it");
  RedisClient other(proxy_->port());
  EXPECT_EQ(other.CommandString({"PING"}), "PONG");
  client.ShutdownWrite();
  EXPECT_EQ(client.ReadUntilClosed(), "");
  EXPECT_TRUE(client.closed());
  EXPECT_EQ(other.CommandString({"EXISTS", "halfway1"}), "(integer) 0");
}

TEST_F(ProxyBadInput, OtherClientsPipelinesInFlightAreUnaffected) {
  constexpr int kClients = 8;
  constexpr int kBatch = 2000;
  std::atomic<bool> bad_done{false};
  std::atomic<int> wrong{0};
  std::atomic<int> batches_after_bad{0};
  std::vector<std::thread> good;
  for (int c = 0; c < kClients; ++c) {
    good.emplace_back([&, c] {
      try {
        RedisClient client(proxy_->port());
        // Keep pipelining until the bad clients are done, then one batch more.
        for (int round = 0; round < 1000; ++round) {
          const bool last = bad_done.load();
          const std::string p = "good" + std::to_string(c) + ":" + std::to_string(round) + ":";
          for (int i = 0; i < kBatch; ++i) {
            client.Append({"SET", p + std::to_string(i), std::to_string(i)});
            client.Append({"GET", p + std::to_string(i)});
          }
          for (int i = 0; i < kBatch; ++i) {
            wrong += ReplyToString(client.Next().get()) != "OK";
            wrong += ReplyToString(client.Next().get()) != "\"" + std::to_string(i) + "\"";
          }
          if (last) {
            ++batches_after_bad;
            return;
          }
        }
      } catch (const std::exception&) {
        wrong += 1000000;
      }
    });
  }
  for (int repeat = 0; repeat < 3; ++repeat) {
    for (const BadInput& bad : BadInputs()) {
      RawSocket client(proxy_->port());
      client.Send(bad.bytes);
      EXPECT_EQ(client.ReadUntilClosed(), bad.reply) << bad.name;
    }
  }
  bad_done = true;
  for (std::thread& t : good) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(batches_after_bad.load(), kClients);
}

}  // namespace
}  // namespace slotgate
