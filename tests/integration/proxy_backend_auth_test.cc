// A cluster behind passwords: every node has `requirepass` and an ACL user for slotgate, and
// slotgate's backend credentials open every kind of connection it makes (topology, shared,
// dedicated, pub/sub, RESP3, replica reads). Credentials a node refuses are logged once per
// node, counted, and answered with the node's reason, never with a NOAUTH the client did not
// earn.
#include <gtest/gtest.h>
#include <stdlib.h>

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
using test::CommandOrWhy;
using test::PollUntil;
using test::RedisClient;
using test::RedisCluster;
using test::SlotgateConfig;
using test::SlotgateProcess;

constexpr milliseconds kDeadline{10000};
constexpr char kAdminPassword[] = "admin-pw";
constexpr char kSlotgatePassword[] = "sg-pw";

// Every node of `cluster` from now on wants a password: `default` has kAdminPassword (replicas
// use it to reach their masters) and `slotgate` is an ACL user of its own.
void RequirePasswords(RedisCluster& cluster) {
  for (size_t i = 0; i < cluster.size(); ++i) {
    RedisClient node(cluster.port(i));
    ASSERT_EQ(node.CommandString({"ACL", "SETUSER", "slotgate", "on",
                                  std::string(">") + kSlotgatePassword, "+@all", "~*", "&*"}),
              "OK");
    ASSERT_EQ(node.CommandString({"CONFIG", "SET", "masterauth", kAdminPassword}), "OK");
    ASSERT_EQ(node.CommandString({"CONFIG", "SET", "requirepass", kAdminPassword}), "OK");
    // This connection logged in before; a new one must authenticate.
    EXPECT_EQ(RedisClient(cluster.port(i)).CommandString({"PING"}),
              "(error) NOAUTH Authentication required.");
  }
}

SlotgateConfig WithCredentials(const RedisCluster& cluster, const std::string& password) {
  setenv("SLOTGATE_TEST_BACKEND_PASSWORD", password.c_str(), 1);
  return SlotgateConfig::ForCluster(cluster)
      .Metrics(false)
      .Backend("username", "slotgate")
      .Backend("password_env", "SLOTGATE_TEST_BACKEND_PASSWORD");
}

class ProxyBackendAuth : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    cluster_ = new RedisCluster(3, 1);
    RequirePasswords(*cluster_);
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }

  static RedisCluster* cluster_;
};

RedisCluster* ProxyBackendAuth::cluster_ = nullptr;

TEST_F(ProxyBackendAuth, EveryKindOfBackendConnectionLogsIn) {
  SlotgateProcess proxy(WithCredentials(*cluster_, kSlotgatePassword).ReadFrom("prefer-replica"));
  RedisClient client(proxy.port());
  client.SetTimeout(kDeadline);
  EXPECT_EQ(CommandOrWhy(client, {"MSET", "a", "1", "b", "2", "c", "3"}), "OK");
  EXPECT_EQ(CommandOrWhy(client, {"MGET", "a", "b", "c"}), "[\"1\", \"2\", \"3\"]");
  EXPECT_EQ(CommandOrWhy(client, {"DBSIZE"}), "(integer) 3");
  // A dedicated connection: BLPOP that finds its element.
  EXPECT_EQ(CommandOrWhy(client, {"RPUSH", "jobs", "j1"}), "(integer) 1");
  EXPECT_EQ(CommandOrWhy(client, {"BLPOP", "jobs", "1"}), "[\"jobs\", \"j1\"]");
  // WATCH goes on a dedicated connection too.
  EXPECT_EQ(CommandOrWhy(client, {"WATCH", "a"}), "OK");
  EXPECT_EQ(CommandOrWhy(client, {"MULTI"}), "OK");
  EXPECT_EQ(CommandOrWhy(client, {"INCR", "a"}), "QUEUED");
  EXPECT_EQ(CommandOrWhy(client, {"EXEC"}), "[(integer) 2]");
  // A RESP3 client's connections say HELLO 3 AUTH. (hiredis here reads no RESP3: raw bytes.)
  test::RawSocket resp3(proxy.port());
  resp3.Send("HELLO 3\r\nGET b\r\n");
  // HELLO's map ends with its empty module list; GET's answer follows. Each read gives up
  // after the socket's 10 s timeout (an empty read), so the loops end whatever comes.
  const auto read_until = [&](std::string& text, auto done) {
    while (!done(text)) {
      const std::string more = resp3.Read(1);
      if (more.empty()) return;
      text += more;
    }
  };
  std::string bytes;
  read_until(bytes, [](const std::string& t) { return t.find("*0\r\n") != std::string::npos; });
  const auto line = [&] {
    std::string text;
    read_until(text, [](const std::string& t) { return t.ends_with("\r\n"); });
    return text;
  };
  std::string get = line();
  if (get.starts_with("$")) get += line();
  EXPECT_TRUE(bytes.starts_with("%7\r\n")) << bytes;
  EXPECT_EQ(get, "$1\r\n2\r\n");
  // Pub/sub links.
  RedisClient subscriber(proxy.port());
  subscriber.SetTimeout(kDeadline);
  EXPECT_EQ(CommandOrWhy(subscriber, {"SUBSCRIBE", "news"}),
            "[\"subscribe\", \"news\", (integer) 1]");
  ASSERT_TRUE(PollUntil(
      [&] {
        return CommandOrWhy(client, {"PUBLISH", "news", "hello"}) == "(integer) 1";
      },
      kDeadline));
  EXPECT_EQ(test::ReplyToString(subscriber.Next().get()), "[\"message\", \"news\", \"hello\"]");
  EXPECT_EQ(CommandOrWhy(client, {"DEL", "a", "b", "c"}), "(integer) 3");
  // The nodes' passwords do not leak through CONFIG GET.
  EXPECT_EQ(CommandOrWhy(client, {"CONFIG", "GET", "requirepass"}),
            "[\"requirepass\", \"(hidden by slotgate)\"]");
  EXPECT_EQ(CommandOrWhy(client, {"CONFIG", "GET", "masterauth"}),
            "[\"masterauth\", \"(hidden by slotgate)\"]");
  EXPECT_EQ(proxy.Stop(), 0) << proxy.Log();
  EXPECT_EQ(proxy.Log().find(kSlotgatePassword), std::string::npos);
}

TEST_F(ProxyBackendAuth, RefusedCredentialsAreLoggedOncePerNodeAndAnsweredWithTheNodesReason) {
  SlotgateProcess proxy(
      WithCredentials(*cluster_, "wrong-pw").Timeout("redirect_deadline_ms", "300"));
  RedisClient client(proxy.port());
  client.SetTimeout(kDeadline);
  // No node lets slotgate read the topology, so no slot is served.
  EXPECT_EQ(CommandOrWhy(client, {"GET", "k"}), "(error) CLUSTERDOWN Hash slot not served");
  EXPECT_EQ(proxy.Stop(), 0) << proxy.Log();
  const std::string log = proxy.Log();
  const std::string line = "127.0.0.1:" + std::to_string(cluster_->port(0)) +
                           " refused slotgate's credentials (backend.username, "
                           "backend.password_*): WRONGPASS invalid username-password pair or "
                           "user is disabled.";
  const size_t first = log.find(line);
  EXPECT_NE(first, std::string::npos) << log;
  EXPECT_EQ(log.find(line, first + 1), std::string::npos) << "logged more than once";
  EXPECT_EQ(log.find("wrong-pw"), std::string::npos);
}

TEST(ProxyBackendAuthPerNode, ANodeWithOtherCredentialsUsesItsOwn) {
  RedisCluster cluster(3);
  // Asked before the nodes want passwords: the cluster's own helpers do not log in.
  const std::vector<size_t> owners = cluster.SlotOwners();
  const std::string on_node0 = test::KeyOwnedBy(owners, 0, "n0-");
  const std::string elsewhere = test::KeyOwnedBy(owners, 1, "n1-");
  RequirePasswords(cluster);
  {
    // Node 0 knows slotgate by another password.
    RedisClient node(cluster.port(0));
    ASSERT_EQ(node.CommandString({"AUTH", kAdminPassword}), "OK");
    ASSERT_EQ(node.CommandString({"ACL", "SETUSER", "slotgate", "resetpass", ">node0-pw"}), "OK");
  }
  setenv("SLOTGATE_TEST_NODE0_PASSWORD", "node0-pw", 1);
  SlotgateProcess proxy(
      WithCredentials(cluster, kSlotgatePassword)
          .Backend("node_credentials", "{127.0.0.1:" + std::to_string(cluster.port(0)) +
                                           ": {username: slotgate, password_env: "
                                           "SLOTGATE_TEST_NODE0_PASSWORD}}"));
  RedisClient client(proxy.port());
  client.SetTimeout(kDeadline);
  EXPECT_EQ(CommandOrWhy(client, {"MSET", on_node0, "a", elsewhere, "b"}), "OK");
  EXPECT_EQ(CommandOrWhy(client, {"MGET", on_node0, elsewhere}), "[\"a\", \"b\"]");
  EXPECT_EQ(proxy.Stop(), 0) << proxy.Log();
  EXPECT_EQ(proxy.Log().find("refused slotgate's credentials"), std::string::npos) << proxy.Log();
}

}  // namespace
}  // namespace slotgate
