// slotgate's key extraction must find exactly the keys a Redis server finds, for every
// command that has keys, on argument vectors generated from each command's own key specs:
// the server's COMMAND GETKEYS is the judge.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "common/commands/command_table.h"
#include "common/commands/key_extraction.h"
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

constexpr int kVectorsPerCommand = 300;

RespValue ToRespValue(const redisReply* r) {
  RespValue v;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      v.type = RespValue::Type::kBulkString;
      v.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      v.type = RespValue::Type::kSimpleString;
      v.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      v.type = RespValue::Type::kError;
      v.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      v.type = RespValue::Type::kInteger;
      v.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      v.type = RespValue::Type::kArray;
      for (size_t i = 0; i < r->elements; ++i) v.elements.push_back(ToRespValue(r->element[i]));
      break;
    default:
      v.type = RespValue::Type::kNull;
  }
  return v;
}

std::vector<std::string> OurKeys(const CommandInfo& cmd, const std::vector<std::string>& args) {
  const std::vector<std::string_view> views(args.begin(), args.end());
  std::vector<uint32_t> positions;
  ExtractKeyPositions(cmd, views, &positions);
  std::vector<std::string> keys;
  for (const uint32_t p : positions) keys.push_back(args[p]);
  return keys;
}

// Redis's answer: the keys, or none when it calls the arguments invalid.
std::vector<std::string> RedisKeys(const redisReply* reply, const std::vector<std::string>& args) {
  std::vector<std::string> keys;
  if (reply->type == REDIS_REPLY_ERROR) {
    EXPECT_EQ(std::string(reply->str, reply->len), "ERR Invalid arguments specified for command")
        << testing::PrintToString(args);
    return keys;
  }
  EXPECT_EQ(reply->type, REDIS_REPLY_ARRAY) << testing::PrintToString(args);
  for (size_t i = 0; i < reply->elements; ++i) {
    keys.emplace_back(reply->element[i]->str, reply->element[i]->len);
  }
  return keys;
}

class GetKeysAgreement : public testing::Test {
 protected:
  GetKeysAgreement() : client_(server_.port()) {}

  RedisServer server_;
  RedisClient client_;
};

TEST_F(GetKeysAgreement, LiveCommandReplyBuildsTheSameTableAsTheRecordedOne) {
  const Reply reply = client_.Command({"COMMAND"});
  size_t skipped = 0;
  const auto live = CommandTable::FromReply(ToRespValue(reply.get()), &skipped);
  const auto recorded = CommandTable::Recorded();
  EXPECT_EQ(skipped, 0u);
  ASSERT_EQ(live->size(), reply->elements);
  std::set<std::string> live_names, recorded_names;
  for (const auto& [name, cmd] : live->commands()) live_names.insert(name);
  for (const auto& [name, cmd] : recorded->commands()) recorded_names.insert(name);
  EXPECT_EQ(live_names, recorded_names);
}

TEST_F(GetKeysAgreement, EveryKeyedCommandFindsTheKeysRedisFinds) {
  const auto table = CommandTable::Recorded();
  // A fixed seed keeps the run repeatable; SLOTGATE_GETKEYS_SEED explores others.
  const char* seed_env = std::getenv("SLOTGATE_GETKEYS_SEED");
  const unsigned seed =
      seed_env ? static_cast<unsigned>(std::strtoul(seed_env, nullptr, 10)) : 2470677840u;
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);

  struct Case {
    const CommandInfo* cmd;
    std::vector<std::string> args;
  };
  std::vector<Case> cases;
  size_t keyed_commands = 0;
  for (const CommandInfo* cmd : AllCommands(*table)) {
    if (!cmd->HasKeys()) continue;
    ++keyed_commands;
    const std::vector<std::string> words = Vocabulary(*cmd);
    for (int i = 0; i < kVectorsPerCommand; ++i)
      cases.push_back({cmd, GenerateArgs(*cmd, words, rng)});
  }
  ASSERT_GT(keyed_commands, 150u);

  for (const Case& c : cases) {
    std::vector<std::string> request = {"COMMAND", "GETKEYS"};
    request.insert(request.end(), c.args.begin(), c.args.end());
    client_.Append(request);
  }
  size_t with_keys = 0;
  for (const Case& c : cases) {
    const Reply reply = client_.Next();
    const std::vector<std::string> expected = RedisKeys(reply.get(), c.args);
    with_keys += !expected.empty();
    ASSERT_EQ(OurKeys(*c.cmd, c.args), expected) << testing::PrintToString(c.args);
  }
  // The generator is only useful if most vectors actually name keys.
  EXPECT_GT(with_keys, cases.size() / 2);
}

TEST_F(GetKeysAgreement, CommandsWithoutKeysAreThoseRedisSaysHaveNone) {
  const auto table = CommandTable::Recorded();
  for (const CommandInfo* cmd : AllCommands(*table)) {
    // COMMAND GETKEYS needs an argument after the name, so one-word commands cannot be asked.
    if (cmd->HasKeys() || !cmd->subcommands.empty() || cmd->arity == 1) continue;
    std::vector<std::string> request = {"COMMAND", "GETKEYS"};
    const size_t bar = cmd->name.find('|');
    request.push_back(cmd->name.substr(0, bar));
    if (bar != std::string::npos) request.push_back(cmd->name.substr(bar + 1));
    const size_t argc = std::max<size_t>(2, static_cast<size_t>(std::abs(cmd->arity)));
    while (request.size() - 2 < argc) request.push_back("x");
    EXPECT_EQ(client_.CommandString(request), "(error) ERR The command has no key arguments")
        << cmd->name;
  }
}

}  // namespace
}  // namespace slotgate
