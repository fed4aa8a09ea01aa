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

#include "common/commands/command_table.h"
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

  // Sends the first refresh and asks the backends for their COMMAND table.
  void Start();
  // Both have answered or failed: workers may start with CurrentTable() and Commands().
  bool startup_done() const { return first_refresh_done_ && commands_done_; }
  // Static mode: the configured table, the authority. Cluster mode: the configured table as a
  // first guess until the cluster answers, then the cluster's.
  std::shared_ptr<const SlotTable> CurrentTable() const { return current_; }
  // The backends' own command table (modules and newer commands included), else the recorded one.
  std::shared_ptr<const CommandTable> Commands() const { return commands_; }
  // Thread-safe.
  void RequestRefresh();
  void Close();
  const TopologyStats& stats() const { return stats_; }

 private:
  class Query;
  class CommandQuery;
  void FetchCommands(size_t next_node);
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
  bool first_refresh_done_ = false;
  bool commands_done_ = false;
  std::vector<Endpoint> command_sources_;
  std::unique_ptr<CommandQuery> command_query_;
  std::vector<std::unique_ptr<CommandQuery>> retired_command_queries_;  // at most one per source
  std::shared_ptr<const CommandTable> commands_;
};

}  // namespace slotgate
