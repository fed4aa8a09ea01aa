#include "common/commands/command_policy.h"

#include <cctype>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "common/errors.h"

namespace slotgate {
namespace {

struct PolicyRow {
  std::string_view name;  // a command, or "container|sub", or "container|*" for every subcommand
  CommandPolicy policy;
  std::string_view reason = {};  // kRefused: the error text
  std::string_view note = {};    // the README's command table: how replies combine, or why
  bool admin = false;            // refused when the config says `admin_commands: false`
};

using P = CommandPolicy;

// Redis's wording for a server without cluster support: through slotgate the cluster is hidden.
constexpr std::string_view kNoCluster = "ERR This instance has cluster support disabled";
constexpr std::string_view kNoReplication = "ERR proxy: replication commands are not available";
constexpr std::string_view kNoDebug = "ERR proxy: DEBUG is not available";
constexpr std::string_view kNoShutdown = "ERR proxy: SHUTDOWN is not available";
// MIGRATE makes a node connect to an address of the client's choosing and ship keys there.
constexpr std::string_view kNoMigrate =
    "ERR proxy: MIGRATE is not available: it sends a node's keys to any address";
constexpr std::string_view kNoMonitor = "ERR proxy: MONITOR is not available";
// Per-node state that no merge keeps the meaning of: the operator asks the node itself.
constexpr std::string_view kPerNodeLatency =
    "ERR proxy: LATENCY is per node; ask the nodes directly";
constexpr std::string_view kPerNodeMemory =
    "ERR proxy: MEMORY STATS, DOCTOR and MALLOC-STATS are per node; ask the nodes directly";
// slotgate logs no client in (AUTH is answered here), so a node's users mean nothing to them.
constexpr std::string_view kPerNodeAcl =
    "ERR proxy: ACL users are per node; manage them on the nodes directly";
constexpr std::string_view kPerNodeModule =
    "ERR proxy: modules are loaded per node; load and unload them on the nodes directly";
constexpr std::string_view kNoSave =
    "ERR proxy: SAVE would block every master until its snapshot is written; use BGSAVE";
constexpr std::string_view kNoScriptDebug =
    "ERR proxy: SCRIPT DEBUG is not available (it takes over the connection)";

constexpr std::string_view kSum = "replies summed";
constexpr std::string_view kSame = "the reply when every node succeeds, else the first error";
// A busy node runs nothing else, so the kill must not queue behind the script it stops.
constexpr std::string_view kKill =
    "on a connection of its own to each node: `+OK` when one stopped a script, else `-NOTBUSY`";

// First match wins, so a specific "container|sub" row goes before its "container|*".
constexpr PolicyRow kRows[] = {
    {"mget", P::kSplitBySlot, {}, "values in argument order"},
    {"mset", P::kSplitBySlot, {}, "`+OK` when every part succeeds"},
    {"del", P::kSplitBySlot, {}, kSum},
    {"unlink", P::kSplitBySlot, {}, kSum},
    {"exists", P::kSplitBySlot, {}, kSum},
    {"touch", P::kSplitBySlot, {}, kSum},

    {"ping", P::kLocal},
    {"echo", P::kLocal},
    {"quit", P::kLocal},
    {"select", P::kLocal, {}, "`SELECT 0` only, as in cluster mode"},
    {"hello", P::kLocal, {}, "protocol 2"},
    {"reset", P::kLocal},
    {"auth", P::kLocal, {}, "no password is configured"},
    {"command", P::kLocal, {}, "the command table slotgate routes with"},
    {"command|count", P::kLocal},
    {"client|*", P::kLocal, {}, "slotgate's own client connections"},
    {"info",
     P::kLocal,
     {},
     "slotgate's own sections; `keyspace` summed over `INFO keyspace` of every master"},
    {"readonly", P::kLocal, {}, "asks for replica reads"},
    {"readwrite", P::kLocal},
    {"asking", P::kLocal},

    {"multi", P::kTransaction},
    {"exec", P::kTransaction, {}, "the block goes to its slot's master in one write"},
    {"discard", P::kTransaction},
    {"watch", P::kTransaction, {}, "keys in one slot"},
    {"unwatch", P::kTransaction},

    {"subscribe", P::kPubSub},
    {"unsubscribe", P::kPubSub},
    {"psubscribe", P::kPubSub},
    {"punsubscribe", P::kPubSub},
    {"ssubscribe", P::kPubSub},
    {"sunsubscribe", P::kPubSub},
    {"publish", P::kAnyMaster, {}, "the master of slot 0, where slotgate's subscribers are"},

    // WAIT has no `blocking` flag in Redis 7.0, yet blocks until replicas acknowledge.
    {"wait", P::kBlocking, {}, "on the connection of the client's last write; timeout capped"},

    {"dbsize", P::kAllMasters, {}, kSum},
    {"keys", P::kAllMasters, {}, "replies concatenated"},
    {"scan", P::kAllMasters, {}, "one master at a time, under one cursor"},
    {"randomkey", P::kAllMasters, {}, "the first key found"},
    {"flushall", P::kAllMasters, {}, kSame, true},
    {"flushdb", P::kAllMasters, {}, kSame, true},
    {"lastsave", P::kAllMasters, {}, "the oldest: every master has saved since"},
    {"bgsave", P::kAllMasters, {}, kSame, true},
    {"bgrewriteaof", P::kAllMasters, {}, kSame, true},
    {"save", P::kRefused, kNoSave},
    {"script|load", P::kAllMasters, {}, kSame},
    {"script|flush", P::kAllMasters, {}, kSame, true},
    {"script|kill", P::kAllNodes, {}, kKill},
    {"script|exists", P::kAllMasters, {}, "1 where every master has the script"},
    {"script|debug", P::kRefused, kNoScriptDebug},
    {"function|load", P::kAllMasters, {}, kSame},
    {"function|delete", P::kAllMasters, {}, kSame, true},
    {"function|flush", P::kAllMasters, {}, kSame, true},
    {"function|restore", P::kAllMasters, {}, kSame, true},
    {"function|kill", P::kAllNodes, {}, kKill},
    {"pubsub|help", P::kAnyMaster},
    {"pubsub|channels", P::kAllMasters, {}, "union of the masters' channels"},
    {"pubsub|shardchannels", P::kAllMasters, {}, "union of the masters' shard channels"},
    {"pubsub|numpat", P::kAllMasters, {}, kSum},
    {"pubsub|numsub", P::kAllMasters, {}, "summed per channel, in argument order"},
    {"pubsub|shardnumsub", P::kAllMasters, {}, "each channel asked at its slot's master"},
    {"slowlog|get", P::kAllMasters, {}, "newest first over all masters, cut to the count"},
    {"slowlog|len", P::kAllMasters, {}, kSum},
    {"slowlog|reset", P::kAllNodes, {}, kSame},
    {"latency|help", P::kAnyMaster},
    {"latency|reset", P::kAllNodes, {}, kSum},
    {"latency|*", P::kRefused, kPerNodeLatency},
    {"memory|purge", P::kAllNodes, {}, kSame},
    {"memory|stats", P::kRefused, kPerNodeMemory},
    {"memory|doctor", P::kRefused, kPerNodeMemory},
    {"memory|malloc-stats", P::kRefused, kPerNodeMemory},
    {"config|set", P::kAllNodes, {}, kSame, true},
    {"config|resetstat", P::kAllNodes, {}, kSame, true},
    {"config|rewrite", P::kAllNodes, {}, kSame, true},
    {"config|get", P::kAllMasters, {}, "the reply when every master agrees, else an error"},
    {"acl|cat", P::kAnyMaster},
    {"acl|genpass", P::kAnyMaster},
    {"acl|help", P::kAnyMaster},
    {"acl|whoami", P::kLocal, {}, "the client's slotgate user (auth.users)"},
    {"acl|*", P::kRefused, kPerNodeAcl},
    {"module|help", P::kAnyMaster},
    {"module|list", P::kAnyMaster, {}, "every node should run the same modules"},
    {"module|*", P::kRefused, kPerNodeModule},

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
    {"migrate", P::kRefused, kNoMigrate},
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

const PolicyRow* RowFor(std::string_view name) {
  for (const PolicyRow& row : kRows) {
    if (Matches(row.name, name)) return &row;
  }
  return nullptr;
}

}  // namespace

CommandKind KindFor(std::string_view name) {
  using K = CommandKind;
  static constexpr std::pair<std::string_view, CommandKind> kKinds[] = {
      {"ping", K::kPing},
      {"echo", K::kEcho},
      {"quit", K::kQuit},
      {"select", K::kSelect},
      {"hello", K::kHello},
      {"auth", K::kAuth},
      {"acl|whoami", K::kAclWhoami},
      {"reset", K::kReset},
      {"command", K::kCommand},
      {"command|count", K::kCommandCount},
      {"client|*", K::kClient},
      {"info", K::kInfo},
      {"readonly", K::kReadOnly},
      {"readwrite", K::kReadWrite},
      {"asking", K::kAsking},
      {"multi", K::kMulti},
      {"exec", K::kExec},
      {"discard", K::kDiscard},
      {"watch", K::kWatch},
      {"unwatch", K::kUnwatch},
      {"subscribe", K::kSubscribe},
      {"unsubscribe", K::kUnsubscribe},
      {"psubscribe", K::kPSubscribe},
      {"punsubscribe", K::kPUnsubscribe},
      {"ssubscribe", K::kSSubscribe},
      {"sunsubscribe", K::kSUnsubscribe},
      {"publish", K::kPublish},
      {"wait", K::kWait},
      {"xread", K::kStreamRead},
      {"xreadgroup", K::kStreamRead},
      {"eval", K::kEval},
      {"eval_ro", K::kEval},
      {"evalsha", K::kEvalSha},
      {"evalsha_ro", K::kEvalSha},
      {"script|load", K::kScriptLoad},
      {"script|flush", K::kScriptFlush},
      {"script|exists", K::kScriptExists},
      {"config|get", K::kConfigGet},
      {"scan", K::kScan},
      {"mget", K::kMget},
      {"mset", K::kMset},
      {"pubsub|shardnumsub", K::kPubsubShardNumsub},
  };
  for (const auto& [row, kind] : kKinds) {
    if (Matches(row, name)) return kind;
  }
  return K::kOther;
}

PolicyDecision PolicyFor(const CommandInfo& cmd) {
  if (const PolicyRow* row = RowFor(cmd.name)) {
    return {row->policy, row->reason, row->note, row->admin};
  }
  if (cmd.Has(kCmdBlocking)) return {.policy = P::kBlocking, .note = "COMMAND flag `blocking`"};
  // Key specs flagged not-key (SPUBLISH's shard channel) still place the command on a slot.
  if (cmd.HasKeys()) return {.policy = P::kRouteBySlot};
  if (!cmd.key_specs.empty()) return {.policy = P::kRouteBySlot, .note = "the channel's slot"};
  return {.policy = P::kAnyMaster};
}

std::string_view AdminCommandRefusal(std::string_view name) {
  // One text per admin row, made once: "ERR proxy: CONFIG SET is disabled (admin_commands: ...".
  static const std::unordered_map<std::string_view, std::string> refusals = [] {
    std::unordered_map<std::string_view, std::string> texts;
    for (const PolicyRow& row : kRows) {
      if (!row.admin) continue;
      std::string upper(row.name);
      for (char& c : upper) c = c == '|' ? ' ' : static_cast<char>(std::toupper(c));
      texts.emplace(row.name, "ERR proxy: " + upper + " is disabled (admin_commands: false)");
    }
    return texts;
  }();
  const auto it = refusals.find(name);
  return it == refusals.end() ? std::string_view() : std::string_view(it->second);
}

std::string_view PolicyName(CommandPolicy policy) {
  switch (policy) {
    case P::kRouteBySlot:
      return "route by slot";
    case P::kSplitBySlot:
      return "split by slot";
    case P::kAnyMaster:
      return "any master";
    case P::kAllMasters:
      return "every master";
    case P::kAllNodes:
      return "every node";
    case P::kLocal:
      return "local";
    case P::kTransaction:
      return "transaction";
    case P::kPubSub:
      return "pub/sub connection";
    case P::kBlocking:
      return "dedicated connection";
    case P::kRefused:
      return "refused";
  }
  return "unknown";
}

}  // namespace slotgate
