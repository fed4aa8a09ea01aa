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
#include "proxy/route/slot_table.h"

namespace slotgate {

enum class MergeKind : uint8_t {
  kByKeyOrder,       // MGET
  kSumIntegers,      // DEL, UNLINK, EXISTS, TOUCH, DBSIZE
  kConcatArrays,     // KEYS, PUBSUB CHANNELS
  kAndOfArrays,      // SCRIPT EXISTS
  kFirstUnlessError, // MSET, FLUSHALL, SCRIPT LOAD, CONFIG SET ...
  kFirstNonNull,     // RANDOMKEY
  kScanCursor,       // SCAN on one master: its cursor re-encoded with the master's index
  kAgree,            // CONFIG GET: the reply when every node gives the same, else an error
};

struct CompositePart {
  int slot = -1;                  // route by slot, or
  std::optional<Endpoint> node;   // always this node
  std::string request;
  std::vector<uint32_t> key_order;  // kByKeyOrder
};

struct ScanCursorContext {
  uint64_t node_index = 0;
  uint64_t node_count = 0;
};

struct CompositePlan {
  std::vector<CompositePart> parts;
  MergeKind merge = MergeKind::kFirstUnlessError;
  size_t keys = 0;
  ScanCursorContext scan;
  std::string error;  // non-empty: answer this error instead (no part is sent)
};

// MGET, MSET, DEL, UNLINK, EXISTS, TOUCH with keys in several slots: one part per slot.
CompositePlan PlanSplit(const CommandInfo& cmd, std::span<const std::string_view> args,
                        std::span<const uint32_t> key_positions);

// Commands of policy kAllMasters / kAllNodes.
CompositePlan PlanFanOut(const CommandInfo& cmd, std::span<const std::string_view> args,
                         const SlotTable& table);

}  // namespace slotgate
