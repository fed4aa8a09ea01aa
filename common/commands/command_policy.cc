#include "common/commands/command_policy.h"

#include <string_view>

namespace slotgate {
namespace {

struct PolicyRow {
  std::string_view name;  // a command, or "container|sub", or "container|*" for every subcommand
  CommandPolicy policy;
  std::string_view reason = {};
};

using P = CommandPolicy;

// Redis's wording for a server without cluster support: through slotgate the cluster is hidden.
constexpr std::string_view kNoCluster = "ERR This instance has cluster support disabled";
constexpr std::string_view kNoReplication = "ERR proxy: replication commands are not available";
constexpr std::string_view kNoDebug = "ERR proxy: DEBUG is not available";
constexpr std::string_view kNoShutdown = "ERR proxy: SHUTDOWN is not available";
constexpr std::string_view kNoMonitor = "ERR proxy: MONITOR is not available";

constexpr PolicyRow kRows[] = {
    {"mget", P::kSplitBySlot},
    {"mset", P::kSplitBySlot},
    {"del", P::kSplitBySlot},
    {"unlink", P::kSplitBySlot},
    {"exists", P::kSplitBySlot},
    {"touch", P::kSplitBySlot},

    {"ping", P::kLocal},
    {"echo", P::kLocal},
    {"quit", P::kLocal},
    {"select", P::kLocal},
    {"hello", P::kLocal},
    {"reset", P::kLocal},
    {"auth", P::kLocal},
    {"command", P::kLocal},
    {"command|count", P::kLocal},
    {"client|*", P::kLocal},
    {"info", P::kLocal},
    {"readonly", P::kLocal},
    {"readwrite", P::kLocal},
    {"asking", P::kLocal},

    {"multi", P::kTransaction},
    {"exec", P::kTransaction},
    {"discard", P::kTransaction},
    {"watch", P::kTransaction},
    {"unwatch", P::kTransaction},

    {"subscribe", P::kPubSub},
    {"unsubscribe", P::kPubSub},
    {"psubscribe", P::kPubSub},
    {"punsubscribe", P::kPubSub},
    {"ssubscribe", P::kPubSub},
    {"sunsubscribe", P::kPubSub},

    {"dbsize", P::kAllMasters},
    {"keys", P::kAllMasters},
    {"scan", P::kAllMasters},
    {"randomkey", P::kAllMasters},
    {"flushall", P::kAllMasters},
    {"flushdb", P::kAllMasters},
    {"script|load", P::kAllMasters},
    {"script|flush", P::kAllMasters},
    {"script|kill", P::kAllMasters},
    {"script|exists", P::kAllMasters},
    {"function|load", P::kAllMasters},
    {"function|delete", P::kAllMasters},
    {"function|flush", P::kAllMasters},
    {"function|restore", P::kAllMasters},
    {"function|kill", P::kAllMasters},
    {"pubsub|*", P::kAllMasters},
    {"config|set", P::kAllNodes},
    {"config|resetstat", P::kAllNodes},
    {"config|get", P::kAllMasters},

    {"cluster|*", P::kRefused, kNoCluster},
    {"monitor", P::kRefused, kNoMonitor},
    {"sync", P::kRefused, kNoReplication},
    {"psync", P::kRefused, kNoReplication},
    {"replconf", P::kRefused, kNoReplication},
    {"replicaof", P::kRefused, kNoReplication},
    {"slaveof", P::kRefused, kNoReplication},
    {"failover", P::kRefused, kNoReplication},
    {"debug", P::kRefused, kNoDebug},
    {"shutdown", P::kRefused, kNoShutdown},
    {"swapdb", P::kRefused, "ERR SWAPDB is not allowed in cluster mode"},
    {"move", P::kRefused, "ERR MOVE is not allowed in cluster mode"},
};

// "container|sub" matches a row for itself or for "container|*".
bool Matches(std::string_view row, std::string_view name) {
  if (row == name) return true;
  if (!row.ends_with("|*")) return false;
  const std::string_view container = row.substr(0, row.size() - 1);  // keeps the '|'
  return name.starts_with(container);
}

}  // namespace

PolicyDecision PolicyFor(const CommandInfo& cmd) {
  for (const PolicyRow& row : kRows) {
    if (Matches(row.name, cmd.name)) return {row.policy, row.reason};
  }
  return {cmd.HasKeys() ? P::kRouteBySlot : P::kAnyMaster, {}};
}

std::string_view PolicyName(CommandPolicy policy) {
  switch (policy) {
    case P::kRouteBySlot: return "route by slot";
    case P::kSplitBySlot: return "split by slot";
    case P::kAnyMaster: return "any master";
    case P::kAllMasters: return "every master";
    case P::kAllNodes: return "every node";
    case P::kLocal: return "local";
    case P::kTransaction: return "transaction";
    case P::kPubSub: return "pub/sub connection";
    case P::kRefused: return "refused";
  }
  return "unknown";
}

}  // namespace slotgate
