#include "proxy/commands/composite_plans.h"

#include <algorithm>

#include "common/commands/command_policy.h"
#include "common/resp/writer.h"
#include "proxy/commands/scan_cursor.h"
#include "proxy/commands/split_plan.h"

namespace slotgate {
namespace {

struct FanOutRow {
  std::string_view name;
  MergeKind merge;
};

constexpr FanOutRow kFanOutRows[] = {
    {"dbsize", MergeKind::kSumIntegers},
    {"keys", MergeKind::kConcatArrays},
    {"randomkey", MergeKind::kFirstNonNull},
    {"flushall", MergeKind::kFirstUnlessError},
    {"flushdb", MergeKind::kFirstUnlessError},
    {"script|load", MergeKind::kFirstUnlessError},
    {"script|flush", MergeKind::kFirstUnlessError},
    {"script|kill", MergeKind::kFirstUnlessError},
    {"script|exists", MergeKind::kAndOfArrays},
    {"function|load", MergeKind::kFirstUnlessError},
    {"function|delete", MergeKind::kFirstUnlessError},
    {"function|flush", MergeKind::kFirstUnlessError},
    {"function|restore", MergeKind::kFirstUnlessError},
    {"function|kill", MergeKind::kFirstUnlessError},
    {"pubsub|channels", MergeKind::kConcatArrays},
    {"pubsub|shardchannels", MergeKind::kConcatArrays},
    {"pubsub|numpat", MergeKind::kSumIntegers},
    {"config|get", MergeKind::kAgree},
    {"config|set", MergeKind::kFirstUnlessError},
    {"config|resetstat", MergeKind::kFirstUnlessError},
};

// Masters in a stable order (by address), so SCAN cursors mean the same across table versions.
std::vector<Endpoint> SortedMasters(const SlotTable& table) {
  std::vector<Endpoint> masters;
  for (const Shard& shard : table.shards()) masters.push_back(shard.master);
  std::sort(masters.begin(), masters.end(), [](const Endpoint& a, const Endpoint& b) {
    return a.host != b.host ? a.host < b.host : a.port < b.port;
  });
  return masters;
}

CompositePlan PlanScan(std::span<const std::string_view> args, const SlotTable& table) {
  CompositePlan plan;
  const std::vector<Endpoint> masters = SortedMasters(table);
  const std::optional<ScanPosition> position = DecodeScanCursor(args[1], masters.size());
  if (!position) {
    plan.error = "ERR invalid cursor";
    return plan;
  }
  std::vector<std::string_view> forwarded(args.begin(), args.end());
  const std::string node_cursor = std::to_string(position->node_cursor);
  forwarded[1] = node_cursor;
  CompositePart part;
  part.node = masters[position->node_index];
  WriteCommand(part.request, forwarded);
  plan.parts.push_back(std::move(part));
  plan.merge = MergeKind::kScanCursor;
  plan.scan = {position->node_index, masters.size()};
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
  plan.merge = cmd.name == "mget"   ? MergeKind::kByKeyOrder
               : cmd.name == "mset" ? MergeKind::kFirstUnlessError
                                    : MergeKind::kSumIntegers;
  return plan;
}

CompositePlan PlanFanOut(const CommandInfo& cmd, std::span<const std::string_view> args,
                         const SlotTable& table) {
  CompositePlan plan;
  if (table.shards().empty()) {
    plan.error = "CLUSTERDOWN Hash slot not served";
    return plan;
  }
  if (cmd.name == "scan") return PlanScan(args, table);
  const auto row = std::find_if(std::begin(kFanOutRows), std::end(kFanOutRows),
                                [&](const FanOutRow& r) { return r.name == cmd.name; });
  if (row == std::end(kFanOutRows)) {
    plan.error = "ERR proxy: '" + cmd.name + "' on every node is not available yet";
    return plan;
  }
  plan.merge = row->merge;
  std::string request;
  WriteCommand(request, args);
  const bool replicas_too = cmd.policy == CommandPolicy::kAllNodes;
  for (const Shard& shard : table.shards()) {
    plan.parts.push_back(CompositePart{-1, shard.master, request, {}});
    if (!replicas_too) continue;
    for (const Endpoint& replica : shard.replicas) {
      plan.parts.push_back(CompositePart{-1, replica, request, {}});
    }
  }
  return plan;
}

}  // namespace slotgate
