#include "proxy/commands/composite_plans.h"

#include <algorithm>
#include <cstdint>

#include "common/commands/command_policy.h"
#include "common/resp/writer.h"
#include "common/text.h"
#include "proxy/commands/reply_merge.h"
#include "proxy/commands/scan_cursor.h"
#include "proxy/commands/server_merge.h"
#include "proxy/commands/split_plan.h"

namespace slotgate {
namespace {

struct FanOutRow {
  std::string_view name;
  MergeKind merge;
  bool out_of_band = false;  // each part on a connection of its own (see CompositePart)
};

constexpr FanOutRow kFanOutRows[] = {
    {"dbsize", MergeKind::kSumIntegers},
    {"keys", MergeKind::kConcatArrays},
    {"randomkey", MergeKind::kFirstNonNull},
    {"flushall", MergeKind::kFirstUnlessError},
    {"flushdb", MergeKind::kFirstUnlessError},
    {"script|load", MergeKind::kFirstUnlessError},
    {"script|flush", MergeKind::kFirstUnlessError},
    {"script|kill", MergeKind::kAnyKilled, true},
    {"script|exists", MergeKind::kAndOfArrays},
    {"function|load", MergeKind::kFirstUnlessError},
    {"function|delete", MergeKind::kFirstUnlessError},
    {"function|flush", MergeKind::kFirstUnlessError},
    {"function|restore", MergeKind::kFirstUnlessError},
    {"function|kill", MergeKind::kAnyKilled, true},
    // Through slotgate each subscription lives on one node: unions and sums count it once.
    {"pubsub|channels", MergeKind::kUnionArrays},
    {"pubsub|shardchannels", MergeKind::kUnionArrays},
    {"pubsub|numpat", MergeKind::kSumIntegers},
    {"pubsub|numsub", MergeKind::kSumPerName},
    {"config|get", MergeKind::kAgree},
    {"config|set", MergeKind::kFirstUnlessError},
    {"config|resetstat", MergeKind::kFirstUnlessError},
    {"config|rewrite", MergeKind::kFirstUnlessError},
    {"lastsave", MergeKind::kMinInteger},
    {"bgsave", MergeKind::kFirstUnlessError},
    {"bgrewriteaof", MergeKind::kFirstUnlessError},
    {"slowlog|get", MergeKind::kNewestEntries},
    {"slowlog|len", MergeKind::kSumIntegers},
    {"slowlog|reset", MergeKind::kFirstUnlessError},
    {"latency|reset", MergeKind::kSumIntegers},
    {"memory|purge", MergeKind::kFirstUnlessError},
};

// SLOWLOG GET's count, as Redis reads it: 10 when absent, -1 for every entry. A count Redis
// refuses is left to the nodes, whose error then answers.
size_t SlowlogLimit(std::span<const std::string_view> args) {
  if (args.size() < 3) return 10;
  const std::optional<long long> count = ParseStrictInteger(args[2]);
  if (!count || *count < 0) return SIZE_MAX;
  return static_cast<size_t>(*count);
}

// PUBSUB SHARDNUMSUB: a shard channel's subscribers are on its slot's master, so each channel
// is asked there, one request per slot, and the pairs are put back in argument order.
CompositePlan PlanShardNumsub(std::span<const std::string_view> args) {
  CompositePlan plan;
  plan.merge = MergeKind::kPairsByKeyOrder;
  plan.keys = args.size() - 2;
  std::vector<uint32_t> channels;
  for (uint32_t i = 2; i < args.size(); ++i) channels.push_back(i);
  for (SplitPart& split : SplitBySlot(args, channels, 1)) {
    std::vector<std::string_view> part_args{args[0], args[1]};
    for (const uint32_t k : split.key_order) part_args.push_back(args[2 + k]);
    CompositePart part;
    part.slot = split.slot;
    WriteCommand(part.request, part_args);
    part.key_order = std::move(split.key_order);
    plan.parts.push_back(std::move(part));
  }
  return plan;
}

CompositePlan PlanScan(std::span<const std::string_view> args, const SlotTable& table) {
  CompositePlan plan;
  const std::optional<ScanPosition> decoded = DecodeScanCursor(args[1]);
  if (!decoded) {
    plan.error = "ERR invalid cursor";
    return plan;
  }
  // Masters in iteration order: by the lowest slot each owns.
  std::vector<std::pair<ScanNode, const Endpoint*>> order;
  for (const uint16_t i : table.serving()) {
    const Endpoint& master = table.shards()[i].master;
    order.push_back({{static_cast<uint16_t>(table.FirstSlotOf(i)), ScanCheckByte(master)}, &master});
  }
  std::sort(order.begin(), order.end(),
            [](const auto& a, const auto& b) { return a.first.first_slot < b.first.first_slot; });
  ScanPosition position = *decoded;
  const Endpoint* master = nullptr;
  if (EncodeScanCursor(position) == 0) {
    position.node = order.front().first;
    master = order.front().second;
  } else {
    const Shard* owner = table.ShardForSlot(position.node.first_slot);
    if (!owner || ScanCheckByte(owner->master) != position.node.check) {
      plan.error =
          "ERR proxy: the master this SCAN cursor was on no longer owns its slots (failover or "
          "resharding); start the SCAN again from 0";
      return plan;
    }
    master = &owner->master;
  }
  std::optional<ScanNode> next;
  for (const auto& [node, endpoint] : order) {
    if (node.first_slot > position.node.first_slot && *endpoint != *master) {
      next = node;
      break;
    }
  }
  std::vector<std::string_view> forwarded(args.begin(), args.end());
  const std::string node_cursor = std::to_string(position.node_cursor);
  forwarded[1] = node_cursor;
  CompositePart part;
  part.node = *master;
  WriteCommand(part.request, forwarded);
  plan.parts.push_back(std::move(part));
  plan.merge = MergeKind::kScanCursor;
  plan.scan = {position.node, next};
  return plan;
}

}  // namespace

CompositePlan PlanSplit(const CommandInfo& cmd, std::span<const std::string_view> args,
                        std::span<const uint32_t> key_positions) {
  CompositePlan plan;
  // MSET's key spec steps over each value; the other splittable commands list only keys.
  const uint32_t step =
      cmd.key_specs.empty() ? 1 : static_cast<uint32_t>(std::max(1, cmd.key_specs[0].keystep));
  for (SplitPart& split : SplitBySlot(args, key_positions, step)) {
    CompositePart part;
    part.slot = split.slot;
    part.request = std::move(split.request);
    part.key_order = std::move(split.key_order);
    plan.parts.push_back(std::move(part));
  }
  plan.keys = key_positions.size();
  plan.merge = cmd.kind == CommandKind::kMget   ? MergeKind::kByKeyOrder
               : cmd.kind == CommandKind::kMset ? MergeKind::kFirstUnlessError
                                    : MergeKind::kSumIntegers;
  return plan;
}

CompositePlan PlanFanOut(const CommandInfo& cmd, std::span<const std::string_view> args,
                         const SlotTable& table) {
  CompositePlan plan;
  if (table.serving().empty()) {
    plan.error = "CLUSTERDOWN Hash slot not served";
    return plan;
  }
  if (cmd.kind == CommandKind::kScan) return PlanScan(args, table);
  if (cmd.kind == CommandKind::kPubsubShardNumsub) return PlanShardNumsub(args);
  const auto row = std::find_if(std::begin(kFanOutRows), std::end(kFanOutRows),
                                [&](const FanOutRow& r) { return r.name == cmd.name; });
  if (row == std::end(kFanOutRows)) {
    plan.error = "ERR proxy: '" + cmd.name + "' on every node is not available yet";
    return plan;
  }
  plan.merge = row->merge;
  if (plan.merge == MergeKind::kNewestEntries) plan.keys = SlowlogLimit(args);
  std::string request;
  WriteCommand(request, args);
  const bool replicas_too = cmd.policy == CommandPolicy::kAllNodes;
  for (const uint16_t i : table.serving()) {
    const Shard& shard = table.shards()[i];
    // The master's lowest slot goes with it: should the master fail over before its part is
    // answered, the part follows that slot to the new master (a replica then) that holds its keys.
    const int slot = static_cast<int>(table.FirstSlotOf(i));
    plan.parts.push_back(CompositePart{slot, shard.master, request, {}, row->out_of_band});
    if (!replicas_too) continue;
    for (const Endpoint& replica : shard.replicas) {
      plan.parts.push_back(CompositePart{-1, replica, request, {}, row->out_of_band});
    }
  }
  return plan;
}

bool InfoWantsKeyspace(std::span<const std::string_view> args) {
  if (args.size() < 2) return true;
  for (const std::string_view section : args.subspan(1)) {
    for (const std::string_view name : {"keyspace", "default", "all", "everything"}) {
      if (EqualsIgnoreCase(section, name)) return true;
    }
  }
  return false;
}

CompositePlan PlanInfoKeyspace(const SlotTable& table, std::string local_sections) {
  CompositePlan plan;
  plan.merge = MergeKind::kInfoKeyspace;
  plan.prefix = std::move(local_sections);
  std::string request;
  WriteCommand(request, {"INFO", "keyspace"});
  for (const uint16_t i : table.serving()) {
    plan.parts.push_back(CompositePart{-1, table.shards()[i].master, request, {}});
  }
  return plan;
}

std::string MergeReplies(const CompositePlan& plan, std::span<const std::string> replies,
                         std::span<const Endpoint> nodes) {
  std::vector<std::vector<uint32_t>> key_orders;
  for (const CompositePart& part : plan.parts) key_orders.push_back(part.key_order);
  switch (plan.merge) {
    case MergeKind::kByKeyOrder:
      return MergeByKeyOrder(replies, key_orders, plan.keys);
    case MergeKind::kPairsByKeyOrder:
      return MergeByKeyOrder(replies, key_orders, plan.keys, 2);
    case MergeKind::kSumIntegers:
      return SumIntegers(replies);
    case MergeKind::kConcatArrays:
      return ConcatArrays(replies);
    case MergeKind::kUnionArrays:
      return UnionArrays(replies);
    case MergeKind::kAndOfArrays:
      return AndOfIntegerArrays(replies);
    case MergeKind::kFirstUnlessError:
      return FirstUnlessError(replies);
    case MergeKind::kAnyKilled:
      return AnyKilled(replies);
    case MergeKind::kFirstNonNull:
      return FirstNonNull(replies);
    case MergeKind::kSumPerName:
      return SumCountsPerName(replies);
    case MergeKind::kMinInteger:
      return MinInteger(replies);
    case MergeKind::kNewestEntries:
      return NewestSlowlogEntries(replies, plan.keys);
    case MergeKind::kInfoKeyspace:
      return MergeInfoKeyspace(plan.prefix, replies);
    case MergeKind::kAgree:
      return AgreedReply(replies, nodes);
    case MergeKind::kScanCursor:
      return replies.empty() ? std::string()
                             : RewriteScanReply(replies[0], plan.scan.here, plan.scan.next);
  }
  return {};
}

}  // namespace slotgate
