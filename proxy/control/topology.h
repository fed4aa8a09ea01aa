// Keeps the slot table live: asks every seed and every known node for CLUSTER SHARDS (CLUSTER
// SLOTS from servers that lack it), merges their views, publishes a new snapshot when the
// cluster changed, and reports where the cluster disagrees with the configured table. Runs on
// the control loop; workers ask for a refresh through a thread-safe async handle, and requests
// arriving in a burst (a MOVED storm during resharding) are folded into one refresh.
#pragma once

#include <uv.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "proxy/back/backend_pool.h"
#include "proxy/route/cluster_view.h"
#include "proxy/route/slot_table.h"

namespace slotgate {

struct TopologyStats {
  std::atomic<uint64_t> refreshes{0};
  std::atomic<uint64_t> refresh_failures{0};
  std::atomic<uint64_t> drift_slots{0};  // configured slots the live cluster assigns elsewhere
  std::atomic<uint64_t> drift_reports{0};
  std::atomic<uint64_t> version{0};
};

class Topology {
 public:
  using Publish = std::function<void(std::shared_ptr<const SlotTable>)>;

  Topology(uv_loop_t* loop, const Config& config, Publish publish);
  ~Topology();
  Topology(const Topology&) = delete;
  Topology& operator=(const Topology&) = delete;

  // The table to start from: the configured one (static mode's authority; in cluster mode a
  // first guess until the cluster answers).
  std::shared_ptr<const SlotTable> InitialTable() const { return current_; }
  void Start();
  // Thread-safe.
  void RequestRefresh();
  void Close();
  const TopologyStats& stats() const { return stats_; }

 private:
  class Query;
  void OnRefreshAsync();
  void RefreshNow();
  void OnQueryDone();
  void Finish();
  void ReportDrift(const SlotTable& live);

  uv_loop_t* loop_;
  const Config& config_;
  Publish publish_;
  FlushScheduler scheduler_;
  BackendPool pool_;
  std::shared_ptr<const SlotTable> configured_;
  std::shared_ptr<const SlotTable> current_;
  uint64_t version_ = 1;
  TopologyStats stats_;

  uv_async_t refresh_async_;
  uv_timer_t interval_timer_;
  uv_timer_t debounce_timer_;
  bool in_progress_ = false;
  bool again_ = false;
  bool drift_reported_ = false;
  bool closed_ = false;
  uint64_t last_refresh_ms_ = 0;
  std::vector<std::unique_ptr<Query>> queries_;
  size_t queries_left_ = 0;
};

}  // namespace slotgate
