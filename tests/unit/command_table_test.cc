#include "common/commands/command_table.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/commands/command_policy.h"

namespace slotgate {
namespace {

using Status = CommandLookup::Status;

CommandLookup Find(std::vector<std::string_view> args) {
  return CommandTable::Recorded()->Find(args);
}

TEST(CommandTable, RecordedReplyHoldsEveryRedis70Command) {
  const auto table = CommandTable::Recorded();
  EXPECT_EQ(table->size(), 240u);
  size_t with_subcommands = 0;
  for (const auto& [name, cmd] : table->commands()) with_subcommands += cmd.subcommands.size();
  EXPECT_EQ(table->size() + with_subcommands, 366u);
}

TEST(CommandTable, NamesResolveCaseInsensitively) {
  const CommandLookup lookup = Find({"gEt", "k"});
  ASSERT_EQ(lookup.status, Status::kFound);
  EXPECT_EQ(lookup.command->name, "get");
  EXPECT_EQ(lookup.command->arity, 2);
  EXPECT_TRUE(lookup.command->Has(kCmdReadonly));
  EXPECT_TRUE(lookup.command->Has(kCmdFast));
  EXPECT_FALSE(lookup.command->Has(kCmdWrite));
}

TEST(CommandTable, SubcommandsResolveToTheirOwnEntry) {
  const CommandLookup lookup = Find({"CONFIG", "get", "maxmemory"});
  ASSERT_EQ(lookup.status, Status::kFound);
  EXPECT_EQ(lookup.command->name, "config|get");
  EXPECT_EQ(lookup.command->arity, -3);
  EXPECT_TRUE(lookup.command->Has(kCmdAdmin));
}

TEST(CommandTable, ContainerWithoutSubcommandResolvesToTheContainer) {
  const CommandLookup lookup = Find({"object"});
  ASSERT_EQ(lookup.status, Status::kFound);
  EXPECT_EQ(lookup.command->name, "object");
  EXPECT_FALSE(lookup.command->ArityAllows(1));
}

TEST(CommandTable, UnknownSubcommandIsReported) {
  const CommandLookup lookup = Find({"config", "nonsense"});
  EXPECT_EQ(lookup.status, Status::kUnknownSubcommand);
  EXPECT_EQ(lookup.command->name, "config");
}

TEST(CommandTable, UnknownAndOverlongNamesAreUnknown) {
  EXPECT_EQ(Find({"nosuchcommand"}).status, Status::kUnknownCommand);
  EXPECT_EQ(Find({std::string_view(std::string(200, 'a'))}).status, Status::kUnknownCommand);
  EXPECT_EQ(Find({}).status, Status::kUnknownCommand);
}

TEST(CommandTable, ArityFollowsRedisConvention) {
  const CommandInfo* set = Find({"set"}).command;
  EXPECT_FALSE(set->ArityAllows(2));
  EXPECT_TRUE(set->ArityAllows(3));
  EXPECT_TRUE(set->ArityAllows(7));
  const CommandInfo* get = Find({"get"}).command;
  EXPECT_FALSE(get->ArityAllows(3));
}

TEST(CommandTable, KeySpecsAreParsed) {
  const CommandInfo* xread = Find({"xread"}).command;
  ASSERT_EQ(xread->key_specs.size(), 1u);
  const KeySpec& spec = xread->key_specs[0];
  EXPECT_EQ(spec.begin, KeySpec::Begin::kKeyword);
  EXPECT_EQ(spec.keyword, "STREAMS");
  EXPECT_EQ(spec.startfrom, 1);
  EXPECT_EQ(spec.find, KeySpec::Find::kRange);
  EXPECT_EQ(spec.lastkey, -1);
  EXPECT_EQ(spec.limit, 2);
  EXPECT_EQ(spec.flags, kKeyRO | kKeyAccess);
}

TEST(CommandTable, MalformedEntriesAreSkippedAndCounted) {
  RespValue reply;
  reply.type = RespValue::Type::kArray;
  RespValue bad;
  bad.type = RespValue::Type::kInteger;
  reply.elements.push_back(bad);
  size_t skipped = 0;
  const auto table = CommandTable::FromReply(reply, &skipped);
  EXPECT_EQ(table->size(), 0u);
  EXPECT_EQ(skipped, 1u);
}

TEST(CommandPolicy, MultiKeyCommandsThatSurviveSplittingAreSplit) {
  for (const char* name : {"mget", "mset", "del", "unlink", "exists", "touch"}) {
    EXPECT_EQ(PolicyFor(*Find({name}).command).policy, CommandPolicy::kSplitBySlot) << name;
  }
  EXPECT_EQ(PolicyFor(*Find({"msetnx"}).command).policy, CommandPolicy::kRouteBySlot);
}

TEST(CommandPolicy, KeyedCommandsRouteBySlotAndKeylessOnesGoToAnyMaster) {
  EXPECT_EQ(PolicyFor(*Find({"get"}).command).policy, CommandPolicy::kRouteBySlot);
  EXPECT_EQ(PolicyFor(*Find({"eval"}).command).policy, CommandPolicy::kRouteBySlot);
  EXPECT_EQ(PolicyFor(*Find({"time"}).command).policy, CommandPolicy::kAnyMaster);
}

TEST(CommandPolicy, ClusterCommandsAreRefusedAsByANonClusterServer) {
  const PolicyDecision decision = PolicyFor(*Find({"cluster", "nodes"}).command);
  EXPECT_EQ(decision.policy, CommandPolicy::kRefused);
  EXPECT_EQ(decision.reason, "ERR This instance has cluster support disabled");
}

TEST(CommandPolicy, WholeKeyspaceCommandsFanOut) {
  EXPECT_EQ(PolicyFor(*Find({"dbsize"}).command).policy, CommandPolicy::kAllMasters);
  EXPECT_EQ(PolicyFor(*Find({"script", "load", "x"}).command).policy, CommandPolicy::kAllMasters);
  EXPECT_EQ(PolicyFor(*Find({"config", "set", "a", "b"}).command).policy,
            CommandPolicy::kAllNodes);
}

TEST(CommandPolicy, EveryCommandFlaggedBlockingGetsADedicatedConnection) {
  std::vector<std::string> blocking;
  for (const auto& [name, cmd] : CommandTable::Recorded()->commands()) {
    if (cmd.policy == CommandPolicy::kBlocking) blocking.push_back(name);
    if (cmd.Has(kCmdBlocking)) {
      EXPECT_EQ(cmd.policy, CommandPolicy::kBlocking) << name;
    }
  }
  EXPECT_THAT(blocking, testing::UnorderedElementsAre("blpop", "brpop", "blmove", "brpoplpush",
                                                      "blmpop", "bzpopmin", "bzpopmax", "bzmpop",
                                                      "xread", "xreadgroup", "wait"));
}

TEST(CommandPolicy, BlockingFlagDecidesForACommandWithoutARow) {
  CommandInfo cmd;
  cmd.name = "module.bpop";
  cmd.flags = kCmdBlocking | kCmdWrite;
  EXPECT_EQ(PolicyFor(cmd).policy, CommandPolicy::kBlocking);
}

TEST(CommandPolicy, AnExplicitRowWinsOverTheBlockingFlag) {
  CommandInfo cmd;
  cmd.name = "subscribe";
  cmd.flags = kCmdBlocking | kCmdPubsub;
  EXPECT_EQ(PolicyFor(cmd).policy, CommandPolicy::kPubSub);
}

TEST(CommandPolicy, ShardedPublishIsPlacedByItsChannelsSlot) {
  EXPECT_EQ(PolicyFor(*Find({"spublish"}).command).policy, CommandPolicy::kRouteBySlot);
  EXPECT_EQ(PolicyFor(*Find({"publish"}).command).policy, CommandPolicy::kAnyMaster);
}

TEST(CommandPolicy, ASubcommandRowWinsOverItsContainersWildcard) {
  EXPECT_EQ(PolicyFor(*Find({"latency", "help"}).command).policy, CommandPolicy::kAnyMaster);
  EXPECT_EQ(PolicyFor(*Find({"latency", "reset"}).command).policy, CommandPolicy::kAllNodes);
  const PolicyDecision latest = PolicyFor(*Find({"latency", "latest"}).command);
  EXPECT_EQ(latest.policy, CommandPolicy::kRefused);
  EXPECT_EQ(latest.reason, "ERR proxy: LATENCY is per node; ask the nodes directly");
  EXPECT_EQ(PolicyFor(*Find({"pubsub", "help"}).command).policy, CommandPolicy::kAnyMaster);
}

// The gated commands reconfigure nodes or wipe data wholesale: Redis files each under @admin or
// @dangerous, except the wipes of the script and function stores (@scripting).
TEST(CommandPolicy, AdminGatedCommandsAreThoseThatReconfigureOrWipe) {
  std::vector<std::string> gated;
  const auto check = [&](const CommandInfo& cmd) {
    const PolicyDecision decision = PolicyFor(cmd);
    EXPECT_EQ(decision.admin, !AdminCommandRefusal(cmd.name).empty()) << cmd.name;
    if (!decision.admin) return;
    gated.push_back(cmd.name);
    EXPECT_NE(cmd.acl_categories & (kAclAdmin | kAclDangerous | kAclScripting), 0u) << cmd.name;
  };
  for (const auto& [name, cmd] : CommandTable::Recorded()->commands()) {
    check(cmd);
    for (const CommandInfo& sub : cmd.subcommands) check(sub);
  }
  EXPECT_THAT(gated, testing::UnorderedElementsAre(
                         "config|set", "config|resetstat", "config|rewrite", "flushall",
                         "flushdb", "script|flush", "function|flush", "function|delete",
                         "function|restore", "bgsave", "bgrewriteaof"));
  EXPECT_EQ(AdminCommandRefusal("config|set"),
            "ERR proxy: CONFIG SET is disabled (admin_commands: false)");
  EXPECT_EQ(AdminCommandRefusal("config|get"), "");
}

TEST(CommandKind, TheTableResolvesEachSpecialCommandOnce) {
  EXPECT_EQ(Find({"ping"}).command->kind, CommandKind::kPing);
  EXPECT_EQ(Find({"client", "list"}).command->kind, CommandKind::kClient);
  EXPECT_EQ(Find({"client", "no-evict", "on"}).command->kind, CommandKind::kClient);
  EXPECT_EQ(Find({"xreadgroup"}).command->kind, CommandKind::kStreamRead);
  EXPECT_EQ(Find({"evalsha_ro"}).command->kind, CommandKind::kEvalSha);
  EXPECT_EQ(Find({"script", "load", "x"}).command->kind, CommandKind::kScriptLoad);
  EXPECT_EQ(Find({"script", "kill"}).command->kind, CommandKind::kOther);
  EXPECT_EQ(Find({"get"}).command->kind, CommandKind::kOther);
}

TEST(CommandKind, EverySpecialKindNamesACommandOfRedis70) {
  std::set<CommandKind> seen;
  for (const auto& [name, cmd] : CommandTable::Recorded()->commands()) {
    seen.insert(cmd.kind);
    for (const CommandInfo& sub : cmd.subcommands) seen.insert(sub.kind);
  }
  // Every enumerator up to the last, kPubsubShardNumsub, is some command's: no row misspelt.
  EXPECT_EQ(seen.size(), static_cast<size_t>(CommandKind::kPubsubShardNumsub) + 1);
}

TEST(CommandPolicy, ConnectionCommandsAreAnsweredLocally) {
  for (const auto& args : std::vector<std::vector<std::string_view>>{
           {"ping"}, {"select", "0"}, {"client", "setname", "x"}, {"command", "count"}}) {
    EXPECT_EQ(PolicyFor(*Find(args).command).policy, CommandPolicy::kLocal) << args[0];
  }
}

}  // namespace
}  // namespace slotgate
