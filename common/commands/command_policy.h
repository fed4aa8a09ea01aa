// slotgate's own decision per command: what a proxy in front of a cluster does with it.
// Redis's table says which arguments are keys; this small table, keyed by name, says whether
// a command goes to its slot's owner, is split by slot, fans out, is answered here or refused.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/commands/command_info.h"

namespace slotgate {

enum class CommandPolicy : uint8_t {
  kRouteBySlot,   // every key in one slot: the slot's owner (the default for keyed commands)
  kSplitBySlot,   // keys of several slots: split per slot, replies merged in argument order
  kAnyMaster,     // no keys, same answer on every master: any healthy master
  kAllMasters,    // whole-keyspace or per-node state: every master, replies aggregated
  kAllNodes,      // server configuration: every node, replicas included
  kLocal,         // answered by slotgate itself (connection state, introspection)
  kTransaction,   // MULTI, EXEC, DISCARD, WATCH, UNWATCH: the session's transaction logic
  kPubSub,        // subscriptions: a dedicated backend connection
  // Blocking commands (COMMAND flag `blocking`: BLPOP, BRPOP, BLMOVE, BZPOPMIN, XREAD, ...,
  // plus WAIT by its row). Routed like kRouteBySlot (one slot or CROSSSLOT; no keys: any
  // master), but sent on a connection dedicated to this client until the reply arrives, so a
  // command that blocks for seconds never stalls other clients pipelined on a shared one.
  kBlocking,
  kRefused,       // makes no sense through a proxy; `reason` says why
};

// The commands slotgate treats specially, resolved once when the table is built so the
// request path compares an enum, never a name. kOther: nothing special beyond its policy.
enum class CommandKind : uint8_t {
  kOther,
  // Answered by slotgate itself.
  kPing, kEcho, kQuit, kSelect, kHello, kAuth, kAclWhoami, kReset, kCommand, kCommandCount,
  kClient, kInfo,
  kReadOnly, kReadWrite, kAsking,
  // Transactions.
  kMulti, kExec, kDiscard, kWatch, kUnwatch,
  // Subscriptions, and PUBLISH, which goes where slotgate's subscribers are.
  kSubscribe, kUnsubscribe, kPSubscribe, kPUnsubscribe, kSSubscribe, kSUnsubscribe, kPublish,
  // Routed or answered with a twist.
  kWait,        // to the node of the client's last write
  kStreamRead,  // XREAD, XREADGROUP: blocking only with BLOCK
  kEval,        // EVAL, EVAL_RO: the body is remembered
  kEvalSha,     // EVALSHA, EVALSHA_RO: reloaded on NOSCRIPT
  kScriptLoad, kScriptFlush, kScriptExists,
  kConfigGet,   // a map for RESP3 clients
  kScan, kMget, kMset, kPubsubShardNumsub,
};

// `name` as CommandInfo::name ("container|sub" for a subcommand).
CommandKind KindFor(std::string_view name);

struct PolicyDecision {
  CommandPolicy policy = CommandPolicy::kAnyMaster;
  std::string_view reason = {};  // kRefused: the error text (no '-', no CRLF)
  std::string_view note = {};    // for the README's command table: how replies combine, or why
  bool admin = false;            // refused when the config says `admin_commands: false`
};

// `cmd` is the resolved command (a subcommand when one was named). A row of slotgate's table
// decides; without one, the `blocking` flag, then whether the command has keys.
PolicyDecision PolicyFor(const CommandInfo& cmd);

// With `admin_commands: false` (the default): the error for a command that reconfigures the
// nodes or wipes data wholesale (CONFIG SET/RESETSTAT/REWRITE, FLUSHALL, FLUSHDB, SCRIPT FLUSH,
// FUNCTION FLUSH/DELETE/RESTORE, BGSAVE, BGREWRITEAOF), or empty for any other. `name` as
// CommandInfo::name.
std::string_view AdminCommandRefusal(std::string_view name);

std::string_view PolicyName(CommandPolicy policy);

}  // namespace slotgate
