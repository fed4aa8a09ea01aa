// slotgate's key hashing must agree with Redis Cluster's on every key, binary ones included.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "common/slot.h"
#include "tests/integration/support/redis_client.h"
#include "tests/integration/support/redis_server.h"

namespace slotgate {
namespace {

using test::RedisClient;
using test::RedisServer;

std::string RandomKey(std::mt19937& rng) {
  // Short keys over a small alphabet rich in braces, so hash tags of every shape appear often,
  // and arbitrary bytes (NUL, CR, LF, 0xFF) elsewhere.
  static constexpr char kBraceHeavy[] = {'{', '}', 'a', 'b', '\0', '\r', '\n', '\xff'};
  std::uniform_int_distribution<int> length(0, 24);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> brace_heavy(0, sizeof(kBraceHeavy) - 1);
  std::bernoulli_distribution use_brace_alphabet(0.5);
  std::string key(static_cast<size_t>(length(rng)), '\0');
  for (char& c : key) {
    c = use_brace_alphabet(rng) ? kBraceHeavy[brace_heavy(rng)] : static_cast<char>(byte(rng));
  }
  return key;
}

TEST(KeySlotAgreement, TenThousandRandomBinaryKeysHashAsClusterKeyslotSays) {
  RedisServer server({.cluster_enabled = true, .extra_args = {}});
  RedisClient client(server.port());
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);

  std::vector<std::string> keys;
  for (int i = 0; i < 10000; ++i) keys.push_back(RandomKey(rng));
  for (const std::string& key : keys) client.Append({"CLUSTER", "KEYSLOT", key});
  for (const std::string& key : keys) {
    const test::Reply reply = client.Next();
    ASSERT_EQ(reply->type, REDIS_REPLY_INTEGER) << test::ReplyToString(reply.get());
    ASSERT_EQ(KeySlot(key), reply->integer) << "key bytes: " << testing::PrintToString(key);
  }
}

}  // namespace
}  // namespace slotgate
