// Counters one worker keeps about its own traffic. Only that worker writes them, so an
// increment is a plain load and store (no locked instruction on the request path); the
// metrics endpoint reads them from its own thread and sums the workers at scrape time.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <unordered_map>

#include "common/commands/command_table.h"

namespace slotgate {

class RelaxedCounter {
 public:
  void Add(uint64_t n = 1) {
    value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  void Sub(uint64_t n = 1) {
    value_.store(value_.load(std::memory_order_relaxed) - n, std::memory_order_relaxed);
  }
  void Set(uint64_t n) { value_.store(n, std::memory_order_relaxed); }
  uint64_t Get() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

struct CommandCounters {
  RelaxedCounter calls;
  RelaxedCounter errors;  // error replies sent to clients
};

// Upper bounds, in seconds, of the request latency histogram's buckets (+Inf is implied).
inline constexpr std::array<double, 14> kLatencyBuckets = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

struct WorkerMetrics {
  // Every command and subcommand of `commands` gets its counters up front, so the map is never
  // changed while a scrape reads it.
  explicit WorkerMetrics(const CommandTable& commands);

  void RecordLatency(uint64_t nanoseconds);

  std::unordered_map<const CommandInfo*, CommandCounters> by_command;
  RelaxedCounter unknown_commands;
  RelaxedCounter client_connections_accepted;
  RelaxedCounter client_connections_closed;
  RelaxedCounter client_connections_rejected;  // over max_clients
  RelaxedCounter accept_errors;                // accept() failed (out of descriptors...)
  RelaxedCounter protocol_errors;
  RelaxedCounter clients_evicted;  // over limits.client_memory_bytes
  RelaxedCounter backend_connections;  // open now (a gauge, set by the worker)
  // Gauges: connections one client owns (blocking, WATCH, subscriptions), and clients with
  // at least one subscription.
  RelaxedCounter dedicated_connections;
  RelaxedCounter pubsub_clients;
  RelaxedCounter moved;
  RelaxedCounter ask;
  RelaxedCounter tryagain;
  RelaxedCounter clusterdown;
  RelaxedCounter retries;
  RelaxedCounter backend_failures;
  RelaxedCounter backend_auth_failures;  // connections a node refused slotgate's credentials on
  std::array<RelaxedCounter, kLatencyBuckets.size() + 1> latency_buckets;  // last: +Inf
  RelaxedCounter latency_count;
  RelaxedCounter latency_sum_ns;
};

}  // namespace slotgate
