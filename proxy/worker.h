// One worker thread: its own libuv loop, listening socket, client sessions, backend
// connections and dispatcher. Nothing on its request path is shared with other workers; the
// control thread reaches it only through two async handles (a new slot table, stop).
#pragma once

#include <uv.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "proxy/back/backend_pool.h"
#include "proxy/dispatch/request_dispatcher.h"
#include "proxy/front/listener.h"
#include "proxy/ops/worker_metrics.h"
#include "proxy/worker_context.h"

namespace slotgate {

// `workers` from the config, or one per core when it says 0.
unsigned WorkerCount(const Config& config);

class Worker {
 public:
  // `request_refresh` is called on this worker's thread and must be thread-safe.
  Worker(int index, const Config& config, ProcessState* process,
         std::shared_ptr<const CommandTable> commands, std::function<void()> request_refresh);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Binds the listener (on the caller's thread, so a bad address fails startup) and starts the
  // thread. False with `why` when the address cannot be bound.
  bool Start(std::shared_ptr<const SlotTable> table, std::string* why);
  // Thread-safe: the worker switches to `table` between requests.
  void PublishTable(std::shared_ptr<const SlotTable> table);
  // Thread-safe: stop accepting, finish what is in flight within `grace_ms`, end the thread.
  void Stop(uint64_t grace_ms);
  void Join();

  const WorkerMetrics& metrics() const { return metrics_; }
  // True once the thread's loop has ended.
  bool finished() const { return finished_.load(); }

 private:
  void Run();
  void OnTableAsync();
  void OnStopAsync();
  void FinishIfIdle();
  void CloseIdleClients();
  void RepairSubscriptions();
  void OnAcceptError(int status);
  void EnforceClientMemory();

  int index_;
  const Config& config_;
  uv_loop_t loop_;
  FlushScheduler scheduler_;
  WorkerMetrics metrics_;
  BackendPool pool_;
  RequestDispatcher dispatcher_;
  WorkerContext context_;
  Listener* listener_ = nullptr;
  std::thread thread_;

  uv_async_t table_async_;
  uv_async_t stop_async_;
  uv_timer_t grace_timer_;
  uv_timer_t drain_check_;
  uv_timer_t idle_timer_;  // client_idle_s: closes clients idle that long
  uv_timer_t memory_timer_;  // limits.client_memory_bytes: disconnects the largest clients
  // Re-places subscriptions whose node was lost; a node that stays down is retried this often.
  uv_timer_t repair_timer_;
  std::mutex mutex_;  // guards the two hand-over fields below, never held on the request path
  std::shared_ptr<const SlotTable> next_table_;
  uint64_t grace_ms_ = 0;
  bool stopping_ = false;
  uint64_t accept_error_logged_ms_ = 0;
  uint64_t accept_errors_unlogged_ = 0;
  std::atomic<bool> finished_{false};
};

}  // namespace slotgate
