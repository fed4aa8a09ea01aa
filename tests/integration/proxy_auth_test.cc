// Client authentication: slotgate's users (auth.users) answer exactly as a Redis server with the
// same users (ACL SETUSER with the same rule strings) does, reply for reply: NOAUTH, WRONGPASS,
// NOPERM for a command, a key and a channel, HELLO AUTH, a failed AUTH keeping the identity,
// RESET logging out, and a refused command failing its MULTI block. Without `auth`, everyone
// is `default`, as on a fresh Redis server.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/digest.h"
#include "tests/integration/support/redis_client.h"
#include "tests/integration/support/redis_cluster.h"
#include "tests/integration/support/redis_server.h"
#include "tests/integration/support/slotgate_process.h"

namespace slotgate {
namespace {

using test::RedisClient;
using test::RedisCluster;
using test::RedisServer;
using test::SlotgateConfig;
using test::SlotgateProcess;

using Script = std::vector<std::vector<std::string>>;

constexpr char kAppRules[] = "+@all -@dangerous ~*";
constexpr char kReaderRules[] = "+@read +ping +publish +subscribe ~cache:* &news.*";

// Each command of `script` on one new connection to `port`, the replies as ReplyToString shows
// them; HELLO's client id, which differs between any two servers, reads as "?".
std::vector<std::string> Run(uint16_t port, const Script& script) {
  RedisClient client(port);
  std::vector<std::string> replies;
  for (const std::vector<std::string>& command : script) {
    std::string reply = client.CommandString(command);
    const std::string id = "\"id\", (integer) ";
    if (const size_t at = reply.find(id); command[0] == "HELLO" && at != std::string::npos) {
      const size_t from = at + id.size();
      reply.replace(from, reply.find(',', from) - from, "?");
    }
    replies.push_back(std::move(reply));
  }
  return replies;
}

// The replies of `script` through slotgate, which must be those of the reference server.
void ExpectSameReplies(uint16_t proxy, uint16_t reference, const Script& script) {
  const std::vector<std::string> expected = Run(reference, script);
  const std::vector<std::string> got = Run(proxy, script);
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i], expected[i]) << testing::PrintToString(script[i]);
  }
}

class ProxyAuth : public testing::Test {
 protected:
  static void SetUpTestSuite() { cluster_ = new RedisCluster(3); }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }

  static RedisCluster* cluster_;
};

RedisCluster* ProxyAuth::cluster_ = nullptr;

TEST_F(ProxyAuth, UsersAnswerAsARedisServerWithTheSameUsers) {
  RedisServer reference;
  {
    RedisClient admin(reference.port());
    ASSERT_EQ(admin.CommandString(
                  {"ACL", "SETUSER", "app", "on", ">app-pw", "+@all", "-@dangerous", "~*"}),
              "OK");
    ASSERT_EQ(admin.CommandString({"ACL", "SETUSER", "reader", "on", ">reader-pw", "+@read",
                                   "+ping", "+publish", "+subscribe", "~cache:*", "&news.*"}),
              "OK");
    // No `default` in slotgate's users: a default user with no rights, no password, off.
    ASSERT_EQ(admin.CommandString({"ACL", "SETUSER", "default", "reset"}), "OK");
  }
  const std::string users =
      std::string("{users: [") + "{name: app, password_sha256: " + Sha256Hex("app-pw") +
      ", rules: '" + kAppRules + "'}, " +
      "{name: reader, password_sha256: " + Sha256Hex("reader-pw") + ", rules: '" + kReaderRules +
      "'}, " + "{name: ops, password_sha256: " + Sha256Hex("ops-pw") + ", rules: '+@all'}]}";
  SlotgateProcess proxy(SlotgateConfig::ForCluster(*cluster_).Metrics(false).Top("auth", users));

  ExpectSameReplies(proxy.port(), reference.port(),
                    {{"GET", "k"},
                     {"PING"},
                     {"AUTH", "nopass"},
                     {"AUTH", "app", "wrong"},
                     {"ACL", "WHOAMI"},
                     {"HELLO", "2"},
                     {"HELLO", "3", "AUTH", "app", "wrong"},
                     {"QUIT"}});
  ExpectSameReplies(proxy.port(), reference.port(),
                    {{"AUTH", "app", "app-pw"},
                     {"ACL", "WHOAMI"},
                     {"SET", "cache:1", "v1"},
                     {"GET", "cache:1"},
                     {"KEYS", "*"},
                     {"FLUSHALL"},
                     {"CONFIG", "SET", "maxmemory", "0"},
                     {"AUTH", "app", "wrong"},
                     {"ACL", "WHOAMI"},
                     {"AUTH", "nosuchuser", "app-pw"},
                     {"ACL", "WHOAMI"},
                     {"DEL", "cache:1"}});
  ExpectSameReplies(proxy.port(), reference.port(),
                    {{"AUTH", "reader", "reader-pw"},
                     {"PING"},
                     {"GET", "cache:2"},
                     {"GET", "secret"},
                     {"MGET", "cache:1", "cache:2", "secret"},
                     {"SET", "cache:1", "x"},
                     {"PUBLISH", "news.sport", "m"},
                     {"PUBLISH", "chat", "m"},
                     {"MULTI"},
                     {"GET", "cache:1"},
                     {"SET", "cache:1", "x"},
                     {"EXEC"},
                     {"RESET"},
                     {"GET", "cache:1"}});
  ExpectSameReplies(proxy.port(), reference.port(),
                    {{"HELLO", "2", "AUTH", "reader", "reader-pw", "SETNAME", "r"},
                     {"ACL", "WHOAMI"},
                     {"CLIENT", "GETNAME"},
                     {"SUBSCRIBE", "chat"}});
  {
    // CLIENT LIST names each client's user; the one not logged in shows as `default`.
    RedisClient reader(proxy.port());
    RedisClient anonymous(proxy.port());
    ASSERT_EQ(reader.CommandString({"AUTH", "reader", "reader-pw"}), "OK");
    ASSERT_EQ(anonymous.CommandString({"PING"}), "(error) NOAUTH Authentication required.");
    RedisClient ops(proxy.port());
    ASSERT_EQ(ops.CommandString({"AUTH", "ops", "ops-pw"}), "OK");
    const std::string list = ops.CommandString({"CLIENT", "LIST"});
    for (const std::string user : {"ops", "reader", "default"}) {
      EXPECT_NE(list.find(" user=" + user + " "), std::string::npos) << user << "\n" << list;
    }
    EXPECT_EQ(list.find("-pw"), std::string::npos) << list;
  }
  EXPECT_EQ(proxy.Stop(), 0) << proxy.Log();
  EXPECT_EQ(proxy.Log().find("app-pw"), std::string::npos);
}

TEST_F(ProxyAuth, WithoutUsersEveryClientIsTheDefaultUserWithEveryRight) {
  RedisServer reference;
  SlotgateProcess proxy(SlotgateConfig::ForCluster(*cluster_).Metrics(false));
  ExpectSameReplies(proxy.port(), reference.port(),
                    {{"ACL", "WHOAMI"},
                     {"AUTH", "anything"},
                     {"AUTH", "default", "anything"},
                     {"AUTH", "someone", "anything"},
                     {"ACL", "WHOAMI"},
                     {"SET", "k", "v"},
                     {"DEL", "k"}});
  EXPECT_EQ(proxy.Stop(), 0) << proxy.Log();
}

}  // namespace
}  // namespace slotgate
