// One immutable, versioned view of the cluster: which master owns each slot, its replicas, and
// the migrations in progress. Workers route against a snapshot they hold; a new view is built
// whole and published, never edited in place, so no lock guards the request path.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/slot.h"
#include "config/config.h"

namespace slotgate {

struct Shard {
  Endpoint master;
  std::vector<Endpoint> replicas;  // healthy ones, in the cluster's order
};

struct SlotMigration {
  uint16_t slot = 0;
  Endpoint from;
  Endpoint to;
};

class SlotTable {
 public:
  static constexpr int16_t kUnowned = -1;

  uint64_t version() const { return version_; }
  // The shard owning `slot`, or nullptr when no master serves it.
  const Shard* ShardForSlot(uint16_t slot) const {
    const int16_t index = owner_[slot];
    return index == kUnowned ? nullptr : &shards_[static_cast<size_t>(index)];
  }
  // Every master the cluster lists, slot-less ones included (a failed master whose replica
  // took over stays listed; a new master waits for slots): for redirects and replicas.
  const std::vector<Shard>& shards() const { return shards_; }
  // Indices into shards() of the masters that own at least one slot, ascending: the only
  // ones that hold keys, so the only ones fan-out, SCAN and keyless commands go to.
  const std::vector<uint16_t>& serving() const { return serving_; }
  // The lowest slot shards()[shard] owns (kSlotCount when it owns none).
  uint32_t FirstSlotOf(size_t shard) const { return first_slot_[shard]; }
  const std::vector<SlotMigration>& migrations() const { return migrations_; }
  const SlotMigration* MigrationOf(uint16_t slot) const;
  size_t SlotsOwnedBy(const Endpoint& master) const;
  // Owned slots as inclusive ranges per shard index, ascending.
  std::vector<SlotRange> RangesOf(size_t shard_index) const;
  // Same owners, replicas and migrations: a refresh that finds this changes nothing.
  bool SameLayout(const SlotTable& other) const;
  // A copy with `slot` moved to `master` (added as a shard if new): what one MOVED teaches.
  std::shared_ptr<const SlotTable> WithSlotMoved(uint16_t slot, const Endpoint& master) const;

 private:
  friend class SlotTableBuilder;
  static std::array<int16_t, kSlotCount> AllUnowned() {
    std::array<int16_t, kSlotCount> owners;
    owners.fill(kUnowned);
    return owners;
  }

  void FindServing();

  uint64_t version_ = 0;
  std::vector<Shard> shards_;
  std::vector<uint16_t> serving_;
  std::vector<uint32_t> first_slot_;  // per shard
  std::array<int16_t, kSlotCount> owner_ = AllUnowned();
  std::vector<SlotMigration> migrations_;
};

// Collects ownership, then builds a snapshot. Later assignments of a slot replace earlier ones.
class SlotTableBuilder {
 public:
  // Returns the shard's index, adding it when `master` is new.
  size_t AddShard(const Endpoint& master);
  void AddReplica(size_t shard, const Endpoint& replica);
  void Assign(SlotRange range, size_t shard);
  void AddMigration(SlotMigration migration);
  std::shared_ptr<const SlotTable> Build(uint64_t version);

 private:
  std::vector<Shard> shards_;
  std::array<int16_t, kSlotCount> owner_ = SlotTable::AllUnowned();
  std::vector<SlotMigration> migrations_;
};

// The table a config declares: static mode's authority, cluster mode's expectation.
std::shared_ptr<const SlotTable> SlotTableFromConfig(const Config& config, uint64_t version);

}  // namespace slotgate
