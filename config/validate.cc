#include "config/validate.h"

#include <algorithm>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/slot.h"
#include "config/number_text.h"
#include "config/slot_range.h"

namespace slotgate {
namespace {

constexpr Position kTop{1, 1};

std::string LineOf(Position p) { return "line " + std::to_string(p.line); }

void CheckMode(const Config& config, const SourceMap& source, Diagnostics* diagnostics) {
  if (source.mode_broken) return;
  if (config.mode == BackendMode::kCluster) {
    if (config.seeds.empty() && !source.seeds_broken) {
      diagnostics->Add(FirstKnown({source.seeds, source.backend, kTop}),
                       "cluster mode needs at least one seed in backend.seeds");
    }
    return;
  }
  if (!config.seeds.empty()) {
    diagnostics->Add(source.seeds,
                     "backend.seeds is only for cluster mode "
                     "(static mode routes by backend.slots alone)");
  }
  if (!config.migrations.empty()) {
    diagnostics->Add(source.migrations, "backend.migrations is only for cluster mode");
  }
  if (config.read_from != ReadFrom::kMaster) {
    diagnostics->Add(source.read_from, "backend.read_from '" +
                                           std::string(ToString(config.read_from)) +
                                           "' needs cluster mode (static mode knows no replicas)");
  }
  if (config.slots.empty() && !source.slots_broken) {
    diagnostics->Add(FirstKnown({source.slots, source.mode}),
                     "static mode needs a backend.slots table covering slots 0-16383");
  }
}

// Each item whose endpoint was already seen, with the position of the first one. Hashing the
// text keeps this linear however long the list is.
template <typename Item, typename Key, typename PositionOfItem>
void ForEachRepeat(const std::vector<Item>& items, Key key, PositionOfItem at,
                   const std::function<void(const Item&, Position, Position)>& fn) {
  std::unordered_map<std::string, size_t> first;
  for (size_t i = 0; i < items.size(); ++i) {
    const auto [seen, inserted] = first.emplace(key(items[i]), i);
    if (!inserted) fn(items[i], at(i), at(seen->second));
  }
}

void CheckSeeds(const Config& config, const SourceMap& source, Diagnostics* diagnostics) {
  ForEachRepeat<Endpoint>(
      config.seeds, [](const Endpoint& seed) { return seed.ToString(); },
      [&](size_t i) { return source.seed_items[i]; },
      [&](const Endpoint& seed, Position at, Position first) {
        diagnostics->Add(
            at, "seed " + seed.ToString() + " is listed twice (first at " + LineOf(first) + ")");
      });
}

struct PlacedRange {
  SlotRange range;
  size_t node;  // index in Config::slots
  Position at;
};

std::vector<PlacedRange> SortedRanges(const Config& config, const SourceMap& source) {
  std::vector<PlacedRange> ranges;
  for (size_t n = 0; n < config.slots.size(); ++n) {
    for (size_t r = 0; r < config.slots[n].ranges.size(); ++r) {
      ranges.push_back({config.slots[n].ranges[r], n, source.slot_items[n].ranges[r]});
    }
  }
  // Ties in `first` keep file order, so the range written later is the one blamed.
  std::stable_sort(ranges.begin(), ranges.end(), [](const PlacedRange& a, const PlacedRange& b) {
    return a.range.first < b.range.first;
  });
  return ranges;
}

// Node duplicates by value: "127.0.0.1:7001" and "127.0.0.1:07001" are different YAML keys.
void CheckNodes(const Config& config, const SourceMap& source, Diagnostics* diagnostics) {
  ForEachRepeat<NodeSlots>(
      config.slots, [](const NodeSlots& node) { return node.node.ToString(); },
      [&](size_t i) { return source.slot_items[i].node; },
      [&](const NodeSlots& node, Position at, Position first) {
        diagnostics->Add(at, "node " + node.node.ToString() +
                                 " is listed twice in backend.slots (first at " + LineOf(first) +
                                 ")");
      });
}

// For each slot, the index in Config::slots of its owner, or -1. Where ranges overlap (already
// an error) the range that starts first wins. Linear in slots plus ranges.
std::vector<int> OwnerTable(const std::vector<PlacedRange>& ranges) {
  std::vector<int> owner(kSlotCount, -1);
  uint32_t next = 0;  // slots below `next` are decided
  for (const PlacedRange& range : ranges) {
    for (uint32_t slot = std::max<uint32_t>(next, range.range.first); slot <= range.range.last;
         ++slot) {
      owner[slot] = static_cast<int>(range.node);
    }
    next = std::max<uint32_t>(next, range.range.last + 1u);
  }
  return owner;
}

void CheckOverlaps(const Config& config, const std::vector<PlacedRange>& ranges,
                   Diagnostics* diagnostics) {
  const PlacedRange* reach = nullptr;  // the range reaching furthest so far
  for (const PlacedRange& range : ranges) {
    if (reach != nullptr && range.range.first <= reach->range.last) {
      const bool one = range.range.first == range.range.last;
      diagnostics->Add(
          range.at, std::string(one ? "slot " : "slots ") + FormatSlotRange(range.range) + " of " +
                        config.slots[range.node].node.ToString() +
                        (one ? " overlaps " : " overlap ") + FormatSlotRange(reach->range) +
                        " of " + config.slots[reach->node].node.ToString());
    }
    if (reach == nullptr || range.range.last > reach->range.last) reach = &range;
  }
}

void CheckCoverage(const std::vector<int>& owner, const SourceMap& source,
                   Diagnostics* diagnostics) {
  const auto gap = std::find(owner.begin(), owner.end(), -1);
  if (gap == owner.end()) return;
  const auto gap_end = std::find_if(gap, owner.end(), [](int node) { return node >= 0; });
  const auto missing = std::count(owner.begin(), owner.end(), -1);
  const SlotRange first_gap{static_cast<uint16_t>(gap - owner.begin()),
                            static_cast<uint16_t>(gap_end - owner.begin() - 1)};
  const bool one = first_gap.first == first_gap.last;
  diagnostics->Add(source.slots, std::string(one ? "slot " : "slots ") +
                                     FormatSlotRange(first_gap) + (one ? " is" : " are") +
                                     " not assigned to any node (static mode needs all of "
                                     "0-16383; " +
                                     std::to_string(missing) + " unassigned)");
}

void CheckMigrations(const Config& config, const std::vector<int>& owner, const SourceMap& source,
                     Diagnostics* diagnostics) {
  if (config.migrations.empty()) return;
  if (config.slots.empty()) {
    if (!source.slots_broken) {
      diagnostics->Add(source.migrations,
                       "backend.migrations needs a backend.slots table saying who owns each slot");
    }
    return;
  }
  std::vector<int> first_migration(kSlotCount, -1);  // index in Config::migrations
  for (size_t m = 0; m < config.migrations.size(); ++m) {
    const Migration& migration = config.migrations[m];
    const MigrationSource& where = source.migration_items[m];
    const std::string what = "migration of slot " + std::to_string(migration.slot) + ": ";
    if (first_migration[migration.slot] >= 0) {
      const MigrationSource& first = source.migration_items[first_migration[migration.slot]];
      diagnostics->Add(where.slot, what + "declared twice (first at " + LineOf(first.item) + ")");
      continue;
    }
    first_migration[migration.slot] = static_cast<int>(m);
    if (migration.from == migration.to) {
      diagnostics->Add(where.to, what + "from and to are both " + migration.to.ToString());
    }
    const int owned_by = owner[migration.slot];
    if (owned_by >= 0 && config.slots[owned_by].node == migration.from) continue;
    if (owned_by < 0 && source.slots_broken) continue;  // the owner may be in a refused entry
    diagnostics->Add(where.from,
                     what + "from " + migration.from.ToString() + " does not own it (" +
                         (owned_by >= 0 ? config.slots[owned_by].node.ToString() + " does"
                                        : std::string("no node in backend.slots does")) +
                         ")");
  }
}

void CheckEndpoints(const Config& config, const SourceMap& source, Diagnostics* diagnostics) {
  if (config.metrics && *config.metrics == config.listen) {
    diagnostics->Add(source.metrics,
                     "metrics address " + config.metrics->ToString() + " is the same as listen");
  }
}

void CheckLimits(const Config& config, const SourceMap& source, Diagnostics* diagnostics) {
  const Limits& limits = config.limits;
  if (limits.client_query_buffer_bytes >= limits.max_bulk_length) return;
  diagnostics->Add(FirstKnown({source.client_query_buffer_bytes, source.max_bulk_length, kTop}),
                   "limits.client_query_buffer_bytes (" +
                       FormatCount(limits.client_query_buffer_bytes, true) +
                       ") must be at least limits.max_bulk_length (" +
                       FormatCount(limits.max_bulk_length, true) + ")");
}

}  // namespace

void ValidateConfig(const Config& config, const SourceMap& source, Diagnostics* diagnostics) {
  CheckMode(config, source, diagnostics);
  CheckSeeds(config, source, diagnostics);
  CheckNodes(config, source, diagnostics);
  const std::vector<PlacedRange> ranges = SortedRanges(config, source);
  CheckOverlaps(config, ranges, diagnostics);
  const std::vector<int> owner = OwnerTable(ranges);
  const bool static_mode = config.mode == BackendMode::kStatic && !source.mode_broken;
  if (static_mode && !config.slots.empty() && !source.slots_broken) {
    CheckCoverage(owner, source, diagnostics);
  }
  if (config.mode == BackendMode::kCluster || source.mode_broken) {
    CheckMigrations(config, owner, source, diagnostics);
  }
  CheckEndpoints(config, source, diagnostics);
  CheckLimits(config, source, diagnostics);
}

}  // namespace slotgate
