// The request engine, one per worker. Sends requests to the node the slot table names and
// follows the cluster's answers until a reply a client may see arrives: MOVED (learn the
// slot's owner, resend), ASK (ASKING, then resend to the target once), TRYAGAIN, CLUSTERDOWN
// and unreachable nodes (park, retry with backoff until a deadline), lost connections (retry
// only what cannot have run, or reads), timeouts (answer at once: the node may still run it).
//
// Order and cancellation live here too (client_lane.h): a parked request holds back every
// later request of its client, and a cancelled client's parked requests are never sent.
//
//   session --Dispatch--> lane parked? --> [slot table] --> BackendPool --> BackendConnection
//      ^                       ^ release when due                                 |
//      +---- OnRequestDone <---+--- redirects, retries <--- OnBackendReply / OnBackendFailure
#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string_view>
#include <utility>
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
  void SetTable(std::shared_ptr<const SlotTable> table);
  // The process-wide scripts that EVALSHA falls back on after a NOSCRIPT (may stay unset).
  void SetScriptMemory(ScriptMemory* scripts) { scripts_ = scripts; }

  // Sends `request` (its slot, command and bytes set), or parks it behind an earlier parked
  // request of its client. The waiter hears back exactly once.
  void Dispatch(PendingRequest* request);

  void OnReply(PendingRequest* request, std::string_view reply, const ScannedReply& info);
  void OnFailure(PendingRequest* request, BackendFailure failure, std::string_view reason);

  // The client is gone: its parked requests finish now, unsent, and so does anything of it
  // dispatched from now on (late redirects included).
  void Cancel(ClientLane* lane);
  // Stops the retry timer; requests still waiting for a retry are answered with an error.
  void Close();

  // For requests that send themselves (transactions, with `request->resender` set): true when
  // it must wait behind an earlier parked request of its client (it is parked then), or its
  // client is gone (it was abandoned then). Otherwise it may be sent now.
  bool HoldBack(PendingRequest* request);
  // Parks `request` for a retry after the backoff its retry count gives, or answers `error`
  // once its redirect deadline has passed; false in that case (nothing was parked).
  bool ParkForRetry(PendingRequest* request);
  // A request of a client's went to a node, and came back (answered, failed or timed out).
  // Requests that send themselves call these; the engine does for the rest.
  void Sent(PendingRequest* request, const BackendConnection& connection);
  void Returned(PendingRequest* request);

  // For requests that send themselves: the same table and pool the dispatcher uses.
  const Endpoint* MasterFor(int slot);  // slot -1: any master; nullptr: unserved
  void LearnMoved(uint16_t slot, const Endpoint& master);
  // The connection `request` uses at `node`: its client's own, or the shared pipeline for
  // the client's protocol. nullptr while the node cannot be reached.
  BackendConnection* ConnectionFor(const PendingRequest& request, const Endpoint& node,
                                   bool read_only = false);
  void RequestRefresh() { request_refresh_(); }
  const Config& config() const { return config_; }
  WorkerMetrics* metrics() { return metrics_; }

 private:
  const Endpoint* Target(PendingRequest* request);
  // The request's one attempt now: to its target's connection, or parked for a retry.
  void Send(PendingRequest* request);
  void SendAgain(PendingRequest* request);
  // Retries within the deadline, else answers with `error` (the text of a RESP error).
  void RetryOrFail(PendingRequest* request, std::string_view error);
  // Into its lane's FIFO in client order; the lane is filed under its first request's due time.
  void Park(PendingRequest* request, uint64_t due_ms);
  void File(ClientLane* lane);
  void Unfile(ClientLane* lane);
  // Sends the lane's requests from the front while they are due.
  void Release(ClientLane* lane);
  // Routes changed while the client has requests at nodes: its next ones wait for those.
  bool MustWaitForQuiet(const ClientLane& lane) const {
    return lane.at_nodes > 0 && lane.sent_generation != route_generation_;
  }
  // WAIT goes on the connection of the client's last write, which it then blocks.
  BackendConnection* ConnectionForWait(const PendingRequest& request, const Endpoint& node);
  // Finishes a request that will not be sent (again), with the text of an error.
  void Abandon(PendingRequest* request, std::string_view why);
  void Complete(PendingRequest* request, std::string_view reply);
  void CompleteWithError(PendingRequest* request, std::string_view text);
  void ArmTimer();
  void OnTimer();

  uv_loop_t* loop_;
  BackendPool* pool_;
  const Config& config_;
  std::function<void()> request_refresh_;
  std::shared_ptr<const SlotTable> table_;
  // Changes with every table (published or learnt from MOVED) and whenever a shared
  // connection leaves the rotation (a request on it timed out, a WAIT blocks it).
  uint64_t route_generation_ = 0;
  WorkerMetrics* metrics_;
  size_t next_master_ = 0;
  ScriptMemory* scripts_ = nullptr;

  uv_timer_t* timer_;  // heap-allocated: freed in its close callback
  std::set<std::pair<uint64_t, ClientLane*>> due_;  // lanes with parked requests, by due time
  std::string scratch_;
};

}  // namespace slotgate
