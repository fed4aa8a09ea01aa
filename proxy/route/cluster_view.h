// What one cluster node says the cluster looks like (its CLUSTER SHARDS or CLUSTER SLOTS
// reply), and how several such views, plus the configured table, become one slot table.
// Pure: the topology refresher does the I/O and hands the decoded replies here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/resp/value.h"
#include "config/config.h"
#include "proxy/route/slot_table.h"

namespace slotgate {

struct ViewShard {
  Endpoint master;
  std::vector<Endpoint> replicas;  // online replicas only
  std::vector<SlotRange> ranges;
};

struct ClusterView {
  std::vector<ViewShard> shards;
  std::vector<SlotMigration> migrations;  // from the node's own CLUSTER NODES line, if asked
};

// `asked` is the node that answered: Redis leaves a node's own address empty when it does not
// know how others reach it, and the address we reached it at is then the right one.
std::optional<ClusterView> ParseClusterShards(const RespValue& reply, const Endpoint& asked,
                                              std::string* why);
std::optional<ClusterView> ParseClusterSlots(const RespValue& reply, const Endpoint& asked,
                                             std::string* why);

// The migrations a node takes part in, from its CLUSTER NODES text: its own ("myself") line
// lists "[slot->-target_id]" while migrating a slot away and "[slot-<-source_id]" while
// importing one; ids are resolved to endpoints through the other lines. Malformed entries are
// skipped.
std::vector<SlotMigration> ParseClusterNodesMigrations(std::string_view nodes, const Endpoint& asked);

// Each slot goes to the master most views name for it (ties: the earlier view), so one stale
// node cannot outvote the others. Replicas come from the views that agree on the master.
std::shared_ptr<const SlotTable> MergeViews(const std::vector<ClusterView>& views,
                                            uint64_t version);

// Every way `live` differs from `configured`, one line each, e.g.
// "slots 0-99: configured 127.0.0.1:7001, cluster has 127.0.0.1:7002". Migrations are compared
// when `configured` declares any.
std::vector<std::string> DescribeDrift(const SlotTable& configured, const SlotTable& live);

}  // namespace slotgate
