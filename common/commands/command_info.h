// What slotgate knows of one Redis command: arity, flags and Redis 7 key specs, as a server
// describes them in its COMMAND reply. Routing reads keys through these specs, so commands of
// newer servers and modules route without a code change.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace slotgate {

// Command flags from COMMAND (Redis server.h CMD_*); flags slotgate does not use are dropped.
enum CommandFlag : uint32_t {
  kCmdWrite = 1u << 0,
  kCmdReadonly = 1u << 1,
  kCmdDenyOom = 1u << 2,
  kCmdAdmin = 1u << 3,
  kCmdPubsub = 1u << 4,
  kCmdNoscript = 1u << 5,
  kCmdBlocking = 1u << 6,
  kCmdLoading = 1u << 7,
  kCmdStale = 1u << 8,
  kCmdSkipMonitor = 1u << 9,
  kCmdSkipSlowlog = 1u << 10,
  kCmdAsking = 1u << 11,
  kCmdFast = 1u << 12,
  kCmdNoAuth = 1u << 13,
  kCmdMayReplicate = 1u << 14,
  kCmdNoMandatoryKeys = 1u << 15,
  kCmdNoMulti = 1u << 16,
  kCmdMovableKeys = 1u << 17,
  kCmdAllowBusy = 1u << 18,
  kCmdNoAsyncLoading = 1u << 19,
};

// Key spec flags (Redis server.h CMD_KEY_*).
enum KeySpecFlag : uint32_t {
  kKeyRO = 1u << 0,
  kKeyRW = 1u << 1,
  kKeyOW = 1u << 2,
  kKeyRM = 1u << 3,
  kKeyAccess = 1u << 4,
  kKeyUpdate = 1u << 5,
  kKeyInsert = 1u << 6,
  kKeyDelete = 1u << 7,
  kKeyNotKey = 1u << 8,
  kKeyIncomplete = 1u << 9,
  kKeyVariableFlags = 1u << 10,
};

// ACL categories from COMMAND (Redis server.h ACL_CATEGORY_*), named "@read" and so on there.
enum AclCategory : uint32_t {
  kAclKeyspace = 1u << 0,
  kAclRead = 1u << 1,
  kAclWrite = 1u << 2,
  kAclSet = 1u << 3,
  kAclSortedset = 1u << 4,
  kAclList = 1u << 5,
  kAclHash = 1u << 6,
  kAclString = 1u << 7,
  kAclBitmap = 1u << 8,
  kAclHyperloglog = 1u << 9,
  kAclGeo = 1u << 10,
  kAclStream = 1u << 11,
  kAclPubsub = 1u << 12,
  kAclAdmin = 1u << 13,
  kAclFast = 1u << 14,
  kAclSlow = 1u << 15,
  kAclBlocking = 1u << 16,
  kAclDangerous = 1u << 17,
  kAclConnection = 1u << 18,
  kAclTransaction = 1u << 19,
  kAclScripting = 1u << 20,
};

// One Redis 7 key spec: where the search for keys begins, then how keys are found from there.
struct KeySpec {
  enum class Begin : uint8_t { kIndex, kKeyword, kUnknown };
  enum class Find : uint8_t { kRange, kKeynum, kUnknown };

  uint32_t flags = 0;  // KeySpecFlag bits
  Begin begin = Begin::kUnknown;
  int index = 0;        // kIndex: argument position
  std::string keyword;  // kKeyword: matched case-insensitively
  int startfrom = 0;    // kKeyword: search start; negative counts from the end, backwards
  Find find = Find::kUnknown;
  int lastkey = 0;    // kRange: relative to the first key; negative counts from the end
  int keystep = 1;    // kRange and kKeynum
  int limit = 0;      // kRange with lastkey -1: only 1/limit of the remaining arguments
  int keynumidx = 0;  // kKeynum: numkeys position, relative to the begin position
  int firstkey = 0;   // kKeynum: first key position, relative to the begin position
};

// slotgate's decision for a command (defined in command_policy.h), cached on the command when
// its table is built so routing does not look it up per request.
enum class CommandPolicy : uint8_t;
// Which of slotgate's own behaviours a command has (command_policy.h), resolved the same way.
enum class CommandKind : uint8_t;

struct CommandInfo {
  std::string name;             // lower case; a subcommand's is "container|sub", as Redis names it
  int arity = 0;                // Redis convention: N exact, -N at least N, both counting the name
  uint32_t flags = 0;           // CommandFlag bits
  uint32_t acl_categories = 0;  // AclCategory bits
  uint32_t id = 0;              // dense per table, subcommands included (CommandTable::id_count)
  std::vector<KeySpec> key_specs;
  std::vector<CommandInfo> subcommands;  // sorted by name
  CommandPolicy policy{};                // set by CommandTable from PolicyFor()
  CommandKind kind{};                    // set by CommandTable from KindFor()
  std::string_view policy_reason;        // kRefused: the error text

  bool Has(CommandFlag flag) const { return (flags & flag) != 0; }
  bool ArityAllows(size_t argc) const {
    return arity > 0 ? argc == static_cast<size_t>(arity) : argc >= static_cast<size_t>(-arity);
  }
  // Redis's doesCommandHaveKeys: some key spec names real keys, or a key-finding procedure exists.
  bool HasKeys() const;
};

uint32_t ParseCommandFlag(std::string_view name);
uint32_t ParseKeySpecFlag(std::string_view name);
// A category's name without its '@' ("read"), case-insensitively; 0 when unknown.
uint32_t ParseAclCategory(std::string_view name);

}  // namespace slotgate
