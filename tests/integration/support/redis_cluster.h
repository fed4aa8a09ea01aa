// A real Redis Cluster for slotgate's proxy tests: masters and replicas as cluster-enabled
// redis-server children on free loopback ports, ready before the constructor returns, with the
// operator's moves (live resharding step by step, manual failover, kill and restart) as calls.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tests/integration/support/redis_server.h"

namespace slotgate::test {

struct RedisClusterOptions {
  int masters = 3;
  int replicas_per_master = 0;
  int node_timeout_ms = 2000;  // cluster-node-timeout: failure detection takes about this long
  // Further redis-server arguments for every node, e.g. cluster-require-full-coverage no.
  std::vector<std::string> extra_args;
};

// One contiguous run of slots and the node index of the master owning it.
struct OwnedSlots {
  uint16_t first = 0;
  uint16_t last = 0;  // inclusive
  size_t node = 0;
};

class RedisCluster {
 public:
  static constexpr std::chrono::milliseconds kDefaultDeadline{30000};

  // Starts the nodes, meets them, gives masters (nodes 0..masters-1) equal slot ranges in order
  // and makes node masters + r a replica of master r % masters. Throws unless the cluster is
  // ready (WaitForClusterOk) within the default deadline.
  explicit RedisCluster(RedisClusterOptions options);
  explicit RedisCluster(int masters, int replicas_per_master = 0,
                        std::vector<std::string> extra_args = {})
      : RedisCluster(RedisClusterOptions{.masters = masters,
                                         .replicas_per_master = replicas_per_master,
                                         .node_timeout_ms = 2000,
                                         .extra_args = std::move(extra_args)}) {}
  RedisCluster(const RedisCluster&) = delete;
  RedisCluster& operator=(const RedisCluster&) = delete;

  size_t size() const { return nodes_.size(); }
  RedisServer& node(size_t i) { return *nodes_[i]; }
  uint16_t port(size_t i) const { return nodes_[i]->port(); }
  std::string address(size_t i) const { return nodes_[i]->address(); }
  std::vector<std::string> Addresses() const;
  const std::string& NodeId(size_t i) const { return ids_[i]; }

  // Read from the cluster's own view (CLUSTER NODES of the first running node).
  size_t MasterOf(uint16_t slot);
  std::vector<size_t> SlotOwners();   // slot -> node index; kNoOwner when unowned
  std::vector<OwnedSlots> SlotMap();  // ranges in slot order
  std::vector<size_t> Masters();      // nodes owning slots, in index order
  std::vector<size_t> ReplicasOf(size_t master);
  static constexpr size_t kNoOwner = std::numeric_limits<size_t>::max();

  // Live resharding as redis-cli --cluster reshard does it, whole or one step at a time so a
  // test can hold a slot mid-migration.
  void MigrateSlot(uint16_t slot, size_t from, size_t to);
  // SETSLOT IMPORTING on `to`, then SETSLOT MIGRATING on `from`.
  void BeginMigration(uint16_t slot, size_t from, size_t to);
  // GETKEYSINSLOT + MIGRATE ... KEYS in batches until `from` holds none of the slot's keys or
  // `max_keys` moved; returns how many moved.
  size_t MoveKeys(uint16_t slot, size_t from, size_t to,
                  size_t max_keys = std::numeric_limits<size_t>::max());
  // SETSLOT NODE on `to`, then `from`, then every other running master; waits until every
  // running node names `to` as the slot's owner.
  void FinishMigration(uint16_t slot, size_t from, size_t to);

  // CLUSTER FAILOVER on `replica`; returns once every running node sees it as the master of
  // its old master's slots and the cluster is ok again.
  void Failover(size_t replica);
  void Kill(size_t i);     // SIGKILL, reaped
  void Restart(size_t i);  // same port, same nodes.conf; returns once it answers PING
  // Waits until `replica` is seen as a master owning slots by every running node.
  void WaitForPromotion(size_t replica, std::chrono::milliseconds deadline = kDefaultDeadline);

  // Every running node says cluster_state:ok, all of them name the same owner for every slot
  // and the same master for every replica, and every running replica has
  // master_link_status:up. Throws after `deadline`.
  void WaitForClusterOk(std::chrono::milliseconds deadline = kDefaultDeadline);

 private:
  size_t FirstRunning() const;
  size_t IndexOfId(const std::string& id) const;
  std::vector<size_t> OwnersSeenBy(size_t observer) const;
  // node id -> the id of the master it replicates, "-" for a master.
  std::map<std::string, std::string> RolesSeenBy(size_t observer) const;

  std::vector<std::unique_ptr<RedisServer>> nodes_;
  std::vector<std::string> ids_;
};

// Polls `condition` (every 10 ms) until it holds; false if it still does not after `deadline`.
// Exceptions from `condition` (a node not answering yet) count as "not yet".
bool PollUntil(const std::function<bool()>& condition, std::chrono::milliseconds deadline);

}  // namespace slotgate::test
