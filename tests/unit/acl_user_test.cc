#include "common/acl/acl_user.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace slotgate {
namespace {

const CommandTable& Table() { return *CommandTable::Recorded(); }

AclUser User(std::string_view rules) {
  AclUser user;
  const std::string error = user.Apply(rules, Table());
  EXPECT_EQ(error, "") << rules;
  return user;
}

AclVerdict Check(const AclUser& user, std::vector<std::string_view> args) {
  const CommandLookup lookup = Table().Find(args);
  EXPECT_EQ(lookup.status, CommandLookup::Status::kFound) << args[0];
  return user.Check(*lookup.command, args);
}

std::string ApplyError(std::string_view rules) {
  AclUser user;
  return user.Apply(rules, Table());
}

TEST(AclUser, ANewUserIsOnAndMayDoNothing) {
  const AclUser user = User("");
  EXPECT_TRUE(user.enabled());
  EXPECT_EQ(Check(user, {"GET", "k"}), AclVerdict::kDeniedCommand);
  EXPECT_EQ(Check(user, {"PING"}), AclVerdict::kDeniedCommand);
  EXPECT_EQ(Check(user, {"AUTH", "pw"}), AclVerdict::kAllowed) << "AUTH needs no rights";
  EXPECT_EQ(Check(user, {"HELLO", "3"}), AclVerdict::kAllowed);
}

TEST(AclUser, CategoriesAndCommandsApplyInOrder) {
  const AclUser user = User("+@all -@dangerous +flushdb ~*");
  EXPECT_EQ(Check(user, {"GET", "k"}), AclVerdict::kAllowed);
  EXPECT_EQ(Check(user, {"KEYS", "*"}), AclVerdict::kDeniedCommand);
  EXPECT_EQ(Check(user, {"FLUSHDB"}), AclVerdict::kAllowed);
  EXPECT_EQ(Check(user, {"FLUSHALL"}), AclVerdict::kDeniedCommand);
  const AclUser reader = User("+@read -@all +get allkeys");
  EXPECT_EQ(Check(reader, {"GET", "k"}), AclVerdict::kAllowed);
  EXPECT_EQ(Check(reader, {"STRLEN", "k"}), AclVerdict::kDeniedCommand);
}

TEST(AclUser, SubcommandsCanBeAllowedOneByOne) {
  const AclUser user = User("+config|get");
  EXPECT_EQ(Check(user, {"CONFIG", "GET", "maxmemory"}), AclVerdict::kAllowed);
  EXPECT_EQ(Check(user, {"CONFIG", "SET", "maxmemory", "1"}), AclVerdict::kDeniedCommand);
  const AclUser all_but_one = User("+config -config|set");
  EXPECT_EQ(Check(all_but_one, {"CONFIG", "GET", "x"}), AclVerdict::kAllowed);
  EXPECT_EQ(Check(all_but_one, {"CONFIG", "SET", "x", "1"}), AclVerdict::kDeniedCommand);
}

TEST(AclUser, KeyPatternsGuardEveryKey) {
  const AclUser user = User("+@all ~cache:* ~{user}*");
  EXPECT_EQ(Check(user, {"GET", "cache:1"}), AclVerdict::kAllowed);
  EXPECT_EQ(Check(user, {"GET", "secret"}), AclVerdict::kDeniedKey);
  EXPECT_EQ(Check(user, {"MGET", "cache:1", "{user}2", "secret"}), AclVerdict::kDeniedKey);
  EXPECT_EQ(Check(user, {"MSET", "cache:1", "v", "{user}2", "v"}), AclVerdict::kAllowed);
  EXPECT_EQ(Check(user, {"PING"}), AclVerdict::kAllowed);
}

TEST(AclUser, ReadAndWritePatternsFollowTheKeysFlags) {
  const AclUser user = User("+@all %R~src:* %W~dst:*");
  EXPECT_EQ(Check(user, {"GET", "src:1"}), AclVerdict::kAllowed);
  EXPECT_EQ(Check(user, {"SET", "src:1", "v"}), AclVerdict::kDeniedKey);
  EXPECT_EQ(Check(user, {"SET", "dst:1", "v"}), AclVerdict::kAllowed);
  EXPECT_EQ(Check(user, {"SET", "dst:1", "v", "GET"}), AclVerdict::kDeniedKey)
      << "SET ... GET reads the key too";
  EXPECT_EQ(Check(user, {"COPY", "src:1", "dst:1"}), AclVerdict::kAllowed);
  EXPECT_EQ(Check(user, {"COPY", "dst:1", "src:1"}), AclVerdict::kDeniedKey);
}

TEST(AclUser, ChannelsArePatternsForChannelsAndLiteralsForPatterns) {
  const AclUser user = User("+@all &news.*");
  EXPECT_EQ(Check(user, {"PUBLISH", "news.sport", "m"}), AclVerdict::kAllowed);
  EXPECT_EQ(Check(user, {"PUBLISH", "chat", "m"}), AclVerdict::kDeniedChannel);
  EXPECT_EQ(Check(user, {"SUBSCRIBE", "news.a", "chat"}), AclVerdict::kDeniedChannel);
  EXPECT_EQ(Check(user, {"PSUBSCRIBE", "news.*"}), AclVerdict::kAllowed);
  EXPECT_EQ(Check(user, {"PSUBSCRIBE", "news.a*"}), AclVerdict::kDeniedChannel);
  EXPECT_EQ(Check(user, {"UNSUBSCRIBE", "chat"}), AclVerdict::kAllowed);
  EXPECT_EQ(Check(User("+@all"), {"PUBLISH", "chat", "m"}), AclVerdict::kDeniedChannel);
  EXPECT_EQ(Check(User("+@all allchannels"), {"PUBLISH", "chat", "m"}), AclVerdict::kAllowed);
}

TEST(AclUser, OffAndResetDisable) {
  EXPECT_FALSE(User("+@all off").enabled());
  EXPECT_FALSE(User("+@all reset").enabled());
  EXPECT_EQ(Check(User("+@all reset on"), {"GET", "k"}), AclVerdict::kDeniedCommand);
}

TEST(AclUser, BadRulesAreRefusedInRedisWords) {
  EXPECT_EQ(ApplyError("+@all +nosuchcommand"),
            "Error in ACL SETUSER modifier '+nosuchcommand': Unknown command or category name "
            "in ACL");
  EXPECT_EQ(ApplyError("+@nosuchcategory"),
            "Error in ACL SETUSER modifier '+@nosuchcategory': Unknown command or category name "
            "in ACL");
  EXPECT_EQ(ApplyError("bogus"), "Error in ACL SETUSER modifier 'bogus': Syntax error");
  EXPECT_EQ(ApplyError("%X~foo"), "Error in ACL SETUSER modifier '%X~foo': Syntax error");
  EXPECT_EQ(ApplyError("allkeys ~foo"),
            "Error in ACL SETUSER modifier '~foo': Adding a pattern after the * pattern (or the "
            "'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start "
            "with an empty list of patterns");
  EXPECT_EQ(ApplyError("&* &foo"),
            "Error in ACL SETUSER modifier '&foo': Adding a pattern after the * pattern (or the "
            "'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' "
            "to start with an empty list of channels");
}

TEST(AclUser, PasswordsAndSelectorsAreNotRulesHere) {
  EXPECT_EQ(ApplyError(">secret"),
            "Error in ACL SETUSER modifier '>secret': Passwords are not rules in slotgate: use "
            "password_file, password_env or password_sha256");
  EXPECT_EQ(ApplyError("(+get ~x)"),
            "Error in ACL SETUSER modifier '(+get': Selectors are not supported by slotgate");
  EXPECT_EQ(ApplyError("+select|0"),
            "Error in ACL SETUSER modifier '+select|0': Allowing first-arg of a command is not "
            "supported by slotgate; allow the command");
}

}  // namespace
}  // namespace slotgate
