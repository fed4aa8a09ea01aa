#include "common/acl/user_directory.h"

#include <gtest/gtest.h>

#include "common/digest.h"

namespace slotgate {
namespace {

const CommandTable& Table() { return *CommandTable::Recorded(); }

TEST(UserDirectory, WithoutUsersEveryClientIsDefaultWithEveryRight) {
  const UserDirectory users(Table());
  EXPECT_FALSE(users.enforced());
  const AclIdentity* initial = users.Initial();
  ASSERT_NE(initial, nullptr);
  EXPECT_EQ(initial->name, "default");
  EXPECT_TRUE(users.DefaultNeedsNoPassword());
  EXPECT_EQ(users.Authenticate("default", "anything"), initial);
  EXPECT_EQ(users.Authenticate("someone", "anything"), nullptr);
  const std::vector<std::string_view> flushall = {"FLUSHALL"};
  EXPECT_EQ(initial->rights.Check(*Table().Find(flushall).command, flushall), AclVerdict::kAllowed);
}

TEST(UserDirectory, ConfiguredUsersNeedTheirPasswords) {
  UserDirectory users(Table());
  EXPECT_EQ(users.Add("app", Sha256Hex("pw"), "+@all ~*", Table()), "");
  EXPECT_TRUE(users.enforced());
  EXPECT_EQ(users.Initial(), nullptr) << "no default user: clients must authenticate";
  EXPECT_FALSE(users.DefaultNeedsNoPassword());
  EXPECT_EQ(users.Authenticate("default", "pw"), nullptr);
  ASSERT_NE(users.Authenticate("app", "pw"), nullptr);
  EXPECT_EQ(users.Authenticate("app", "pw")->name, "app");
  EXPECT_EQ(users.Authenticate("app", "PW"), nullptr);
  EXPECT_EQ(users.Authenticate("app", ""), nullptr);
}

TEST(UserDirectory, ANopassDefaultLogsEveryClientIn) {
  UserDirectory users(Table());
  EXPECT_EQ(users.Add("default", "", "nopass +ping", Table()), "");
  ASSERT_NE(users.Initial(), nullptr);
  EXPECT_EQ(users.Initial()->name, "default");
  EXPECT_TRUE(users.DefaultNeedsNoPassword());
}

TEST(UserDirectory, UsersThatAreOffCannotLogIn) {
  UserDirectory users(Table());
  EXPECT_EQ(users.Add("gone", Sha256Hex("pw"), "off +@all", Table()), "");
  EXPECT_EQ(users.Add("default", "", "nopass off", Table()), "");
  EXPECT_EQ(users.Authenticate("gone", "pw"), nullptr);
  EXPECT_EQ(users.Initial(), nullptr);
}

}  // namespace
}  // namespace slotgate
