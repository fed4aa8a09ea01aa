// A real Redis Cluster for integration tests: masters and replicas as cluster-enabled
// redis-server children on free loopback ports, met, given slots evenly and replicas, and
// ready (every node says cluster_state:ok and agrees on the slots) before the constructor
// returns. Helpers move slots live and fail nodes over the way operators do.
#pragma once

#include <chrono>
#include <thread>
#include <memory>
#include <string>
#include <vector>

#include "tests/integration/support/redis_client.h"
#include "tests/integration/support/redis_server.h"

namespace slotgate::test {

struct LocalClusterOptions {
  int masters = 3;
  int replicas_per_master = 0;
  std::vector<std::string> extra_args;  // given to every node
};

class LocalCluster {
 public:
  explicit LocalCluster(LocalClusterOptions options = {});

  size_t size() const { return nodes_.size(); }
  RedisServer& node(size_t i) { return *nodes_[i]; }
  std::string NodeId(size_t i);
  // Node indexes of the masters at the time of the call, by the cluster's own view.
  std::vector<size_t> Masters();
  // The node index of the master that owns `slot` now.
  size_t OwnerOf(uint16_t slot);
  // For every slot, the node index of its owner, by the first running node's view.
  std::vector<size_t> SlotOwners();
  std::vector<std::string> Addresses() const;

  // Moves `slot` and its keys from its owner to `to`, as redis-cli --cluster reshard does:
  // IMPORTING on the target, MIGRATING on the source, MIGRATE of every key, then NODE everywhere.
  void MigrateSlot(uint16_t slot, size_t to);
  // CLUSTER FAILOVER on `replica`; returns once every node sees it as a master.
  void Failover(size_t replica);
  // Waits until every running node reports cluster_state:ok and the same owner for every slot.
  void WaitUntilHealthy(std::chrono::seconds deadline = std::chrono::seconds(30));

 private:
  size_t IndexOfPort(int port) const;

  std::vector<std::unique_ptr<RedisServer>> nodes_;
};

// Polls `condition` every few milliseconds until it holds; false once `deadline` passed.
template <typename Condition>
bool WaitFor(Condition condition, std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

}  // namespace slotgate::test
