#include "proxy/front/client_command.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace slotgate {
namespace {

class ClientCommand : public testing::Test {
 protected:
  ClientCommand() {
    record_ = registry_.Add(7);
    record_->addr = "127.0.0.1:50000";
    record_->laddr = "127.0.0.1:6390";
    record_->fd = 12;
    other_ = registry_.Add(9);
    other_->channels = 2;
  }
  std::string Run(std::vector<std::string_view> args) {
    ClientCommandState state{7, &name_, resp3_, &registry_, {}, {}};
    std::string reply;
    AnswerClient(args, &state, &reply);
    reply_mode_ = state.reply_mode;
    no_evict_ = state.no_evict;
    return reply;
  }

  ClientRegistry registry_;
  std::shared_ptr<ClientRecord> record_;
  std::shared_ptr<ClientRecord> other_;
  std::string name_;
  bool resp3_ = false;
  std::optional<ReplyMode> reply_mode_;
  std::optional<bool> no_evict_;
};

TEST_F(ClientCommand, NamesFollowRedisRules) {
  EXPECT_EQ(Run({"CLIENT", "GETNAME"}), "$-1\r\n");
  resp3_ = true;
  EXPECT_EQ(Run({"CLIENT", "GETNAME"}), "_\r\n");
  EXPECT_EQ(Run({"CLIENT", "SETNAME", "a b"}),
            "-ERR Client names cannot contain spaces, newlines or special characters.\r\n");
  EXPECT_EQ(Run({"CLIENT", "SETNAME", "worker-1"}), "+OK\r\n");
  EXPECT_EQ(Run({"CLIENT", "GETNAME"}), "$8\r\nworker-1\r\n");
  EXPECT_EQ(Run({"client", "id"}), ":7\r\n");
}

TEST_F(ClientCommand, InfoDescribesThisClientInRedisFieldOrder) {
  Run({"CLIENT", "SETNAME", "app"});
  const std::string reply = Run({"CLIENT", "INFO"});
  const std::string line =
      "id=7 addr=127.0.0.1:50000 laddr=127.0.0.1:6390 fd=12 name=app age=0 idle=0 flags=N db=0 "
      "sub=0 psub=0 ssub=0 multi=-1 omem=0 cmd=NULL user=default redir=-1 resp=2\n";
  EXPECT_EQ(reply, "$" + std::to_string(line.size()) + "\r\n" + line + "\r\n");
}

TEST_F(ClientCommand, ListFiltersByTypeAndId) {
  const std::string all = Run({"CLIENT", "LIST"});
  EXPECT_NE(all.find("id=7 "), std::string::npos);
  EXPECT_NE(all.find("id=9 "), std::string::npos);
  EXPECT_LT(all.find("id=7 "), all.find("id=9 "));
  const std::string pubsub = Run({"CLIENT", "LIST", "TYPE", "pubsub"});
  EXPECT_EQ(pubsub.find("id=7 "), std::string::npos);
  EXPECT_NE(pubsub.find("id=9 "), std::string::npos);
  EXPECT_NE(pubsub.find(" flags=P "), std::string::npos);
  EXPECT_EQ(Run({"CLIENT", "LIST", "TYPE", "master"}), "$0\r\n\r\n");
  const std::string by_id = Run({"CLIENT", "LIST", "ID", "9"});
  EXPECT_EQ(by_id.find("id=7 "), std::string::npos);
  EXPECT_EQ(Run({"CLIENT", "LIST", "ID", "x"}), "-ERR Invalid client ID\r\n");
  EXPECT_EQ(Run({"CLIENT", "LIST", "TYPE", "bogus"}), "-ERR Unknown client type 'bogus'\r\n");
  EXPECT_EQ(Run({"CLIENT", "LIST", "junk"}), "-ERR syntax error\r\n");
  registry_.Remove(9);
  EXPECT_EQ(Run({"CLIENT", "LIST", "ID", "9"}), "$0\r\n\r\n");
}

TEST_F(ClientCommand, ReplyModesAreHandedToTheSession) {
  EXPECT_EQ(Run({"CLIENT", "REPLY", "OFF"}), "");
  EXPECT_EQ(reply_mode_, ReplyMode::kOff);
  EXPECT_EQ(Run({"CLIENT", "REPLY", "skip"}), "");
  EXPECT_EQ(reply_mode_, ReplyMode::kSkip);
  EXPECT_EQ(Run({"CLIENT", "REPLY", "ON"}), "+OK\r\n");
  EXPECT_EQ(reply_mode_, ReplyMode::kOn);
  EXPECT_EQ(Run({"CLIENT", "REPLY", "MAYBE"}), "-ERR syntax error\r\n");
  EXPECT_EQ(reply_mode_, std::nullopt);
  EXPECT_EQ(Run({"CLIENT", "NO-EVICT", "on"}), "+OK\r\n");
  EXPECT_EQ(no_evict_, true);
  EXPECT_EQ(Run({"CLIENT", "NO-EVICT", "OFF"}), "+OK\r\n");
  EXPECT_EQ(no_evict_, false);
  EXPECT_EQ(Run({"CLIENT", "NO-EVICT", "perhaps"}), "-ERR syntax error\r\n");
  EXPECT_EQ(no_evict_, std::nullopt);
  EXPECT_EQ(Run({"CLIENT", "PAUSE", "10"}),
            "-ERR proxy: CLIENT PAUSE is not available through slotgate\r\n");
}

}  // namespace
}  // namespace slotgate
