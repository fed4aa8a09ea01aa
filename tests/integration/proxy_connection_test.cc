// Connection-level commands through slotgate: RESP3 after HELLO 3 (replies byte for byte as a
// single Redis server gives them), CLIENT LIST / INFO of slotgate's own clients, CLIENT REPLY
// and CLIENT NO-EVICT.
#include <gtest/gtest.h>

#include <string>
#include <utility>
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
using test::SlotgateConfig;
using test::SlotgateProcess;

std::string Inline(const std::string& line) { return line + "\r\n"; }

class SlotgateConnection : public test::ClusterSuite {
 protected:
};

// Each request and the exact bytes of its RESP3 reply, as a Redis 7 server sends them.
const std::vector<std::pair<std::string, std::string>> kResp3Exchange = {
    {"DEL {r3}h {r3}z {r3}s", ":0\r\n"},
    {"HSET {r3}h f v", ":1\r\n"},
    {"HGETALL {r3}h", "%1\r\n$1\r\nf\r\n$1\r\nv\r\n"},
    {"GET {r3}missing", "_\r\n"},
    {"ZADD {r3}z 1.5 m", ":1\r\n"},
    {"ZSCORE {r3}z m", ",1.5\r\n"},
    {"SADD {r3}s a", ":1\r\n"},
    {"SMEMBERS {r3}s", "~1\r\n$1\r\na\r\n"},
    {"CLIENT GETNAME", "_\r\n"},
    {"MULTI", "+OK\r\n"},
    {"GET {r3}missing", "+QUEUED\r\n"},
    {"HGETALL {r3}h", "+QUEUED\r\n"},
    {"EXEC", "*2\r\n_\r\n%1\r\n$1\r\nf\r\n$1\r\nv\r\n"},
    {"SUBSCRIBE ch3", ">3\r\n$9\r\nsubscribe\r\n$3\r\nch3\r\n:1\r\n"},
    {"GET {r3}missing", "_\r\n"},  // RESP3 clients may run commands while subscribed
    {"UNSUBSCRIBE ch3", ">3\r\n$11\r\nunsubscribe\r\n$3\r\nch3\r\n:0\r\n"},
    {"CONFIG GET maxmemory-policy", "%1\r\n$16\r\nmaxmemory-policy\r\n$10\r\nnoeviction\r\n"},
    {"HELLO 2", ""},  // the reply's size differs (server ids): checked apart
};

void RunResp3Exchange(uint16_t port) {
  RawSocket socket(port);
  socket.Send(Inline("HELLO 3"));
  const std::string hello_start = "%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n";
  EXPECT_EQ(socket.Read(hello_start.size()), hello_start);
  std::string rest;
  while (rest.find("$7\r\nmodules\r\n*0\r\n") == std::string::npos) {
    const std::string more = socket.Read(1);
    ASSERT_EQ(more.size(), 1u) << rest;
    rest += more;
  }
  EXPECT_NE(rest.find("$5\r\nproto\r\n:3\r\n"), std::string::npos) << rest;
  for (const auto& [request, reply] : kResp3Exchange) {
    if (reply.empty()) continue;
    socket.Send(Inline(request));
    EXPECT_EQ(socket.Read(reply.size()), reply) << request;
  }
  socket.Send(Inline("HELLO 2"));
  const std::string resp2_start = "*14\r\n";
  EXPECT_EQ(socket.Read(resp2_start.size()), resp2_start);
}

TEST_F(SlotgateConnection, Resp3RepliesMatchARedisServerByteForByte) {
  RedisServer redis;
  RunResp3Exchange(redis.port());
  RunResp3Exchange(proxy_->port());
}

TEST_F(SlotgateConnection, Resp3SubscribersGetMessagesAsPushes) {
  RawSocket subscriber(proxy_->port());
  subscriber.Send(Inline("HELLO 3"));
  subscriber.Send(Inline("SUBSCRIBE news3"));
  const std::string confirmation = ">3\r\n$9\r\nsubscribe\r\n$5\r\nnews3\r\n:1\r\n";
  std::string got;
  while (got.find(confirmation) == std::string::npos) {
    const std::string more = subscriber.Read(1);
    ASSERT_EQ(more.size(), 1u) << got;
    got += more;
  }
  RedisClient publisher(proxy_->port());
  publisher.Command({"PUBLISH", "news3", "hi"});
  const std::string message = ">3\r\n$7\r\nmessage\r\n$5\r\nnews3\r\n$2\r\nhi\r\n";
  EXPECT_EQ(subscriber.Read(message.size()), message);
}

TEST_F(SlotgateConnection, ClientListShowsSlotgatesOwnClients) {
  RedisClient client(proxy_->port());
  EXPECT_EQ(client.CommandString({"CLIENT", "SETNAME", "billing"}), "OK");
  const std::string id = client.CommandString({"CLIENT", "ID"}).substr(10);  // "(integer) N"
  const test::Reply info = client.Command({"CLIENT", "INFO"});
  const std::string line(info->str, info->len);
  EXPECT_EQ(line.rfind("id=" + id + " addr=127.0.0.1:", 0), 0u) << line;
  EXPECT_NE(line.find(" laddr=127.0.0.1:" + std::to_string(proxy_->port()) + " "),
            std::string::npos)
      << line;
  EXPECT_NE(line.find(" name=billing "), std::string::npos) << line;
  EXPECT_NE(line.find(" flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 "), std::string::npos) << line;
  EXPECT_NE(line.find(" cmd=client|info "), std::string::npos) << line;
  EXPECT_EQ(line.back(), '\n');

  RedisClient subscriber(proxy_->port());
  EXPECT_EQ(subscriber.CommandString({"SUBSCRIBE", "a", "b"}),
            "[\"subscribe\", \"a\", (integer) 1]");
  subscriber.Next();
  const std::string subscriber_id = [&] {
    RedisClient probe(proxy_->port());
    const test::Reply all = probe.Command({"CLIENT", "LIST", "TYPE", "pubsub"});
    return std::string(all->str, all->len);
  }();
  EXPECT_NE(subscriber_id.find(" flags=P db=0 sub=2 psub=0 ssub=0 "), std::string::npos)
      << subscriber_id;
  EXPECT_EQ(subscriber_id.find("name=billing"), std::string::npos) << subscriber_id;
  const test::Reply normal = client.Command({"CLIENT", "LIST", "TYPE", "normal"});
  const std::string normal_list(normal->str, normal->len);
  EXPECT_NE(normal_list.find("id=" + id + " "), std::string::npos) << normal_list;
  EXPECT_EQ(normal_list.find("sub=2"), std::string::npos) << normal_list;
  const test::Reply mine = client.Command({"CLIENT", "LIST", "ID", id});
  EXPECT_EQ(std::string(mine->str, mine->len).rfind("id=" + id + " ", 0), 0u);
  EXPECT_EQ(client.CommandString({"CLIENT", "LIST", "TYPE", "bogus"}),
            "(error) ERR Unknown client type 'bogus'");
  EXPECT_EQ(client.CommandString({"CLIENT", "NO-EVICT", "on"}), "OK");
  EXPECT_EQ(client.CommandString({"CLIENT", "KILL", "ID", "1"}),
            "(error) ERR proxy: CLIENT KILL is not available through slotgate");
}

TEST_F(SlotgateConnection, ClientReplyOffAndSkipSilenceReplies) {
  RawSocket socket(proxy_->port());
  socket.Send(Inline("CLIENT REPLY OFF") + Inline("SET {cr}k 1") + Inline("GET {cr}k") +
              Inline("CLIENT REPLY ON") + Inline("GET {cr}k"));
  EXPECT_EQ(socket.Read(12), "+OK\r\n$1\r\n1\r\n");
  socket.Send(Inline("CLIENT REPLY SKIP") + Inline("SET {cr}k 2") + Inline("GET {cr}k"));
  EXPECT_EQ(socket.Read(7), "$1\r\n2\r\n");
  socket.Send(Inline("CLIENT REPLY OFF") + Inline("RESET") + Inline("GET {cr}k"));
  EXPECT_EQ(socket.Read(15), "+RESET\r\n$1\r\n2\r\n");
}

}  // namespace
}  // namespace slotgate
