#include "proxy/front/client_transaction.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "common/commands/command_table.h"
#include "common/resp/writer.h"
#include "common/slot.h"

namespace slotgate {
namespace {

using testing::ElementsAre;
using Kind = ClientTransaction::Outcome::Kind;

const Endpoint kNode{"127.0.0.1", 7001};
const Endpoint kOther{"127.0.0.1", 7002};

// "{a}x" and "{a}y" share a slot; "{b}x" is in another.
class ClientTransactionTest : public testing::Test {
 protected:
  ClientTransaction::Outcome Run(std::vector<std::string_view> args, bool resp3 = false) {
    return transaction_.Handle(Resolve(args), args, resp3);
  }
  std::string Reply(std::vector<std::string_view> args) { return Run(args).reply; }
  // A keyed command routed to its first key's slot, as the router would.
  std::string Queue(std::vector<std::string_view> args) {
    return QueueRouted(args, Route::Kind::kSlot, KeySlot(args[1]));
  }
  std::string QueueRouted(std::vector<std::string_view> args, Route::Kind kind, int slot = -1) {
    std::string raw;
    WriteCommand(raw, args);
    Request request;
    request.args = args;
    request.raw = raw;
    Route route;
    route.kind = kind;
    route.slot = slot;
    return transaction_.Queue(Resolve(args), request, route);
  }
  static const CommandInfo& Resolve(std::span<const std::string_view> args) {
    return *CommandTable::Recorded()->Find(args).command;
  }
  void WatchAt(const Endpoint& node, std::string_view key) {
    const ClientTransaction::Outcome outcome = Run({"WATCH", key});
    ASSERT_EQ(outcome.kind, Kind::kSendWatch);
    transaction_.OnWatchAnswered(true, node, outcome.slot);
  }

  ClientTransaction transaction_;
};

TEST_F(ClientTransactionTest, NestedMultiAndStrayExecOrDiscardGetRedisErrors) {
  EXPECT_EQ(Reply({"EXEC"}), "-ERR EXEC without MULTI\r\n");
  EXPECT_EQ(Reply({"DISCARD"}), "-ERR DISCARD without MULTI\r\n");
  EXPECT_EQ(Reply({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(Reply({"MULTI"}), "-ERR MULTI calls can not be nested\r\n");
  EXPECT_TRUE(transaction_.in_multi());
}

TEST_F(ClientTransactionTest, ExecSendsTheQueuedCommandsForTheirSlot) {
  ASSERT_EQ(Reply({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(Queue({"SET", "{a}x", "1"}), "+QUEUED\r\n");
  EXPECT_EQ(Queue({"INCR", "{a}y"}), "+QUEUED\r\n");
  EXPECT_EQ(transaction_.queued(), 2u);
  const ClientTransaction::Outcome exec = Run({"EXEC"});
  EXPECT_EQ(exec.kind, Kind::kExec);
  EXPECT_EQ(exec.slot, KeySlot("{a}x"));
  EXPECT_THAT(exec.commands, ElementsAre("*3\r\n$3\r\nSET\r\n$4\r\n{a}x\r\n$1\r\n1\r\n",
                                         "*2\r\n$4\r\nINCR\r\n$4\r\n{a}y\r\n"));
  EXPECT_EQ(exec.watch_node, std::nullopt);
  EXPECT_FALSE(transaction_.in_multi());
}

TEST_F(ClientTransactionTest, CommandInAnotherSlotIsRefusedAndExecAborts) {
  ASSERT_EQ(Reply({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(Queue({"SET", "{a}x", "1"}), "+QUEUED\r\n");
  EXPECT_EQ(Queue({"SET", "{b}x", "1"}),
            "-CROSSSLOT Keys in request don't hash to the same slot\r\n");
  EXPECT_EQ(Reply({"EXEC"}), "-EXECABORT Transaction discarded because of previous errors.\r\n");
  EXPECT_FALSE(transaction_.in_multi());
}

TEST_F(ClientTransactionTest, FanOutAndLocalCommandsCannotBeQueuedButPingCan) {
  ASSERT_EQ(Reply({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(QueueRouted({"DBSIZE"}, Route::Kind::kFanOut),
            "-ERR proxy: 'dbsize' runs on every node and cannot be part of MULTI\r\n");
  EXPECT_EQ(QueueRouted({"CLIENT", "LIST"}, Route::Kind::kLocal),
            "-ERR proxy: 'client|list' cannot be part of MULTI through slotgate\r\n");
  EXPECT_EQ(QueueRouted({"PING"}, Route::Kind::kLocal), "+QUEUED\r\n");
}

TEST_F(ClientTransactionTest, ARefusedCommandInsideMultiAbortsExecButNotOutside) {
  transaction_.Refused();
  ASSERT_EQ(Reply({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(Queue({"SET", "{a}x", "1"}), "+QUEUED\r\n");
  EXPECT_EQ(Run({"EXEC"}).kind, Kind::kExec);
  ASSERT_EQ(Reply({"MULTI"}), "+OK\r\n");
  transaction_.Refused();
  EXPECT_EQ(Reply({"EXEC"}), "-EXECABORT Transaction discarded because of previous errors.\r\n");
}

TEST_F(ClientTransactionTest, WatchedKeysMustShareASlotAndWatchCannotBeQueued) {
  EXPECT_EQ(Reply({"WATCH", "{a}x", "{b}x"}),
            "-CROSSSLOT Keys in request don't hash to the same slot\r\n");
  WatchAt(kNode, "{a}x");
  EXPECT_EQ(Reply({"WATCH", "{b}x"}), "-CROSSSLOT Keys in request don't hash to the same slot\r\n");
  EXPECT_EQ(Run({"WATCH", "{a}y"}).kind, Kind::kSendWatch);
  ASSERT_EQ(Reply({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(Reply({"WATCH", "{a}x"}), "-ERR WATCH inside MULTI is not allowed\r\n");
}

TEST_F(ClientTransactionTest, TheBlockRunsWhereTheWatchIs) {
  WatchAt(kNode, "{a}x");
  ASSERT_EQ(Reply({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(Queue({"SET", "{b}x", "1"}),
            "-CROSSSLOT Keys in request don't hash to the same slot\r\n");
  ASSERT_EQ(Reply({"DISCARD"}), "+OK\r\n");
  WatchAt(kNode, "{a}x");
  ASSERT_EQ(Reply({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(Queue({"SET", "{a}y", "1"}), "+QUEUED\r\n");
  const ClientTransaction::Outcome exec = Run({"EXEC"});
  EXPECT_EQ(exec.kind, Kind::kExec);
  EXPECT_EQ(exec.watch_node, kNode);
  EXPECT_EQ(exec.unwatch_at, std::nullopt);  // EXEC itself ends the watch at the node
}

TEST_F(ClientTransactionTest, ALostWatchMakesExecANullReply) {
  WatchAt(kNode, "{a}x");
  transaction_.OnConnectionLost(kOther);  // another node's connection: no matter
  transaction_.OnConnectionLost(kNode);
  ASSERT_EQ(Reply({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(Reply({"EXEC"}), "*-1\r\n");
  WatchAt(kNode, "{a}x");
  ASSERT_EQ(Reply({"MULTI"}), "+OK\r\n");
  transaction_.OnConnectionLost(kNode);
  EXPECT_EQ(Run({"EXEC"}, /*resp3=*/true).reply, "_\r\n");
}

TEST_F(ClientTransactionTest, AWatchThatMovedNodesIsLost) {
  WatchAt(kNode, "{a}x");
  WatchAt(kOther, "{a}y");  // the slot's owner changed between the two WATCHes
  ASSERT_EQ(Reply({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(Reply({"EXEC"}), "*-1\r\n");
}

TEST_F(ClientTransactionTest, EndingAWatchTellsTheNodeUnlessItsConnectionIsGone) {
  WatchAt(kNode, "{a}x");
  EXPECT_EQ(Run({"UNWATCH"}).unwatch_at, kNode);
  EXPECT_EQ(Run({"UNWATCH"}).unwatch_at, std::nullopt);
  WatchAt(kNode, "{a}x");
  ASSERT_EQ(Reply({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(Run({"DISCARD"}).unwatch_at, kNode);
  WatchAt(kNode, "{a}x");
  EXPECT_EQ(transaction_.Reset(), kNode);
  WatchAt(kNode, "{a}x");
  transaction_.OnConnectionLost(kNode);
  EXPECT_EQ(transaction_.Reset(), std::nullopt);
}

TEST_F(ClientTransactionTest, UnwatchInsideMultiIsQueuedAsRedisDoes) {
  ASSERT_EQ(Reply({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(Reply({"UNWATCH"}), "+QUEUED\r\n");
  EXPECT_THAT(Run({"EXEC"}).commands, ElementsAre("*1\r\n$7\r\nUNWATCH\r\n"));
}

}  // namespace
}  // namespace slotgate
