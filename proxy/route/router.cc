#include "proxy/route/router.h"

#include "common/commands/command_policy.h"
#include "common/commands/key_extraction.h"
#include "common/errors.h"
#include "common/slot.h"

namespace slotgate {

Route RouteRequest(const SlotTable& table, const CommandInfo& cmd,
                   std::span<const std::string_view> args, const RouteContext& context) {
  Route route;
  if (!context.admin_commands) {
    if (const std::string_view refusal = AdminCommandRefusal(cmd.name); !refusal.empty()) {
      route.kind = Route::Kind::kError;
      route.error = refusal;
      return route;
    }
  }
  switch (cmd.policy) {
    case CommandPolicy::kLocal:
    case CommandPolicy::kTransaction:
    case CommandPolicy::kPubSub:
      route.kind = Route::Kind::kLocal;
      return route;
    case CommandPolicy::kRefused:
      route.kind = Route::Kind::kError;
      route.error = cmd.policy_reason;
      return route;
    case CommandPolicy::kAllMasters:
    case CommandPolicy::kAllNodes:
      route.kind = Route::Kind::kFanOut;
      return route;
    case CommandPolicy::kRouteBySlot:
    case CommandPolicy::kSplitBySlot:
    case CommandPolicy::kAnyMaster:
    case CommandPolicy::kBlocking:  // placed like a keyed command; the session picks the connection
      break;
  }

  std::vector<uint32_t>& positions = *context.key_positions;
  ExtractKeyPositions(cmd, args, &positions, {.include_not_keys = true});
  if (positions.empty()) {
    route.kind = Route::Kind::kAnyMaster;
    if (cmd.kind == CommandKind::kPublish && table.ShardForSlot(kPubSubHomeSlot)) {
      route.slot = kPubSubHomeSlot;
    }
    return route;
  }
  const uint16_t slot = KeySlot(args[positions[0]]);
  for (size_t i = 1; i < positions.size(); ++i) {
    if (KeySlot(args[positions[i]]) != slot) {
      if (cmd.policy == CommandPolicy::kSplitBySlot) {
        route.kind = Route::Kind::kSplit;
        return route;
      }
      route.kind = Route::Kind::kError;
      route.error = errors::kCrossSlot;
      return route;
    }
  }
  route.slot = slot;
  route.shard = table.ShardForSlot(slot);
  if (!route.shard) {
    route.kind = Route::Kind::kUnserved;
    return route;
  }
  route.kind = Route::Kind::kSlot;
  // A blocking read (XREAD BLOCK) stays on the master: it wakes on the write itself, not on a
  // replica's later copy, and its dedicated connection then never needs READONLY.
  const bool may_read_replica = context.read_from != ReadFrom::kMaster && cmd.Has(kCmdReadonly) &&
                                cmd.policy != CommandPolicy::kBlocking &&
                                !route.shard->replicas.empty();
  route.to_replica = may_read_replica;
  return route;
}

}  // namespace slotgate
