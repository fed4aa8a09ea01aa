// One user's rights, written in Redis's own ACL rule language and decided as a Redis 7 server
// decides them (acl.c ACLSetSelector and ACLSelectorCheckCmd), so that a user means the same
// through slotgate as on a node: which commands (`+get`, `-@dangerous`, `+config|get`,
// `allcommands`), which keys for reading and writing (`~cache:*`, `%R~*`, `allkeys`) and which
// pub/sub channels (`&news.*`, `allchannels`).
//
// Rules are applied in order to a new user with no rights, as ACL SETUSER does; unlike a new
// Redis user, a slotgate user is on unless its rules say `off`. Passwords are not rules here:
// they come from the configuration's password fields, so a rules string can be shown safely.
// Selectors (`(...)`) and first-argument rules (`+select|0`) are refused.
//
// Command rights are compiled against one command table (its CommandInfo::id); Apply again
// with the new table when the table changes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/commands/command_table.h"

namespace slotgate {

enum class AclVerdict : uint8_t {
  kAllowed,
  kDeniedCommand,  // -NOPERM this user has no permissions to run the '<name>' command
  kDeniedKey,      // -NOPERM ... to access one of the keys used as arguments
  kDeniedChannel,  // -NOPERM ... to access one of the channels used as arguments
};

class AclUser {
 public:
  // Applies `rules` (space-separated) to this user. On a bad rule, returns Redis's reason,
  // "Error in ACL SETUSER modifier '<rule>': <why>", and leaves the user as the earlier rules
  // made it.
  std::string Apply(std::string_view rules, const CommandTable& table);

  bool enabled() const { return enabled_; }
  bool nopass() const { return nopass_; }

  // The command alone (`cmd` is the subcommand where one was named).
  bool MayRun(const CommandInfo& cmd) const;
  // A key, with the KeySpecFlag bits the command gives it (key_extraction.h).
  bool MayAccessKey(std::string_view key, uint32_t key_flags) const;
  // A channel published or subscribed to; `pattern`: PSUBSCRIBE's, matched literally.
  bool MayUseChannel(std::string_view channel, bool pattern) const;

  // The whole check Redis makes before running a request: the command, then every key, then
  // every channel it publishes or subscribes to. `args[0]` is the command name.
  AclVerdict Check(const CommandInfo& cmd, std::span<const std::string_view> args) const;

 private:
  struct KeyPattern {
    std::string pattern;
    uint8_t rights;  // kRead | kWrite
  };
  static constexpr uint8_t kRead = 1;
  static constexpr uint8_t kWrite = 2;

  // errno-like outcomes of one rule, each with Redis's message (in this order: acl_user.cc).
  enum class RuleError : uint8_t {
    kNone,
    kUnknownName,      // ENOENT
    kSyntax,           // EINVAL
    kKeyAfterAll,      // EEXIST
    kChannelAfterAll,  // EISDIR
    kFirstArg,         // ECHILD
    kPassword,         // slotgate's own: passwords are configured apart from rules
    kSelector,         // slotgate's own: selectors are not supported
  };
  RuleError ApplyRule(std::string_view rule, const CommandTable& table);
  RuleError ApplyCommandRule(std::string_view rule, const CommandTable& table);
  RuleError AddKeyPattern(std::string_view rule);
  void SetCommand(const CommandInfo& cmd, bool allow);
  void SetCategory(const CommandTable& table, uint32_t category, bool allow);
  void SetAll(const CommandTable& table, bool allow);

  bool enabled_ = true;
  bool nopass_ = false;
  bool all_commands_ = false;   // +@all: every command, also those a later table adds
  std::vector<bool> commands_;  // by CommandInfo::id
  bool all_keys_ = false;
  std::vector<KeyPattern> keys_;
  bool all_channels_ = false;
  std::vector<std::string> channels_;
};

}  // namespace slotgate
