// slotgate's ACL users must decide exactly as a Redis server decides for the same rules: for
// rule strings drawn at random from Redis's rule language, the server's ACL SETUSER judges the
// rules (the same error, word for word) and its ACL DRYRUN judges requests drawn from every
// command's own description (allowed, or denied for the command, a key or a channel).
#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "common/acl/acl_user.h"
#include "common/commands/command_table.h"
#include "tests/integration/support/command_vectors.h"
#include "tests/integration/support/redis_client.h"
#include "tests/integration/support/redis_server.h"

namespace slotgate {
namespace {

using test::AllCommands;
using test::GenerateArgs;
using test::RedisClient;
using test::RedisServer;
using test::Reply;
using test::Vocabulary;

constexpr int kRuleSets = 300;
constexpr int kRequestsPerRuleSet = 40;

// Rules of every kind, keys and channels named like the generated arguments (k<position>).
const std::vector<std::string> kRules = {
    "+@all",         "-@all",       "+@read",       "-@read",
    "+@write",       "-@write",     "+@dangerous",  "-@dangerous",
    "+@admin",       "-@admin",     "+@keyspace",   "-@keyspace",
    "+@string",      "-@hash",      "+@pubsub",     "-@pubsub",
    "+@scripting",   "+@slow",      "-@fast",       "+@connection",
    "+@blocking",    "-@stream",    "+get",         "-get",
    "+set",          "-set",        "+config",      "-config",
    "+config|get",   "-config|set", "+client|list", "+object|encoding",
    "+sort",         "+eval",       "+xreadgroup",  "+bitfield",
    "+migrate",      "+publish",    "+subscribe",   "+psubscribe",
    "allcommands",   "nocommands",  "~k1*",         "~k2",
    "%R~k*",         "%W~k*",       "%RW~k3*",      "%R~k2*",
    "%W~k1",         "allkeys",     "resetkeys",    "~*",
    "&k*",           "&k1",         "&*",           "allchannels",
    "resetchannels", "%X~k",        "%~k",          "+nosuch",
    "+@nosuch",      "reset",       "on",           "off"};

std::string RandomRules(std::mt19937& rng) {
  std::uniform_int_distribution<size_t> count(1, 7);
  std::uniform_int_distribution<size_t> pick(0, kRules.size() - 1);
  std::string rules;
  for (size_t n = count(rng); n > 0; --n) {
    if (!rules.empty()) rules += ' ';
    rules += kRules[pick(rng)];
  }
  return rules;
}

// DRYRUN's answer as a verdict; "" when it is none of them (then the test shows the text).
std::string ServerVerdict(const redisReply* reply) {
  const std::string text(reply->str ? std::string(reply->str, reply->len) : "");
  if (reply->type == REDIS_REPLY_STATUS && text == "OK") return "allowed";
  if (reply->type != REDIS_REPLY_STRING) return "";
  if (text.ends_with("command")) return "command";
  if (text.ends_with("key")) return "key";
  if (text.ends_with("channel")) return "channel";
  return "";
}

std::string OurVerdict(AclVerdict verdict) {
  switch (verdict) {
    case AclVerdict::kAllowed:
      return "allowed";
    case AclVerdict::kDeniedCommand:
      return "command";
    case AclVerdict::kDeniedKey:
      return "key";
    case AclVerdict::kDeniedChannel:
      return "channel";
  }
  return "";
}

// The command with its subcommand as separate arguments, as a client sends it.
std::vector<std::string_view> Views(const std::vector<std::string>& args) {
  return {args.begin(), args.end()};
}

TEST(AclAgreement, RulesAndRequestsAreJudgedAsRedisJudgesThem) {
  RedisServer server;
  RedisClient client(server.port());
  const auto table = CommandTable::Recorded();
  const std::vector<const CommandInfo*> commands = AllCommands(*table);
  // A fixed seed keeps the run repeatable; SLOTGATE_ACL_SEED explores others.
  const unsigned seed = test::SeedFrom("SLOTGATE_ACL_SEED", 20261129u);
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  std::uniform_int_distribution<size_t> pick_command(0, commands.size() - 1);

  size_t refused = 0;
  std::map<std::string, size_t> verdicts;
  for (int set = 0; set < kRuleSets; ++set) {
    const std::string rules = RandomRules(rng);
    AclUser user;
    const std::string error = user.Apply(rules, *table);
    std::vector<std::string> setuser = {"ACL", "SETUSER", "u", "reset", "on", "nopass"};
    for (size_t at = 0; at < rules.size();) {
      const size_t end = std::min(rules.find(' ', at), rules.size());
      setuser.push_back(rules.substr(at, end - at));
      at = end + 1;
    }
    const std::string answer = client.CommandString(setuser);
    if (!error.empty()) {
      EXPECT_EQ(answer, "(error) ERR " + error) << rules;
      ++refused;
      continue;
    }
    ASSERT_EQ(answer, "OK") << rules;

    std::vector<std::vector<std::string>> requests;
    for (int i = 0; i < kRequestsPerRuleSet; ++i) {
      const CommandInfo& cmd = *commands[pick_command(rng)];
      requests.push_back(GenerateArgs(cmd, Vocabulary(cmd), rng));
      std::vector<std::string> dryrun = {"ACL", "DRYRUN", "u"};
      dryrun.insert(dryrun.end(), requests.back().begin(), requests.back().end());
      client.Append(dryrun);
    }
    for (const std::vector<std::string>& request : requests) {
      const Reply reply = client.Next();
      if (reply->type == REDIS_REPLY_ERROR) continue;  // DRYRUN refused the request itself
      const std::vector<std::string_view> args = Views(request);
      const CommandLookup lookup = table->Find(args);
      ASSERT_EQ(lookup.status, CommandLookup::Status::kFound) << request[0];
      const std::string expected = ServerVerdict(reply.get());
      ASSERT_NE(expected, "") << test::ReplyToString(reply.get());
      ASSERT_EQ(OurVerdict(user.Check(*lookup.command, args)), expected)
          << "rules: " << rules << "\nrequest: " << testing::PrintToString(request)
          << "\nserver: " << test::ReplyToString(reply.get());
      ++verdicts[expected];
    }
  }
  // The generator is only useful if it reaches every outcome.
  EXPECT_GT(refused, kRuleSets / 20u);
  EXPECT_GT(verdicts["allowed"], 300u);
  EXPECT_GT(verdicts["command"], 300u);
  EXPECT_GT(verdicts["key"], 100u);
  EXPECT_GT(verdicts["channel"], 5u);
  std::cout << "refused rule sets: " << refused << "; requests allowed " << verdicts["allowed"]
            << ", denied for the command " << verdicts["command"] << ", a key " << verdicts["key"]
            << ", a channel " << verdicts["channel"] << "\n";
}

}  // namespace
}  // namespace slotgate
