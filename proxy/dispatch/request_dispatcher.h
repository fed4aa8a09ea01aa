// Sends requests to the node the slot table names and follows the cluster's answers until a
// reply a client may see arrives: MOVED (learn the slot's owner, resend), ASK (ASKING, then
// resend to the target once), TRYAGAIN and CLUSTERDOWN (retry with backoff until a deadline),
// and lost connections (retry only what cannot have run or only reads). One per worker.
//
//   session --Dispatch--> [slot table] --> BackendPool --> BackendConnection
//      ^                                                         |
//      +---- OnRequestDone <--- redirects, retries <--- OnBackendReply / OnBackendFailure
#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <queue>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "proxy/back/backend_pool.h"
#include "proxy/dispatch/pending_request.h"
#include "proxy/ops/worker_metrics.h"
#include "proxy/route/slot_table.h"

namespace slotgate {

class ScriptMemory;

class RequestDispatcher {
 public:
  RequestDispatcher(uv_loop_t* loop, BackendPool* pool, const Config& config,
                    WorkerMetrics* metrics, std::function<void()> request_refresh);
  ~RequestDispatcher();
  RequestDispatcher(const RequestDispatcher&) = delete;
  RequestDispatcher& operator=(const RequestDispatcher&) = delete;

  const std::shared_ptr<const SlotTable>& table() const { return table_; }
  void SetTable(std::shared_ptr<const SlotTable> table) { table_ = std::move(table); }
  // The process-wide scripts that EVALSHA falls back on after a NOSCRIPT (may stay unset).
  void SetScriptMemory(ScriptMemory* scripts) { scripts_ = scripts; }

  // Sends `request` (its slot, command and bytes set). The waiter hears back exactly once.
  void Dispatch(PendingRequest* request);

  void OnReply(PendingRequest* request, std::string_view reply, const ScannedReply& info);
  void OnFailure(PendingRequest* request, bool sent, std::string_view reason);

  // Stops the retry timer; requests still waiting for a retry are answered with an error.
  void Close();

  // For requests that manage their own sending (transactions): the same table, pool and
  // retry timer the dispatcher uses.
  const Endpoint* MasterFor(int slot);  // slot -1: any master; nullptr: unserved
  void LearnMoved(uint16_t slot, const Endpoint& master);
  // The connection `request` uses at `node`: its client's own, or the shared pipeline for
  // the client's protocol. nullptr while the node cannot be reached.
  BackendConnection* ConnectionFor(const PendingRequest& request, const Endpoint& node,
                                   bool read_only = false);
  void RequestRefresh() { request_refresh_(); }
  void RunLater(uint64_t delay_ms, std::function<void()> action);
  uint64_t now_ms() const { return uv_now(loop_); }
  const Config& config() const { return config_; }
  WorkerMetrics* metrics() { return metrics_; }

 private:
  struct Retry {
    uint64_t due_ms;
    PendingRequest* request;       // re-dispatched, or
    std::function<void()> action;  // run
    bool operator>(const Retry& other) const { return due_ms > other.due_ms; }
  };

  const Endpoint* Target(PendingRequest* request);
  // Retries within the deadline, else answers with `error` (a full RESP error reply).
  void RetryOrFail(PendingRequest* request, std::string_view error);
  void Complete(PendingRequest* request, std::string_view reply);
  void CompleteWithError(PendingRequest* request, std::string_view text);
  void ArmTimer();
  void OnTimer();

  uv_loop_t* loop_;
  BackendPool* pool_;
  const Config& config_;
  std::function<void()> request_refresh_;
  std::shared_ptr<const SlotTable> table_;
  WorkerMetrics* metrics_;
  size_t next_master_ = 0;
  ScriptMemory* scripts_ = nullptr;

  uv_timer_t* timer_;  // heap-allocated: freed in its close callback
  std::priority_queue<Retry, std::vector<Retry>, std::greater<>> retries_;
  std::string scratch_;
};

}  // namespace slotgate
