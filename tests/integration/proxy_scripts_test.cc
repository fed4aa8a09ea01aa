// Lua scripts through slotgate: EVAL and EVALSHA route by their declared keys, and a script
// loaded through slotgate (SCRIPT LOAD, or run once with EVAL) keeps answering EVALSHA after a
// failover, although Redis does not replicate its script cache and the promoted replica has
// never seen the script: slotgate loads it there again on NOSCRIPT.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "common/slot.h"
#include "tests/integration/support/cluster_suite.h"
#include "tests/integration/support/redis_client.h"
#include "tests/integration/support/redis_cluster.h"
#include "tests/integration/support/slotgate_process.h"

namespace slotgate {
namespace {

using test::RedisClient;
using test::RedisCluster;
using test::SlotgateConfig;
using test::SlotgateProcess;

constexpr char kNoScript[] = "(error) NOSCRIPT No matching script. Please use EVAL.";
constexpr char kCrossSlot[] = "(error) CROSSSLOT Keys in request don't hash to the same slot";
constexpr char kGetScript[] = "return redis.call('GET', KEYS[1])";
// The SHA-1 of kEchoScript, the name Redis gives it.
constexpr char kEchoScript[] = "return 'eval:' .. KEYS[1]";
constexpr char kEchoSha[] = "2cb89b9e5197fe0f9ddb3c2bbfcd80e2266f0c28";

// A bulk string reply without its quotes: a SHA-1 SCRIPT LOAD answered.
std::string Unquote(const std::string& reply) {
  return reply.size() >= 2 && reply.front() == '"' ? reply.substr(1, reply.size() - 2) : reply;
}

std::string AskNode(RedisCluster& cluster, size_t node, const std::vector<std::string>& args) {
  RedisClient client(cluster.port(node));
  return client.CommandString(args);
}

// Fails the key's master over to its replica; returns the promoted node.
size_t FailOverMasterOf(RedisCluster& cluster, const std::string& key) {
  const size_t master = cluster.MasterOf(KeySlot(key));
  const std::vector<size_t> replicas = cluster.ReplicasOf(master);
  if (replicas.empty()) throw std::runtime_error("no replica of node " + std::to_string(master));
  cluster.Failover(replicas[0]);
  return replicas[0];
}

// Three masters with a replica each; four workers, so scripts learned by one worker are used
// by others.
class ProxyScriptsFailover : public testing::Test {
 protected:
  ProxyScriptsFailover()
      : cluster_(/*masters=*/3, /*replicas_per_master=*/1),
        proxy_(SlotgateConfig::ForCluster(cluster_).Workers(4).Top("admin_commands", "true")) {}

  std::string Ask(const std::vector<std::string>& args) {
    RedisClient client(proxy_.port());  // a new connection: any worker may take it
    return client.CommandString(args);
  }

  RedisCluster cluster_;
  SlotgateProcess proxy_;
};

TEST_F(ProxyScriptsFailover, LoadedScriptAnswersEvalshaAfterFailover) {
  ASSERT_EQ(Ask({"SET", "sk1", "v1"}), "OK");
  const std::string sha = Unquote(Ask({"SCRIPT", "LOAD", kGetScript}));
  ASSERT_EQ(sha.size(), 40u) << sha;
  ASSERT_EQ(Ask({"EVALSHA", sha, "1", "sk1"}), "\"v1\"");

  const size_t promoted = FailOverMasterOf(cluster_, "sk1");
  // Redis did not pass the script on: the new master does not know it.
  ASSERT_EQ(AskNode(cluster_, promoted, {"EVALSHA", sha, "1", "sk1"}), kNoScript);

  EXPECT_EQ(Ask({"EVALSHA", sha, "1", "sk1"}), "\"v1\"");
  // slotgate loaded it there, so the node now has it for everyone.
  EXPECT_EQ(AskNode(cluster_, promoted, {"SCRIPT", "EXISTS", sha}), "[(integer) 1]");
  EXPECT_EQ(Ask({"EVALSHA", sha, "1", "sk1"}), "\"v1\"");
}

TEST_F(ProxyScriptsFailover, ScriptsLoadedThroughAnyWorkerAreReloadedByEveryWorker) {
  // Eight scripts, each loaded on its own connection, then each run on another one after the
  // failover: with four workers, most runs land on a worker that did not see the load.
  const std::string key = "sk2";
  ASSERT_EQ(Ask({"SET", key, "v2"}), "OK");
  std::vector<std::string> shas;
  for (int i = 0; i < 8; ++i) {
    const std::string body = "return redis.call('GET', KEYS[1]) .. ':" + std::to_string(i) + "'";
    shas.push_back(Unquote(Ask({"SCRIPT", "LOAD", body})));
    ASSERT_EQ(shas.back().size(), 40u) << shas.back();
  }
  const size_t promoted = FailOverMasterOf(cluster_, key);
  ASSERT_EQ(AskNode(cluster_, promoted, {"EVALSHA", shas[0], "1", key}), kNoScript);
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(Ask({"EVALSHA", shas[i], "1", key}), "\"v2:" + std::to_string(i) + "\"") << i;
  }
}

TEST_F(ProxyScriptsFailover, ScriptRunByEvalAnswersEvalshaAfterFailover) {
  ASSERT_EQ(Ask({"EVAL", kEchoScript, "1", "sk3"}), "\"eval:sk3\"");
  const size_t promoted = FailOverMasterOf(cluster_, "sk3");
  ASSERT_EQ(AskNode(cluster_, promoted, {"EVALSHA", kEchoSha, "1", "sk3"}), kNoScript);
  EXPECT_EQ(Ask({"EVALSHA", kEchoSha, "1", "sk3"}), "\"eval:sk3\"");
}

TEST_F(ProxyScriptsFailover, ReadOnlyEvalshaIsReloadedToo) {
  ASSERT_EQ(Ask({"EVAL_RO", kEchoScript, "1", "sk4"}), "\"eval:sk4\"");
  const size_t promoted = FailOverMasterOf(cluster_, "sk4");
  ASSERT_EQ(AskNode(cluster_, promoted, {"EVALSHA_RO", kEchoSha, "1", "sk4"}), kNoScript);
  EXPECT_EQ(Ask({"EVALSHA_RO", kEchoSha, "1", "sk4"}), "\"eval:sk4\"");
}

TEST_F(ProxyScriptsFailover, UnknownScriptAfterFailoverIsStillNoscript) {
  // Loaded straight on the node, not through slotgate: slotgate cannot know its body.
  const size_t master = cluster_.MasterOf(KeySlot("sk5"));
  const std::string sha = Unquote(AskNode(cluster_, master, {"SCRIPT", "LOAD", "return 5"}));
  ASSERT_EQ(Ask({"EVALSHA", sha, "1", "sk5"}), "(integer) 5");
  FailOverMasterOf(cluster_, "sk5");
  EXPECT_EQ(Ask({"EVALSHA", sha, "1", "sk5"}), kNoScript);
}

TEST_F(ProxyScriptsFailover, ScriptFlushForgetsWhatSlotgateRemembered) {
  const std::string sha = Unquote(Ask({"SCRIPT", "LOAD", kGetScript}));
  ASSERT_EQ(sha.size(), 40u) << sha;
  ASSERT_EQ(Ask({"SCRIPT", "FLUSH"}), "OK");
  // Every master forgot it, and slotgate does not load it again.
  EXPECT_EQ(Ask({"EVALSHA", sha, "1", "sk6"}), kNoScript);
  EXPECT_EQ(Ask({"EVALSHA", sha, "0"}), kNoScript);
  EXPECT_EQ(Ask({"SCRIPT", "EXISTS", sha}), "[(integer) 0]");
}

// Routing of scripts by their declared keys; no failover, so no replicas.
// Three masters shared by the suite's tests: none of them changes the topology.
class ProxyScripts : public test::ClusterSuite {
 protected:
  static void SetUpTestSuite() { StartCluster({.admin_commands = true}); }
};

TEST_F(ProxyScripts, EvalRunsOnTheMasterOfItsKeys) {
  for (const std::string key : {"ra", "rb", "rc", "rd", "re", "rf"}) {
    ASSERT_EQ(Ask({"EVAL", "return redis.call('SET', KEYS[1], ARGV[1])", "1", key, "x" + key}),
              "OK");
    const size_t master = cluster_->MasterOf(KeySlot(key));
    EXPECT_EQ(AskNode(*cluster_, master, {"GET", key}), "\"x" + key + "\"") << key;
    EXPECT_EQ(Ask({"EVAL_RO", kGetScript, "1", key}), "\"x" + key + "\"") << key;
  }
}

TEST_F(ProxyScripts, KeysInTwoSlotsAreCrossslot) {
  ASSERT_NE(KeySlot("foo"), KeySlot("bar"));
  EXPECT_EQ(Ask({"EVAL", "return 1", "2", "foo", "bar"}), kCrossSlot);
  EXPECT_EQ(Ask({"EVAL_RO", "return 1", "2", "foo", "bar"}), kCrossSlot);
  const std::string sha = Unquote(Ask({"SCRIPT", "LOAD", "return 1"}));
  ASSERT_EQ(sha, "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
  EXPECT_EQ(Ask({"EVALSHA", sha, "2", "foo", "bar"}), kCrossSlot);
  EXPECT_EQ(Ask({"EVALSHA_RO", sha, "2", "foo", "bar"}), kCrossSlot);
  // One hash tag, one slot.
  EXPECT_EQ(Ask({"EVALSHA", sha, "2", "{t}foo", "{t}bar"}), "(integer) 1");
}

TEST_F(ProxyScripts, ScriptsWithoutKeysRunOnAnyMaster) {
  const std::string sha = Unquote(Ask({"SCRIPT", "LOAD", "return 1"}));
  ASSERT_EQ(sha, "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
  for (int i = 0; i < 6; ++i) {  // round robin: every master gets some
    EXPECT_EQ(Ask({"EVAL", "return 1", "0"}), "(integer) 1");
    EXPECT_EQ(Ask({"EVALSHA", sha, "0"}), "(integer) 1");
    EXPECT_EQ(Ask({"EVALSHA_RO", sha, "0"}), "(integer) 1");
  }
}

TEST_F(ProxyScripts, UnknownShaIsNoscriptAsRedisSaysIt) {
  const std::string unknown = "ffffffffffffffffffffffffffffffffffffffff";
  EXPECT_EQ(Ask({"EVALSHA", unknown, "0"}), kNoScript);
  EXPECT_EQ(Ask({"EVALSHA", unknown, "1", "somekey"}), kNoScript);
  EXPECT_EQ(Ask({"EVALSHA_RO", unknown, "1", "somekey"}), kNoScript);
}

TEST_F(ProxyScripts, ScriptLoadReachesEveryMaster) {
  const std::string sha = Unquote(Ask({"SCRIPT", "LOAD", "return 'everywhere'"}));
  ASSERT_EQ(sha.size(), 40u) << sha;
  for (size_t master : cluster_->Masters()) {
    EXPECT_EQ(AskNode(*cluster_, master, {"SCRIPT", "EXISTS", sha}), "[(integer) 1]") << master;
  }
}

TEST_F(ProxyScripts, ScriptExistsSaysOneOnlyWhereEveryMasterHasIt) {
  const std::string everywhere = Unquote(Ask({"SCRIPT", "LOAD", "return 'all'"}));
  const size_t one_master = cluster_->Masters()[0];
  const std::string one =
      Unquote(AskNode(*cluster_, one_master, {"SCRIPT", "LOAD", "return 'one'"}));
  const std::string none = "ffffffffffffffffffffffffffffffffffffffff";
  EXPECT_EQ(Ask({"SCRIPT", "EXISTS", everywhere, one, none}),
            "[(integer) 1, (integer) 0, (integer) 0]");
  EXPECT_EQ(Ask({"SCRIPT", "EXISTS", everywhere}), "[(integer) 1]");
}

TEST_F(ProxyScripts, ScriptExistsSaysOneForAScriptSlotgateRemembers) {
  const std::string script = "return 'remembered'";
  EXPECT_EQ(Ask({"EVAL", script, "0"}), "\"remembered\"");
  const std::string sha =
      Unquote(AskNode(*cluster_, cluster_->Masters()[0], {"SCRIPT", "LOAD", script}));
  // Ran on one master only, yet EVALSHA works anywhere: slotgate loads it where it is missing.
  EXPECT_EQ(Ask({"SCRIPT", "EXISTS", sha}), "[(integer) 1]");
  for (const size_t master : cluster_->Masters()) {
    EXPECT_EQ(AskNode(*cluster_, master, {"SCRIPT", "FLUSH"}), "OK");
  }
  EXPECT_EQ(Ask({"EVALSHA", sha, "0"}), "\"remembered\"");
}

TEST_F(ProxyScripts, FunctionsAreLoadedOnEveryMasterAndCalledByTheirKeys) {
  const std::string library =
      "#!lua name=slotgatelib\n"
      "redis.register_function('get_it', function(keys, args) return redis.call('GET', keys[1]) "
      "end)\n"
      "redis.register_function{function_name='ro_len', callback=function(keys, args) return "
      "redis.call('STRLEN', keys[1]) end, flags={'no-writes'}}\n"
      "redis.register_function{function_name='hello', callback=function() return 'hi' end, "
      "flags={'no-writes'}}";
  EXPECT_EQ(Ask({"FUNCTION", "LOAD", library}), "\"slotgatelib\"");
  for (const size_t master : cluster_->Masters()) {
    EXPECT_EQ(AskNode(*cluster_, master, {"FCALL_RO", "hello", "0"}), "\"hi\"");
  }
  for (const std::string key : {"fa", "fb", "fc", "fd"}) {
    ASSERT_EQ(Ask({"SET", key, "value-" + key}), "OK");
    EXPECT_EQ(Ask({"FCALL", "get_it", "1", key}), "\"value-" + key + "\"");
    EXPECT_EQ(Ask({"FCALL_RO", "ro_len", "1", key}), "(integer) 8");
  }
  EXPECT_EQ(Ask({"FCALL", "get_it", "2", "fa", "fb"}), kCrossSlot);
  const std::string dump = [&] {
    RedisClient client(proxy_->port());
    const test::Reply reply = client.Command({"FUNCTION", "DUMP"});
    return std::string(reply->str, reply->len);
  }();
  EXPECT_EQ(Ask({"FUNCTION", "FLUSH"}), "OK");
  EXPECT_EQ(Ask({"FCALL", "get_it", "1", "fa"}), "(error) ERR Function not found");
  {
    RedisClient client(proxy_->port());
    EXPECT_EQ(client.CommandString({"FUNCTION", "RESTORE", dump}), "OK");
  }
  EXPECT_EQ(Ask({"FCALL", "get_it", "1", "fc"}), "\"value-fc\"");
  EXPECT_EQ(Ask({"FUNCTION", "DELETE", "slotgatelib"}), "OK");
  for (const size_t master : cluster_->Masters()) {
    EXPECT_EQ(AskNode(*cluster_, master, {"FUNCTION", "LIST"}), "[]");
  }
}

}  // namespace
}  // namespace slotgate
