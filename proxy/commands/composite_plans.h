// Which backend requests answer a multi-key command across slots or a whole-keyspace command,
// and how their replies merge: slotgate's table of per-command behaviour for composite
// requests. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/commands/command_info.h"
#include "config/config.h"
#include "proxy/commands/scan_cursor.h"
#include "proxy/route/slot_table.h"

namespace slotgate {

enum class MergeKind : uint8_t {
  kByKeyOrder,       // MGET
  kSumIntegers,      // DEL, UNLINK, EXISTS, TOUCH, DBSIZE, PUBSUB NUMPAT, SLOWLOG LEN
  kConcatArrays,     // KEYS
  kAndOfArrays,      // SCRIPT EXISTS
  kFirstUnlessError, // MSET, FLUSHALL, SCRIPT LOAD, CONFIG SET ...
  kFirstNonNull,     // RANDOMKEY
  kScanCursor,       // SCAN on one master: its cursor re-encoded with the master's name
  kAgree,            // CONFIG GET: the reply when every node gives the same, else an error
  kUnionArrays,      // PUBSUB CHANNELS, SHARDCHANNELS: each element once
  kSumPerName,       // PUBSUB NUMSUB: (channel, count) pairs, counts summed
  kPairsByKeyOrder,  // PUBSUB SHARDNUMSUB split by slot: pairs back in argument order
  kMinInteger,       // LASTSAVE: the oldest save
  kNewestEntries,    // SLOWLOG GET: newest first, at most `keys` entries
  kInfoKeyspace,     // INFO: `prefix` (slotgate's own sections), then the summed keyspace
  kAnyKilled,        // SCRIPT KILL, FUNCTION KILL: +OK when any node stopped a script
};

struct CompositePart {
  int slot = -1;                  // route by slot, or
  std::optional<Endpoint> node;   // this node; with `slot`: while it still owns `slot`
  std::string request;
  std::vector<uint32_t> key_order;  // kByKeyOrder
  // On a connection of its own, opened for it, not behind other requests (a kill must reach
  // a node whose shared connection waits for the very script it stops); never retried.
  bool out_of_band = false;
};

struct ScanCursorContext {
  ScanNode here;                 // the master this SCAN call asks
  std::optional<ScanNode> next;  // the master after it, if any
};

struct CompositePlan {
  std::vector<CompositePart> parts;
  MergeKind merge = MergeKind::kFirstUnlessError;
  size_t keys = 0;  // kByKeyOrder, kPairsByKeyOrder: keys of the request;
                    // kNewestEntries: how many entries the reply keeps
  ScanCursorContext scan;
  std::string prefix;  // kInfoKeyspace: slotgate's own INFO sections, rendered
  std::string error;   // non-empty: answer this error instead (no part is sent)
};

// Merges the parts' replies (in part order) as `plan` says. `nodes[i]` is where part i went
// (kAgree names the nodes that differ).
std::string MergeReplies(const CompositePlan& plan, std::span<const std::string> replies,
                         std::span<const Endpoint> nodes);

// MGET, MSET, DEL, UNLINK, EXISTS, TOUCH with keys in several slots: one part per slot.
CompositePlan PlanSplit(const CommandInfo& cmd, std::span<const std::string_view> args,
                        std::span<const uint32_t> key_positions);

// Commands of policy kAllMasters / kAllNodes.
CompositePlan PlanFanOut(const CommandInfo& cmd, std::span<const std::string_view> args,
                         const SlotTable& table);

// INFO's arguments ask for the keyspace section: none, or one of keyspace, default, all,
// everything (case-insensitive), as Redis picks sections.
bool InfoWantsKeyspace(std::span<const std::string_view> args);

// INFO with the keyspace: `INFO keyspace` to every master, merged after `local_sections`
// (slotgate's own sections, as MergeInfoKeyspace takes them).
CompositePlan PlanInfoKeyspace(const SlotTable& table, std::string local_sections);

}  // namespace slotgate
