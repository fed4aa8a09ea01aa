// Acceptance by widely used clients from outside slotgate: redis-py, ioredis, hiredis,
// redis-benchmark and redis-cli, each in plain (non-cluster) mode, run a scripted workload with
// every reply checked. Each runs twice: against one plain redis-server, which proves the
// expected replies are Redis's own, and through slotgate in front of a 3-master cluster, which
// must give the same. A client that is missing fails its test (CI installs them all).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/support/child_process.h"
#include "tests/integration/support/redis_client.h"
#include "tests/integration/support/redis_cluster.h"
#include "tests/integration/support/redis_server.h"
#include "tests/integration/support/slotgate_process.h"

namespace slotgate {
namespace {

using test::ChildOptions;
using test::ChildResult;
using test::RedisClient;
using test::RedisCluster;
using test::RedisServer;
using test::RedisServerOptions;
using test::RunChild;
using test::SlotgateConfig;
using test::SlotgateProcess;
using Clock = std::chrono::steady_clock;

const std::string kClientsDir = SLOTGATE_CLIENTS_DIR;
constexpr auto kWorkloadDeadline = std::chrono::seconds(240);
constexpr auto kStepDeadline = std::chrono::seconds(20);

enum class Target { kPlainRedis, kSlotgate };

// One suite per target. Servers start with the suite's first test, so a process that runs one
// test starts only what that test's target needs.
template <Target kTarget>
class Endpoint : public testing::Test {
 protected:
  static void TearDownTestSuite() {
    proxy_.reset();
    cluster_.reset();
    plain_.reset();
  }

  static uint16_t Port() {
    if constexpr (kTarget == Target::kPlainRedis) {
      if (!plain_) plain_ = std::make_unique<RedisServer>(RedisServerOptions{});
      return plain_->port();
    } else {
      if (!proxy_) {
        cluster_ = std::make_unique<RedisCluster>(3);
        // The workloads flush as they go: an operator's right, turned on here.
        proxy_ = std::make_unique<SlotgateProcess>(
            SlotgateConfig::ForCluster(*cluster_).Top("admin_commands", "true"));
      }
      return proxy_->port();
    }
  }

  static std::string Where() {
    return kTarget == Target::kPlainRedis ? "against a plain redis-server" : "through slotgate";
  }

  static inline std::unique_ptr<RedisServer> plain_;
  static inline std::unique_ptr<RedisCluster> cluster_;
  static inline std::unique_ptr<SlotgateProcess> proxy_;
};

using RealClientsOnPlainRedis = Endpoint<Target::kPlainRedis>;
using RealClientsThroughSlotgate = Endpoint<Target::kSlotgate>;

ChildOptions Within(std::chrono::milliseconds deadline, std::string stdin_text = "",
                    std::string cwd = "") {
  ChildOptions options;
  options.deadline = deadline;
  options.stdin_text = std::move(stdin_text);
  options.cwd = std::move(cwd);
  return options;
}

// ASSERT (ends the step) that `client` answers the command with exactly `want`.
#define ASSERT_REPLY(client, want, ...) \
  ASSERT_EQ((client).CommandString({__VA_ARGS__}), want) << "command: " #__VA_ARGS__

// The string elements of an array reply, sorted, for replies whose order Redis leaves open.
std::vector<std::string> SortedStrings(const test::Reply& reply) {
  std::vector<std::string> out;
  if (!reply || reply->type != REDIS_REPLY_ARRAY) {
    return {"not an array: " + test::ReplyToString(reply.get())};
  }
  for (size_t i = 0; i < reply->elements; ++i) {
    const redisReply* element = reply->element[i];
    out.push_back(element->type == REDIS_REPLY_STRING ? std::string(element->str, element->len)
                                                      : test::ReplyToString(element));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string Quoted(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", \"" : "\"") + items[i] + "\"";
  return out + "]";
}

// Runs one step of the hiredis workload: a failed assertion ends the step, not the test, so
// every step reports. Each command is bounded by the client's own timeout; a step slower than
// its deadline in all fails too.
void Step(const std::string& name, uint16_t port, const std::string& where,
          const std::function<void(uint16_t)>& body) {
  SCOPED_TRACE("hiredis step " + name + " " + where);
  const auto started = Clock::now();
  try {
    body(port);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "exception: " << e.what();
  }
  EXPECT_LT(Clock::now() - started, kStepDeadline) << "step " << name << " overran";
}

// --- external client libraries -----------------------------------------------------------

void RedisPyWorkload(uint16_t port, const std::string& where) {
  ASSERT_TRUE(std::filesystem::exists("/usr/bin/python3"))
      << "/usr/bin/python3 is missing (deploy/install-deps.sh installs python3-redis)";
  const ChildResult run = RunChild({"/usr/bin/python3", kClientsDir + "/redis_py_workload.py",
                                    "--host", "127.0.0.1", "--port", std::to_string(port)},
                                   Within(kWorkloadDeadline));
  EXPECT_EQ(run.output.find("No module named 'redis'"), std::string::npos)
      << "redis-py is missing: deploy/install-deps.sh installs python3-redis";
  EXPECT_TRUE(!run.timed_out && run.exit_code == 0)
      << "redis-py workload " << where << ": " << test::Describe(run);
}

void IoredisWorkload(uint16_t port, const std::string& where) {
  const std::string node = test::FindInPath("node");
  ASSERT_FALSE(node.empty()) << "node is missing (deploy/install-deps.sh installs nodejs)";
  ASSERT_TRUE(std::filesystem::exists(kClientsDir + "/node_modules/ioredis/package.json"))
      << "ioredis is missing from " << kClientsDir
      << "/node_modules: deploy/install-deps.sh runs npm ci there";
  const ChildResult run = RunChild({node, kClientsDir + "/ioredis_workload.js", "--host",
                                    "127.0.0.1", "--port", std::to_string(port)},
                                   Within(kWorkloadDeadline, "", kClientsDir));
  EXPECT_TRUE(!run.timed_out && run.exit_code == 0)
      << "ioredis workload " << where << ": " << test::Describe(run);
}

// --- hiredis, through the tests' own client --------------------------------------------------

void DataTypes(uint16_t port) {
  RedisClient c(port);
  ASSERT_REPLY(c, "(integer) 0", "DEL", "{d}s", "{d}n", "{d}h", "{d}l", "{d}set", "{d}z");
  ASSERT_REPLY(c, "OK", "SET", "{d}s", "hello");
  ASSERT_REPLY(c, "\"hello\"", "GET", "{d}s");
  ASSERT_REPLY(c, "(nil)", "GET", "{d}missing");
  ASSERT_REPLY(c, "(integer) 11", "APPEND", "{d}s", " world");
  ASSERT_REPLY(c, "\"world\"", "GETRANGE", "{d}s", "6", "-1");
  ASSERT_REPLY(c, "(nil)", "SET", "{d}s", "x", "NX");
  ASSERT_REPLY(c, "\"hello world\"", "SET", "{d}s", "bye", "XX", "GET");
  ASSERT_REPLY(c, "(integer) 5", "INCRBY", "{d}n", "5");
  ASSERT_REPLY(c, "\"5.5\"", "INCRBYFLOAT", "{d}n", "0.5");
  ASSERT_REPLY(c, "(error) ERR value is not an integer or out of range", "INCR", "{d}s");
  ASSERT_REPLY(c, "(integer) 2", "HSET", "{d}h", "name", "ada", "age", "36");
  ASSERT_REPLY(c, "(integer) 37", "HINCRBY", "{d}h", "age", "1");
  ASSERT_REPLY(c, "[\"name\", \"ada\", \"age\", \"37\"]", "HGETALL", "{d}h");
  ASSERT_REPLY(c, "[\"37\", (nil)]", "HMGET", "{d}h", "age", "nope");
  ASSERT_REPLY(c, "(integer) 1", "HDEL", "{d}h", "age");
  ASSERT_REPLY(c, "(integer) 3", "RPUSH", "{d}l", "a", "b", "c");
  ASSERT_REPLY(c, "[\"a\", \"b\", \"c\"]", "LRANGE", "{d}l", "0", "-1");
  ASSERT_REPLY(c, "\"c\"", "RPOP", "{d}l");
  ASSERT_REPLY(c, "\"a\"", "LMOVE", "{d}l", "{d}l", "LEFT", "RIGHT");
  ASSERT_REPLY(c, "[\"b\", \"a\"]", "LRANGE", "{d}l", "0", "-1");
  ASSERT_REPLY(c, "(integer) 3", "SADD", "{d}set", "x", "y", "z");
  EXPECT_EQ(Quoted(SortedStrings(c.Command({"SMEMBERS", "{d}set"}))), "[\"x\", \"y\", \"z\"]");
  ASSERT_REPLY(c, "(integer) 1", "SISMEMBER", "{d}set", "y");
  ASSERT_REPLY(c, "(integer) 2", "ZADD", "{d}z", "1", "a", "2", "b");
  ASSERT_REPLY(c, "\"3.5\"", "ZINCRBY", "{d}z", "2.5", "a");
  ASSERT_REPLY(c, "[\"b\", \"2\", \"a\", \"3.5\"]", "ZRANGE", "{d}z", "0", "-1", "WITHSCORES");
  ASSERT_REPLY(c, "[\"a\", \"3.5\"]", "ZPOPMAX", "{d}z");
  ASSERT_REPLY(c, "(error) WRONGTYPE Operation against a key holding the wrong kind of value",
               "GET", "{d}h");
  ASSERT_REPLY(c, "(integer) 6", "DEL", "{d}s", "{d}n", "{d}h", "{d}l", "{d}set", "{d}z");
}

void Streams(uint16_t port) {
  RedisClient c(port);
  ASSERT_REPLY(c, "(integer) 0", "DEL", "{x}s");
  ASSERT_REPLY(c, "\"1-1\"", "XADD", "{x}s", "1-1", "f", "1");
  ASSERT_REPLY(c, "\"1-2\"", "XADD", "{x}s", "1-2", "f", "2");
  ASSERT_REPLY(c, "\"2-0\"", "XADD", "{x}s", "2-0", "f", "3", "g", "x");
  ASSERT_REPLY(c, "(integer) 3", "XLEN", "{x}s");
  ASSERT_REPLY(c, "[[\"1-1\", [\"f\", \"1\"]], [\"1-2\", [\"f\", \"2\"]]]", "XRANGE", "{x}s", "-",
               "1-2");
  ASSERT_REPLY(c, "[[\"{x}s\", [[\"2-0\", [\"f\", \"3\", \"g\", \"x\"]]]]]", "XREAD", "STREAMS",
               "{x}s", "1-2");
  ASSERT_REPLY(c, "(nil)", "XREAD", "COUNT", "5", "STREAMS", "{x}s", "2-0");
  ASSERT_REPLY(c, "OK", "XGROUP", "CREATE", "{x}s", "grp", "0");
  ASSERT_REPLY(c, "[[\"{x}s\", [[\"1-1\", [\"f\", \"1\"]]]]]", "XREADGROUP", "GROUP", "grp",
               "alice", "COUNT", "1", "STREAMS", "{x}s", ">");
  ASSERT_REPLY(c, "[(integer) 1, \"1-1\", \"1-1\", [[\"alice\", \"1\"]]]", "XPENDING", "{x}s",
               "grp");
  ASSERT_REPLY(c, "(integer) 1", "XACK", "{x}s", "grp", "1-1");
  ASSERT_REPLY(c, "[(integer) 0, (nil), (nil), (nil)]", "XPENDING", "{x}s", "grp");
  ASSERT_REPLY(c, "(integer) 1", "DEL", "{x}s");
}

void Transactions(uint16_t port) {
  RedisClient c(port);
  RedisClient other(port);
  ASSERT_REPLY(c, "(integer) 0", "DEL", "{tx}a", "{tx}s", "{tx}w");
  ASSERT_REPLY(c, "OK", "MULTI");
  ASSERT_REPLY(c, "QUEUED", "SET", "{tx}a", "1");
  ASSERT_REPLY(c, "QUEUED", "INCR", "{tx}a");
  ASSERT_REPLY(c, "QUEUED", "SET", "{tx}s", "text");
  ASSERT_REPLY(c, "QUEUED", "INCR", "{tx}s");
  ASSERT_REPLY(c, "[OK, (integer) 2, OK, (error) ERR value is not an integer or out of range]",
               "EXEC");
  ASSERT_REPLY(c, "OK", "MULTI");
  ASSERT_REPLY(c, "QUEUED", "SET", "{tx}a", "9");
  ASSERT_REPLY(c, "(error) ERR unknown command 'NOSUCH', with args beginning with: 'x' ", "NOSUCH",
               "x");
  ASSERT_REPLY(c, "(error) EXECABORT Transaction discarded because of previous errors.", "EXEC");
  ASSERT_REPLY(c, "\"2\"", "GET", "{tx}a");
  ASSERT_REPLY(c, "OK", "MULTI");
  ASSERT_REPLY(c, "QUEUED", "SET", "{tx}a", "9");
  ASSERT_REPLY(c, "OK", "DISCARD");
  ASSERT_REPLY(c, "\"2\"", "GET", "{tx}a");

  ASSERT_REPLY(c, "OK", "SET", "{tx}w", "start");
  ASSERT_REPLY(c, "OK", "WATCH", "{tx}w");
  ASSERT_REPLY(c, "\"start\"", "GET", "{tx}w");
  ASSERT_REPLY(c, "OK", "MULTI");
  ASSERT_REPLY(c, "QUEUED", "SET", "{tx}w", "mine");
  ASSERT_REPLY(c, "[OK]", "EXEC");

  ASSERT_REPLY(c, "OK", "WATCH", "{tx}w");
  ASSERT_REPLY(other, "OK", "SET", "{tx}w", "theirs");
  ASSERT_REPLY(c, "OK", "MULTI");
  ASSERT_REPLY(c, "QUEUED", "SET", "{tx}w", "lost");
  ASSERT_REPLY(c, "(nil)", "EXEC");
  ASSERT_REPLY(c, "\"theirs\"", "GET", "{tx}w");

  ASSERT_REPLY(c, "OK", "WATCH", "{tx}w");
  ASSERT_REPLY(c, "OK", "UNWATCH");
  ASSERT_REPLY(other, "OK", "SET", "{tx}w", "again");
  ASSERT_REPLY(c, "OK", "MULTI");
  ASSERT_REPLY(c, "QUEUED", "GET", "{tx}w");
  ASSERT_REPLY(c, "[\"again\"]", "EXEC");
  ASSERT_REPLY(c, "(integer) 3", "DEL", "{tx}a", "{tx}s", "{tx}w");
}

void Pipelines(uint16_t port) {
  RedisClient c(port);
  std::vector<std::string> keys;
  for (char k = 'a'; k <= 'z'; ++k) keys.push_back(std::string("pl:") + k);
  std::vector<std::string> mset = {"MSET"};
  std::vector<std::string> mget = {"MGET"};
  std::vector<std::string> del = {"DEL"};
  std::string values = "[";
  std::string nils = "[";
  for (size_t i = 0; i < keys.size(); ++i) {
    mset.insert(mset.end(), {keys[i], "v" + std::to_string(i)});
    mget.push_back(keys[i]);
    del.push_back(keys[i]);
    values += (i ? ", \"v" : "\"v") + std::to_string(i) + "\"";
    nils += i ? ", (nil)" : "(nil)";
  }
  values += "]";
  nils += "]";
  c.Append(mset);
  c.Append(mget);
  c.Append({"INCR", "pl:counter"});
  c.Append(del);
  c.Append(mget);
  c.Append({"DEL", "pl:counter"});
  for (int i = 0; i < 200; ++i) c.Append({"SET", "pl:n:" + std::to_string(i), std::to_string(i)});
  for (int i = 0; i < 200; ++i) c.Append({"GET", "pl:n:" + std::to_string(i)});
  ASSERT_EQ(test::ReplyToString(c.Next().get()), "OK") << "MSET across slots";
  ASSERT_EQ(test::ReplyToString(c.Next().get()), values) << "MGET across slots";
  ASSERT_EQ(test::ReplyToString(c.Next().get()), "(integer) 1") << "INCR";
  ASSERT_EQ(test::ReplyToString(c.Next().get()), "(integer) 26") << "DEL across slots";
  ASSERT_EQ(test::ReplyToString(c.Next().get()), nils) << "MGET after DEL";
  ASSERT_EQ(test::ReplyToString(c.Next().get()), "(integer) 1") << "DEL counter";
  for (int i = 0; i < 200; ++i) ASSERT_EQ(test::ReplyToString(c.Next().get()), "OK") << i;
  for (int i = 0; i < 200; ++i) {
    ASSERT_EQ(test::ReplyToString(c.Next().get()), "\"" + std::to_string(i) + "\"") << i;
  }
}

void ManySlots(uint16_t port) {
  RedisClient c(port);
  ASSERT_REPLY(c, "OK", "FLUSHALL");
  constexpr int kKeys = 1000;
  std::vector<std::string> mget = {"MGET"};
  std::string want = "[";
  for (int i = 0; i < kKeys; ++i) {
    c.Append({"SET", "mk:" + std::to_string(i), "value-" + std::to_string(i)});
    mget.push_back("mk:" + std::to_string(i));
    want += (i ? ", \"value-" : "\"value-") + std::to_string(i) + "\"";
  }
  want += "]";
  for (int i = 0; i < kKeys; ++i) ASSERT_EQ(test::ReplyToString(c.Next().get()), "OK") << i;
  ASSERT_EQ(c.CommandString(mget), want);
  ASSERT_REPLY(c, "(integer) 1000", "DBSIZE");
  ASSERT_EQ(SortedStrings(c.Command({"KEYS", "mk:*"})).size(), size_t{kKeys});
  std::vector<std::string> del = mget;
  del[0] = "DEL";
  ASSERT_EQ(c.CommandString(del), "(integer) 1000");
  ASSERT_REPLY(c, "(integer) 0", "DBSIZE");
}

void Scripts(uint16_t port) {
  RedisClient c(port);
  ASSERT_REPLY(c, "(integer) 0", "DEL", "{sc}n");
  ASSERT_REPLY(c, "[\"{sc}k\", \"v\"]", "EVAL", "return {KEYS[1], ARGV[1]}", "1", "{sc}k", "v");
  ASSERT_REPLY(c, "(integer) 7", "EVAL", "return 7", "0");
  ASSERT_REPLY(c, "OK", "SCRIPT", "FLUSH");
  // SHA1 of the script's text, which Redis names scripts by.
  const std::string incr = "return redis.call('INCRBY', KEYS[1], ARGV[1])";
  const std::string sha = "8cd00688c05c46bde4a2e60658ef20a2e5c0b248";
  ASSERT_REPLY(c, "(error) NOSCRIPT No matching script. Please use EVAL.", "EVALSHA", sha, "1",
               "{sc}n", "1");
  ASSERT_REPLY(c, "\"" + sha + "\"", "SCRIPT", "LOAD", incr);
  ASSERT_REPLY(c, "(integer) 5", "EVALSHA", sha, "1", "{sc}n", "5");
  ASSERT_REPLY(c, "[(integer) 1, (integer) 0]", "SCRIPT", "EXISTS", sha, std::string(40, '0'));
  // A script run by EVAL is remembered, as EVALSHA-first clients rely on.
  const std::string get = "return redis.call('GET', KEYS[1])";
  const std::string get_sha = "d3c21d0c2b9ca22f82737626a27bcaf5d288f99f";
  ASSERT_REPLY(c, "\"5\"", "EVAL", get, "1", "{sc}n");
  ASSERT_REPLY(c, "[(integer) 1]", "SCRIPT", "EXISTS", get_sha);
  ASSERT_REPLY(c, "\"5\"", "EVALSHA", get_sha, "1", "{sc}n");
  ASSERT_REPLY(c, "(integer) 1", "DEL", "{sc}n");
}

void PubSub(uint16_t port) {
  RedisClient pub(port);
  RedisClient sub(port);
  auto next = [&sub] { return test::ReplyToString(sub.Next().get()); };
  ASSERT_REPLY(sub, "[\"subscribe\", \"{ps}news\", (integer) 1]", "SUBSCRIBE", "{ps}news");
  ASSERT_REPLY(pub, "[\"{ps}news\", (integer) 1]", "PUBSUB", "NUMSUB", "{ps}news");
  ASSERT_REPLY(pub, "(integer) 1", "PUBLISH", "{ps}news", "hello");
  ASSERT_EQ(next(), "[\"message\", \"{ps}news\", \"hello\"]");
  ASSERT_REPLY(sub, "[\"psubscribe\", \"{ps}n*\", (integer) 2]", "PSUBSCRIBE", "{ps}n*");
  ASSERT_REPLY(pub, "(integer) 2", "PUBLISH", "{ps}news", "both");
  ASSERT_EQ(next(), "[\"message\", \"{ps}news\", \"both\"]");
  ASSERT_EQ(next(), "[\"pmessage\", \"{ps}n*\", \"{ps}news\", \"both\"]");
  ASSERT_REPLY(sub, "[\"pong\", \"\"]", "PING");
  ASSERT_REPLY(sub, "[\"unsubscribe\", \"{ps}news\", (integer) 1]", "UNSUBSCRIBE", "{ps}news");
  ASSERT_REPLY(pub, "(integer) 1", "PUBLISH", "{ps}nest", "p");
  ASSERT_EQ(next(), "[\"pmessage\", \"{ps}n*\", \"{ps}nest\", \"p\"]");
  ASSERT_REPLY(sub, "[\"punsubscribe\", \"{ps}n*\", (integer) 0]", "PUNSUBSCRIBE", "{ps}n*");
  ASSERT_REPLY(pub, "(integer) 0", "PUBLISH", "{ps}news", "gone");
  ASSERT_REPLY(sub, "PONG", "PING");
}

void Blocking(uint16_t port) {
  RedisClient c(port);
  ASSERT_REPLY(c, "(integer) 0", "DEL", "{bl}q");
  const auto started = Clock::now();
  ASSERT_REPLY(c, "(nil)", "BLPOP", "{bl}q", "1");
  const auto waited = Clock::now() - started;
  ASSERT_GE(waited, std::chrono::milliseconds(900));
  ASSERT_LT(waited, std::chrono::seconds(5));

  std::string popped;
  RedisClient blocked(port);
  ASSERT_REPLY(blocked, "PONG", "PING");
  {
    std::jthread popper([&] {
      try {
        popped = blocked.CommandString({"BLPOP", "{bl}q", "10"});
      } catch (const std::exception& e) {
        popped = std::string("exception: ") + e.what();
      }
    });
    // Other connections keep being served while one client is blocked.
    for (int i = 0; i < 20; ++i) {
      ASSERT_REPLY(c, "OK", "SET", "{bl}busy" + std::to_string(i), "v");
    }
    ASSERT_REPLY(c, "(integer) 1", "RPUSH", "{bl}q", "job");
  }
  ASSERT_EQ(popped, "[\"{bl}q\", \"job\"]");
  ASSERT_REPLY(c, "(integer) 0", "LLEN", "{bl}q");
  ASSERT_REPLY(blocked, "\"v\"", "GET", "{bl}busy3");
  std::vector<std::string> del = {"DEL"};
  for (int i = 0; i < 20; ++i) del.push_back("{bl}busy" + std::to_string(i));
  ASSERT_EQ(c.CommandString(del), "(integer) 20");
}

void HiredisWorkload(uint16_t port, const std::string& where) {
  Step("data_types", port, where, DataTypes);
  Step("streams", port, where, Streams);
  Step("transactions", port, where, Transactions);
  Step("pipelines", port, where, Pipelines);
  Step("many_slots", port, where, ManySlots);
  Step("scripts", port, where, Scripts);
  Step("pubsub", port, where, PubSub);
  Step("blocking", port, where, Blocking);
}

// --- redis-benchmark and redis-cli -----------------------------------------------------------

void RedisBenchmarkDefaultTestsComplete(uint16_t port, const std::string& where) {
  const ChildResult run = RunChild(
      {"redis-benchmark", "-h", "127.0.0.1", "-p", std::to_string(port), "-q", "-n", "2000"},
      Within(std::chrono::seconds(180)));
  ASSERT_TRUE(!run.timed_out && run.exit_code == 0) << test::Describe(run);
  // -q rewrites a progress line in place with \r, then ends each test's line with \n.
  std::vector<std::string> lines;
  std::string line;
  for (const char ch : run.output) {
    if (ch == '\r' || ch == '\n') {
      if (!line.empty()) lines.push_back(line);
      line.clear();
    } else {
      line += ch;
    }
  }
  if (!line.empty()) lines.push_back(line);
  for (const std::string& l : lines) {
    std::string lower = l;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    EXPECT_TRUE(lower.find("err") == std::string::npos &&
                lower.find("warning") == std::string::npos)
        << "redis-benchmark " << where << " said: " << l;
  }
  // redis-benchmark 7.0's default test set, in its order.
  const std::vector<std::string> tests = {"PING_INLINE",
                                          "PING_MBULK",
                                          "SET",
                                          "GET",
                                          "INCR",
                                          "LPUSH",
                                          "RPUSH",
                                          "LPOP",
                                          "RPOP",
                                          "SADD",
                                          "HSET",
                                          "SPOP",
                                          "ZADD",
                                          "ZPOPMIN",
                                          "LPUSH (needed to benchmark LRANGE)",
                                          "LRANGE_100 (first 100 elements)",
                                          "LRANGE_300 (first 300 elements)",
                                          "LRANGE_500 (first 500 elements)",
                                          "LRANGE_600 (first 600 elements)",
                                          "MSET (10 keys)"};
  for (const std::string& name : tests) {
    const bool reported = std::any_of(lines.begin(), lines.end(), [&](const std::string& l) {
      return l.starts_with(name + ": ") && l.find(" requests per second") != std::string::npos;
    });
    EXPECT_TRUE(reported) << name << " printed no \"requests per second\" line " << where
                          << "; output:\n"
                          << run.output;
  }
}

// redis-cli reading commands from a pipe, as scripts use it: one reply per line, raw by default
// and in the interactive format with --no-raw.
const char kCliCommands[] =
    "DEL {cli}k {cli}n {cli}l {cli}h a b\n"
    "SET {cli}k hello\n"
    "GET {cli}k\n"
    "GET {cli}missing\n"
    "INCR {cli}n\n"
    "RPUSH {cli}l a b \"c d\"\n"
    "LRANGE {cli}l 0 -1\n"
    "LRANGE {cli}missing 0 -1\n"
    "HSET {cli}h f v\n"
    "HGETALL {cli}h\n"
    "INCR {cli}k\n"
    "MSET a 1 b 2\n"
    "MGET a b nokey\n"
    "EXISTS a b {cli}k nokey\n"
    "DEL {cli}k {cli}n {cli}l {cli}h a b\n"
    "PING\n"
    "ECHO \"two words\"\n"
    "SELECT 0\n";

void RedisCliReadsCommandsFromAPipe(uint16_t port, const std::string& where) {
  const ChildResult raw = RunChild({"redis-cli", "-h", "127.0.0.1", "-p", std::to_string(port)},
                                   Within(std::chrono::seconds(30), kCliCommands));
  ASSERT_TRUE(!raw.timed_out && raw.exit_code == 0) << test::Describe(raw);
  EXPECT_EQ(raw.output,
            "0\nOK\nhello\n\n1\n3\na\nb\nc d\n\n1\nf\nv\n"
            "ERR value is not an integer or out of range\n\n"
            "OK\n1\n2\n\n3\n6\nPONG\ntwo words\nOK\n")
      << where;

  const ChildResult pretty =
      RunChild({"redis-cli", "-h", "127.0.0.1", "-p", std::to_string(port), "--no-raw"},
               Within(std::chrono::seconds(30), kCliCommands));
  ASSERT_TRUE(!pretty.timed_out && pretty.exit_code == 0) << test::Describe(pretty);
  EXPECT_EQ(pretty.output,
            "(integer) 0\nOK\n\"hello\"\n(nil)\n(integer) 1\n(integer) 3\n"
            "1) \"a\"\n2) \"b\"\n3) \"c d\"\n(empty array)\n(integer) 1\n1) \"f\"\n2) \"v\"\n"
            "(error) ERR value is not an integer or out of range\n"
            "OK\n1) \"1\"\n2) \"2\"\n3) (nil)\n(integer) 3\n(integer) 6\nPONG\n\"two words\"\nOK\n")
      << where;
}

void RedisCliOneShotPipeAndScan(uint16_t port, const std::string& where) {
  const std::string port_text = std::to_string(port);
  const ChildOptions quick = Within(std::chrono::seconds(30));
  ChildResult run =
      RunChild({"redis-cli", "-p", port_text, "--no-raw", "SET", "{cli}one", "1"}, quick);
  ASSERT_EQ(run.output, "OK\n") << where << ": " << test::Describe(run);

  // --pipe: mass insertion from the protocol on stdin, ended by redis-cli's own ECHO marker.
  std::string protocol;
  for (int i = 0; i < 1000; ++i) {
    const std::string key = "clipipe:" + std::to_string(i);
    const std::string value = std::to_string(i);
    protocol += "*3\r\n$3\r\nSET\r\n$" + std::to_string(key.size()) + "\r\n" + key + "\r\n$" +
                std::to_string(value.size()) + "\r\n" + value + "\r\n";
  }
  run = RunChild({"redis-cli", "-p", port_text, "--pipe"},
                 Within(std::chrono::seconds(60), protocol));
  ASSERT_TRUE(!run.timed_out && run.exit_code == 0) << where << ": " << test::Describe(run);
  EXPECT_EQ(run.output,
            "All data transferred. Waiting for the last reply...\n"
            "Last reply received from server.\n"
            "errors: 0, replies: 1000\n")
      << where;

  // --scan walks the whole keyspace with SCAN; every key once.
  run = RunChild({"redis-cli", "-p", port_text, "--scan", "--pattern", "clipipe:*"}, quick);
  ASSERT_TRUE(!run.timed_out && run.exit_code == 0) << where << ": " << test::Describe(run);
  std::vector<std::string> scanned;
  std::istringstream lines(run.output);
  for (std::string key; std::getline(lines, key);) scanned.push_back(key);
  std::sort(scanned.begin(), scanned.end());
  std::vector<std::string> want;
  for (int i = 0; i < 1000; ++i) want.push_back("clipipe:" + std::to_string(i));
  std::sort(want.begin(), want.end());
  EXPECT_EQ(scanned, want) << where;

  std::vector<std::string> del = {"redis-cli", "-p", port_text, "DEL"};
  del.insert(del.end(), want.begin(), want.end());
  del.push_back("{cli}one");
  run = RunChild(del, quick);
  EXPECT_EQ(run.output, "1001\n") << where << ": " << test::Describe(run);
}

// Each workload against plain Redis first: a failure there is a wrong expectation, not a
// slotgate bug.
TEST_F(RealClientsOnPlainRedis, RedisPyWorkload) { RedisPyWorkload(Port(), Where()); }
TEST_F(RealClientsThroughSlotgate, RedisPyWorkload) { RedisPyWorkload(Port(), Where()); }
TEST_F(RealClientsOnPlainRedis, IoredisWorkload) { IoredisWorkload(Port(), Where()); }
TEST_F(RealClientsThroughSlotgate, IoredisWorkload) { IoredisWorkload(Port(), Where()); }
TEST_F(RealClientsOnPlainRedis, HiredisWorkload) { HiredisWorkload(Port(), Where()); }
TEST_F(RealClientsThroughSlotgate, HiredisWorkload) { HiredisWorkload(Port(), Where()); }
TEST_F(RealClientsOnPlainRedis, RedisBenchmarkDefaultTestsComplete) {
  RedisBenchmarkDefaultTestsComplete(Port(), Where());
}
TEST_F(RealClientsThroughSlotgate, RedisBenchmarkDefaultTestsComplete) {
  RedisBenchmarkDefaultTestsComplete(Port(), Where());
}
TEST_F(RealClientsOnPlainRedis, RedisCliReadsCommandsFromAPipe) {
  RedisCliReadsCommandsFromAPipe(Port(), Where());
}
TEST_F(RealClientsThroughSlotgate, RedisCliReadsCommandsFromAPipe) {
  RedisCliReadsCommandsFromAPipe(Port(), Where());
}
TEST_F(RealClientsOnPlainRedis, RedisCliOneShotPipeAndScan) {
  RedisCliOneShotPipeAndScan(Port(), Where());
}
TEST_F(RealClientsThroughSlotgate, RedisCliOneShotPipeAndScan) {
  RedisCliOneShotPipeAndScan(Port(), Where());
}

}  // namespace
}  // namespace slotgate
