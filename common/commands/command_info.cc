#include "common/commands/command_info.h"

#include <string_view>
#include <utility>

#include "common/commands/key_extraction.h"
#include "common/text.h"

namespace slotgate {
namespace {

template <size_t N>
uint32_t LookUp(const std::pair<std::string_view, uint32_t> (&names)[N], std::string_view name) {
  for (const auto& [candidate, bit] : names) {
    if (candidate == name) return bit;
  }
  return 0;
}

constexpr std::pair<std::string_view, uint32_t> kCommandFlagNames[] = {
    {"write", kCmdWrite},
    {"readonly", kCmdReadonly},
    {"denyoom", kCmdDenyOom},
    {"admin", kCmdAdmin},
    {"pubsub", kCmdPubsub},
    {"noscript", kCmdNoscript},
    {"blocking", kCmdBlocking},
    {"loading", kCmdLoading},
    {"stale", kCmdStale},
    {"skip_monitor", kCmdSkipMonitor},
    {"skip_slowlog", kCmdSkipSlowlog},
    {"asking", kCmdAsking},
    {"fast", kCmdFast},
    {"no_auth", kCmdNoAuth},
    {"may_replicate", kCmdMayReplicate},
    {"no_mandatory_keys", kCmdNoMandatoryKeys},
    {"no_multi", kCmdNoMulti},
    {"movablekeys", kCmdMovableKeys},
    {"allow_busy", kCmdAllowBusy},
    {"no_async_loading", kCmdNoAsyncLoading},
};

constexpr std::pair<std::string_view, uint32_t> kKeySpecFlagNames[] = {
    {"RO", kKeyRO},
    {"RW", kKeyRW},
    {"OW", kKeyOW},
    {"RM", kKeyRM},
    {"access", kKeyAccess},
    {"update", kKeyUpdate},
    {"insert", kKeyInsert},
    {"delete", kKeyDelete},
    {"not_key", kKeyNotKey},
    {"incomplete", kKeyIncomplete},
    {"variable_flags", kKeyVariableFlags},
};

constexpr std::pair<std::string_view, uint32_t> kAclCategoryNames[] = {
    {"keyspace", kAclKeyspace},
    {"read", kAclRead},
    {"write", kAclWrite},
    {"set", kAclSet},
    {"sortedset", kAclSortedset},
    {"list", kAclList},
    {"hash", kAclHash},
    {"string", kAclString},
    {"bitmap", kAclBitmap},
    {"hyperloglog", kAclHyperloglog},
    {"geo", kAclGeo},
    {"stream", kAclStream},
    {"pubsub", kAclPubsub},
    {"admin", kAclAdmin},
    {"fast", kAclFast},
    {"slow", kAclSlow},
    {"blocking", kAclBlocking},
    {"dangerous", kAclDangerous},
    {"connection", kAclConnection},
    {"transaction", kAclTransaction},
    {"scripting", kAclScripting},
};

}  // namespace

uint32_t ParseAclCategory(std::string_view name) {
  for (const auto& [candidate, bit] : kAclCategoryNames) {
    if (EqualsIgnoreCase(candidate, name)) return bit;
  }
  return 0;
}

uint32_t ParseCommandFlag(std::string_view name) { return LookUp(kCommandFlagNames, name); }
uint32_t ParseKeySpecFlag(std::string_view name) { return LookUp(kKeySpecFlagNames, name); }

bool CommandInfo::HasKeys() const {
  if (HasKeyFindingProcedure(name)) return true;
  for (const KeySpec& spec : key_specs) {
    if ((spec.flags & kKeyNotKey) == 0) return true;
  }
  return false;
}

}  // namespace slotgate
