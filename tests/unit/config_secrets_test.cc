#include "proxy/commands/config_secrets.h"

#include <gtest/gtest.h>

namespace slotgate {
namespace {

TEST(HideConfigSecrets, NodePasswordsAreHiddenAndTheRestKept) {
  EXPECT_EQ(HideConfigSecrets("*4\r\n$11\r\nrequirepass\r\n$6\r\nsecret\r\n"
                              "$9\r\nmaxmemory\r\n$1\r\n0\r\n"),
            "*4\r\n$11\r\nrequirepass\r\n$20\r\n(hidden by slotgate)\r\n"
            "$9\r\nmaxmemory\r\n$1\r\n0\r\n");
  EXPECT_EQ(HideConfigSecrets("*2\r\n$10\r\nMASTERAUTH\r\n$2\r\npw\r\n"),
            "*2\r\n$10\r\nMASTERAUTH\r\n$20\r\n(hidden by slotgate)\r\n");
}

TEST(HideConfigSecrets, UnsetSecretsAndOtherRepliesAreUnchanged) {
  const std::string unset = "*2\r\n$11\r\nrequirepass\r\n$0\r\n\r\n";
  EXPECT_EQ(HideConfigSecrets(unset), unset);
  EXPECT_EQ(HideConfigSecrets("*0\r\n"), "*0\r\n");
  EXPECT_EQ(HideConfigSecrets("-ERR nodes disagree\r\n"), "-ERR nodes disagree\r\n");
  EXPECT_EQ(HideConfigSecrets("*1\r\n$11\r\nrequirepass\r\n"), "*1\r\n$11\r\nrequirepass\r\n");
}

}  // namespace
}  // namespace slotgate
