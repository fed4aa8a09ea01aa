#include "proxy/route/slot_table.h"

#include <algorithm>

namespace slotgate {

const SlotMigration* SlotTable::MigrationOf(uint16_t slot) const {
  for (const SlotMigration& m : migrations_) {
    if (m.slot == slot) return &m;
  }
  return nullptr;
}

bool SlotTable::SameLayout(const SlotTable& other) const {
  const auto same_shard = [](const Shard& a, const Shard& b) {
    return a.master == b.master && a.replicas == b.replicas;
  };
  const auto same_migration = [](const SlotMigration& a, const SlotMigration& b) {
    return a.slot == b.slot && a.from == b.from && a.to == b.to;
  };
  return owner_ == other.owner_ &&
         std::equal(shards_.begin(), shards_.end(), other.shards_.begin(), other.shards_.end(),
                    same_shard) &&
         std::equal(migrations_.begin(), migrations_.end(), other.migrations_.begin(),
                    other.migrations_.end(), same_migration);
}

size_t SlotTable::SlotsOwnedBy(const Endpoint& master) const {
  for (size_t i = 0; i < shards_.size(); ++i) {
    if (shards_[i].master == master) {
      return static_cast<size_t>(std::count(owner_.begin(), owner_.end(), static_cast<int16_t>(i)));
    }
  }
  return 0;
}

std::vector<SlotRange> SlotTable::RangesOf(size_t shard_index) const {
  std::vector<SlotRange> ranges;
  const auto index = static_cast<int16_t>(shard_index);
  for (uint32_t slot = 0; slot < kSlotCount; ++slot) {
    if (owner_[slot] != index) continue;
    if (!ranges.empty() && ranges.back().last + 1u == slot) {
      ranges.back().last = static_cast<uint16_t>(slot);
    } else {
      ranges.push_back({static_cast<uint16_t>(slot), static_cast<uint16_t>(slot)});
    }
  }
  return ranges;
}

std::shared_ptr<const SlotTable> SlotTable::WithSlotMoved(uint16_t slot,
                                                          const Endpoint& master) const {
  auto copy = std::make_shared<SlotTable>(*this);
  const auto it = std::find_if(copy->shards_.begin(), copy->shards_.end(),
                               [&](const Shard& s) { return s.master == master; });
  size_t index = static_cast<size_t>(it - copy->shards_.begin());
  if (it == copy->shards_.end()) copy->shards_.push_back(Shard{master, {}});
  copy->owner_[slot] = static_cast<int16_t>(index);
  copy->FindServing();
  return copy;
}

void SlotTable::FindServing() {
  first_slot_.assign(shards_.size(), kSlotCount);
  for (uint32_t slot = kSlotCount; slot-- > 0;) {
    if (owner_[slot] != kUnowned) first_slot_[static_cast<size_t>(owner_[slot])] = slot;
  }
  serving_.clear();
  for (size_t i = 0; i < shards_.size(); ++i) {
    if (first_slot_[i] < kSlotCount) serving_.push_back(static_cast<uint16_t>(i));
  }
}

size_t SlotTableBuilder::AddShard(const Endpoint& master) {
  for (size_t i = 0; i < shards_.size(); ++i) {
    if (shards_[i].master == master) return i;
  }
  shards_.push_back(Shard{master, {}});
  return shards_.size() - 1;
}

void SlotTableBuilder::AddReplica(size_t shard, const Endpoint& replica) {
  std::vector<Endpoint>& replicas = shards_[shard].replicas;
  if (std::find(replicas.begin(), replicas.end(), replica) == replicas.end()) {
    replicas.push_back(replica);
  }
}

void SlotTableBuilder::Assign(SlotRange range, size_t shard) {
  for (uint32_t slot = range.first; slot <= range.last && slot < kSlotCount; ++slot) {
    owner_[slot] = static_cast<int16_t>(shard);
  }
}

void SlotTableBuilder::AddMigration(SlotMigration migration) {
  migrations_.push_back(std::move(migration));
}

std::shared_ptr<const SlotTable> SlotTableBuilder::Build(uint64_t version) {
  auto table = std::make_shared<SlotTable>();
  table->version_ = version;
  table->shards_ = std::move(shards_);
  table->owner_ = owner_;
  table->migrations_ = std::move(migrations_);
  table->FindServing();
  shards_.clear();
  owner_ = SlotTable::AllUnowned();
  migrations_.clear();
  return table;
}

std::shared_ptr<const SlotTable> SlotTableFromConfig(const Config& config, uint64_t version) {
  SlotTableBuilder builder;
  for (const NodeSlots& node : config.slots) {
    const size_t shard = builder.AddShard(node.node);
    for (const SlotRange& range : node.ranges) builder.Assign(range, shard);
  }
  for (const Migration& m : config.migrations) builder.AddMigration({m.slot, m.from, m.to});
  return builder.Build(version);
}

}  // namespace slotgate
