#include "proxy/commands/pubsub_frames.h"

#include <gtest/gtest.h>

namespace slotgate {
namespace {

TEST(IsKeyspaceChannel, NotificationChannelsAreRaisedPerNode) {
  EXPECT_TRUE(IsKeyspaceChannel("__keyspace@0__:user:1", false));
  EXPECT_TRUE(IsKeyspaceChannel("__keyevent@0__:expired", false));
  EXPECT_FALSE(IsKeyspaceChannel("news", false));
  EXPECT_FALSE(IsKeyspaceChannel("__key*", false));  // a channel named so is just a channel
}

TEST(IsKeyspaceChannel, PatternsThatCanMatchNotificationsCount) {
  EXPECT_TRUE(IsKeyspaceChannel("__keyspace@0__:*", true));
  EXPECT_TRUE(IsKeyspaceChannel("__key*__:*", true));
  EXPECT_TRUE(IsKeyspaceChannel("__keyevent@?__:set", true));
  EXPECT_FALSE(IsKeyspaceChannel("*", true));  // published messages would arrive per master
  EXPECT_FALSE(IsKeyspaceChannel("news.*", true));
  EXPECT_FALSE(IsKeyspaceChannel("__", true));
}

TEST(PushKind, ReadsTheFirstElementOnly) {
  EXPECT_EQ(PushKind("*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n"), "message");
  EXPECT_EQ(PushKind(">3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n"), "subscribe");
  EXPECT_EQ(PushKind("*2\r\n+pong\r\n$0\r\n\r\n"), "pong");
  EXPECT_EQ(PushKind("*3\r\n$70\r\nshort\r\n"), "");
  EXPECT_EQ(PushKind("-ERR x\r\n"), "");
  EXPECT_EQ(PushKind("*1\r\n:1\r\n"), "");
}

TEST(WriteSubscriptionReply, Resp2ArraysAndResp3Pushes) {
  std::string out;
  const std::string_view name = "news";
  WriteSubscriptionReply(out, false, "subscribe", &name, 2);
  EXPECT_EQ(out, "*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:2\r\n");
  out.clear();
  WriteSubscriptionReply(out, true, "unsubscribe", nullptr, 0);
  EXPECT_EQ(out, ">3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n");
  out.clear();
  WriteSubscriptionReply(out, false, "unsubscribe", nullptr, 0);
  EXPECT_EQ(out, "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n");
}

}  // namespace
}  // namespace slotgate
