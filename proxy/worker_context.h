// What every part of one worker reaches through a single pointer: its loop, its dispatcher,
// the command table, the config, and the few process-wide facts (start time, client ids,
// every worker's metrics) that INFO and CLIENT report.
#pragma once

#include <uv.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <unordered_set>
#include <vector>

#include "common/acl/user_directory.h"
#include "common/commands/command_table.h"
#include "config/config.h"
#include "proxy/commands/script_memory.h"
#include "proxy/flush_scheduler.h"
#include "proxy/front/client_registry.h"
#include "proxy/ops/worker_metrics.h"
#include "proxy/route/slot_table.h"

namespace slotgate {

class BackendPool;
class ClientSession;
class RequestDispatcher;
class Subscriptions;

// What one worker last counted of its clients' memory, for limits.client_memory_bytes.
struct ClientMemoryReport {
  std::atomic<uint64_t> total{0};
  std::atomic<uint64_t> largest{0};  // of the clients it may disconnect
};

// Shared by all workers; written before they start, or through atomics.
struct ProcessState {
  const Config* config = nullptr;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::atomic<uint64_t> next_client_id{1};
  std::atomic<int64_t> connected_clients{0};
  ClientRegistry clients;  // CLIENT LIST / INFO
  std::vector<const WorkerMetrics*> worker_metrics;  // filled before workers start
  std::deque<ClientMemoryReport> client_memory;      // one per worker, before they start
  // The control thread's newest table, for INFO and metrics (never read on the request path).
  std::atomic<std::shared_ptr<const SlotTable>> table;
  // Scripts loaded through any worker, to load again where a node lost them (own mutex).
  ScriptMemory scripts;
  // The users clients log in as (auth.users), built before workers start; read-only after.
  std::unique_ptr<const UserDirectory> users;
};

struct WorkerContext {
  uv_loop_t* loop = nullptr;
  FlushScheduler* scheduler = nullptr;
  RequestDispatcher* dispatcher = nullptr;
  BackendPool* pool = nullptr;  // every backend connection of the worker
  std::shared_ptr<const CommandTable> commands;
  const Config* config = nullptr;
  ProcessState* process = nullptr;
  WorkerMetrics* metrics = nullptr;
  std::unordered_set<ClientSession*> sessions;
  std::unordered_set<Subscriptions*> subscriptions;  // repaired after topology changes
};

}  // namespace slotgate
