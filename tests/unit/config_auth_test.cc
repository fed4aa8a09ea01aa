// The `auth` section: users, their one password source each (kept as SHA-256 only), and their
// ACL rules checked against the command table, every mistake with its position.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "common/digest.h"
#include "tests/unit/config_test_util.h"

namespace slotgate {
namespace {

using ::testing::ElementsAre;

constexpr std::string_view kSeeds = "backend:\n  seeds: [127.0.0.1:7001]\n";

// A file holding `text`, removed when the test ends.
class TempFile {
 public:
  explicit TempFile(const std::string& text) {
    char name[] = "/tmp/slotgate-auth-XXXXXX";
    const int fd = mkstemp(name);
    EXPECT_GE(fd, 0);
    close(fd);
    path_ = name;
    std::ofstream(path_) << text;
  }
  ~TempFile() { unlink(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(ConfigAuth, UsersLoadWithTheirPasswordDigestsAndRules) {
  const TempFile file("s3cret\n");
  setenv("SLOTGATE_TEST_READER_PASSWORD", "r3ader", 1);
  const Config config = LoadOk(std::string(kSeeds) +
                               "auth:\n"
                               "  users:\n"
                               "    - name: app\n"
                               "      password_file: " +
                               file.path() +
                               "\n"
                               "      rules: \"+@all -@dangerous ~*\"\n"
                               "    - name: reader\n"
                               "      password_env: SLOTGATE_TEST_READER_PASSWORD\n"
                               "      rules: \"+@read ~cache:*\"\n"
                               "    - name: ops\n"
                               "      password_sha256: " +
                               Sha256Hex("0ps") +
                               "\n"
                               "    - name: default\n"
                               "      rules: \"nopass +ping\"\n");
  unsetenv("SLOTGATE_TEST_READER_PASSWORD");
  ASSERT_EQ(config.users.size(), 4u);
  EXPECT_EQ(config.users[0], (AuthUser{"app", Sha256Hex("s3cret"), "+@all -@dangerous ~*"}));
  EXPECT_EQ(config.users[1], (AuthUser{"reader", Sha256Hex("r3ader"), "+@read ~cache:*"}));
  EXPECT_EQ(config.users[2], (AuthUser{"ops", Sha256Hex("0ps"), ""}));
  EXPECT_EQ(config.users[3], (AuthUser{"default", "", "nopass +ping"}));
}

TEST(ConfigAuth, NoAuthSectionMeansNoUsers) { EXPECT_TRUE(LoadOk(kSeeds).users.empty()); }

TEST(ConfigAuth, EveryMistakeIsReportedWhereItIsAndNoPasswordIsShown) {
  unsetenv("SLOTGATE_TEST_UNSET");
  EXPECT_THAT(
      ErrorsOf(std::string(kSeeds) +
               "auth:\n"
               "  users:\n"
               "    - name: a\n"
               "      password_file: /nonexistent/pass\n"
               "    - name: b\n"
               "      password_env: SLOTGATE_TEST_UNSET\n"
               "    - name: c\n"
               "      password_sha256: NOT-HEX\n"
               "    - name: d\n"
               "      rules: \"+@all +nosuch\"\n"
               "    - name: e\n"
               "      password_sha256: " +
               Sha256Hex("x") +
               "\n"
               "      password_env: HOME\n"
               "    - name: a\n"
               "      rules: nopass\n"
               "    - rules: nopass\n"
               "    - name: f\n"
               "      rule: nopass\n"),
      ElementsAre(
          "t.yaml:6:22: cannot read password file '/nonexistent/pass': No such file or directory",
          "t.yaml:8:21: environment variable SLOTGATE_TEST_UNSET (password_env) is not set",
          "t.yaml:10:24: password_sha256 must be 64 lower-case hex digits (sha256sum's output)",
          "t.yaml:11:7: user 'd' needs a password (password_file, password_env or "
          "password_sha256), or 'nopass' in its rules",
          "t.yaml:12:14: rules of user 'd': Error in ACL SETUSER modifier '+nosuch': Unknown "
          "command or category name in ACL",
          "t.yaml:13:7: user 'e' has more than one of password_file, password_env and "
          "password_sha256",
          "t.yaml:16:7: user 'a' is defined twice", "t.yaml:18:7: a user needs a name",
          "t.yaml:19:7: user 'f' needs a password (password_file, password_env or "
          "password_sha256), or 'nopass' in its rules",
          "t.yaml:20:7: unknown key 'rule' (did you mean 'rules'?)"));
}

TEST(ConfigAuth, BackendCredentialsLoadFromAFileOrTheEnvironment) {
  const TempFile file("node-pw\n");
  Config config = LoadOk(
      "backend:\n"
      "  seeds: [127.0.0.1:7001]\n"
      "  username: slotgate\n"
      "  password_file: " +
      file.path() + "\n");
  EXPECT_EQ(config.backend_credentials, (BackendCredentials{"slotgate", "node-pw"}));
  setenv("SLOTGATE_TEST_NODE_PASSWORD", "env-pw", 1);
  config = LoadOk(std::string(kSeeds) + "  password_env: SLOTGATE_TEST_NODE_PASSWORD\n");
  unsetenv("SLOTGATE_TEST_NODE_PASSWORD");
  EXPECT_EQ(config.backend_credentials, (BackendCredentials{"", "env-pw"}));
  EXPECT_EQ(LoadOk(kSeeds).backend_credentials, BackendCredentials{});
}

TEST(ConfigAuth, BackendCredentialMistakesAreReported) {
  EXPECT_THAT(ErrorsOf(std::string(kSeeds) + "  username: slotgate\n"),
              ElementsAre("t.yaml:1:1: backend.username needs a password (backend.password_file "
                          "or backend.password_env)"));
  EXPECT_THAT(ErrorsOf(std::string(kSeeds) + "  password_file: /nonexistent/pass\n" +
                       "  password_env: HOME\n"),
              ElementsAre("t.yaml:1:1: backend has both password_file and password_env: keep one",
                          "t.yaml:3:18: cannot read password file '/nonexistent/pass': No such "
                          "file or directory"));
}

TEST(ConfigAuth, NodeCredentialsOverrideTheBackendsPerNode) {
  setenv("SLOTGATE_TEST_NODE_PASSWORD", "node-pw", 1);
  const Config config = LoadOk(std::string(kSeeds) +
                               "  node_credentials:\n"
                               "    127.0.0.1:7004: {username: other, password_env: "
                               "SLOTGATE_TEST_NODE_PASSWORD}\n"
                               "    \"[::1]:7005\": {password_env: SLOTGATE_TEST_NODE_PASSWORD}\n");
  unsetenv("SLOTGATE_TEST_NODE_PASSWORD");
  EXPECT_EQ(config.node_credentials,
            (std::vector<NodeCredentials>{{{"127.0.0.1", 7004}, {"other", "node-pw"}},
                                          {{"::1", 7005}, {"", "node-pw"}}}));
  EXPECT_THAT(ErrorsOf(std::string(kSeeds) + "  node_credentials:\n"
                                             "    127.0.0.1:7004: {username: other}\n"
                                             "    nohost: {password_env: HOME}\n"
                                             "    127.0.0.1:7006: {pasword_env: HOME}\n"),
              ElementsAre("t.yaml:4:5: the credentials of '127.0.0.1:7004' needs a password "
                          "(password_file or password_env)",
                          "t.yaml:5:5: node address 'nohost' has no port (expected host:port)",
                          "t.yaml:6:5: the credentials of '127.0.0.1:7006' needs a password "
                          "(password_file or password_env)",
                          "t.yaml:6:22: unknown key 'pasword_env' (did you mean "
                          "'password_env'?)"));
}

}  // namespace
}  // namespace slotgate
