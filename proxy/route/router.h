// Where one request goes, decided from a slot-table snapshot alone: slotgate's version of
// Redis's getNodeByQuery. Pure (no sockets, no libuv), so every outcome is unit-tested.
//
// Outcomes, in the order they are checked:
//   admin_commands off, CONFIG SET, FLUSHALL, ...      -> kError, "... is disabled"
//   policy kLocal / kTransaction / kPubSub / kRefused  -> answered by the session (kLocal),
//                                                          or refused with the policy's reason
//   policy kAllMasters / kAllNodes                     -> kFanOut
//   policy kBlocking                                   -> as a keyed command below (the session
//                                                         sends it on a dedicated connection),
//                                                         never to a replica
//   no keys                                            -> kAnyMaster (slot -1: any; PUBLISH:
//                                                         kPubSubHomeSlot's master when served)
//   keys in several slots, policy kSplitBySlot         -> kSplit (one request per slot)
//   keys in several slots, any other command           -> kError CROSSSLOT
//   one slot, no owner                                 -> kUnserved (refresh, then CLUSTERDOWN)
//   one slot, owned                                    -> kSlot: the master, or a replica for a
//                                                         read-only command when read_from allows
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/commands/command_info.h"
#include "common/commands/command_policy.h"
#include "config/config.h"
#include "proxy/route/slot_table.h"

namespace slotgate {

// Where slotgate subscribes ordinary channels and patterns for every client, and so where
// PUBLISH goes: a node counts only its own subscribers in PUBLISH's reply.
inline constexpr int kPubSubHomeSlot = 0;

struct Route {
  enum class Kind : uint8_t { kSlot, kAnyMaster, kSplit, kFanOut, kLocal, kUnserved, kError };
  Kind kind = Kind::kError;
  int slot = -1;                 // kSlot, kUnserved; kAnyMaster: a preferred slot's master
  const Shard* shard = nullptr;  // kSlot
  bool to_replica = false;       // kSlot: read_from sends this read to a replica
  std::string_view error;        // kError: one of errors.h, or a policy's reason
};

struct RouteContext {
  ReadFrom read_from = ReadFrom::kMaster;
  // Reused between calls so routing allocates nothing once warm.
  std::vector<uint32_t>* key_positions = nullptr;
  // Config::admin_commands: false refuses the commands that reconfigure the nodes.
  bool admin_commands = false;
};

Route RouteRequest(const SlotTable& table, const CommandInfo& cmd,
                   std::span<const std::string_view> args, const RouteContext& context);

}  // namespace slotgate
