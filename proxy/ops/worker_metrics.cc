#include "proxy/ops/worker_metrics.h"

namespace slotgate {

WorkerMetrics::WorkerMetrics(const CommandTable& commands) {
  for (const auto& [name, cmd] : commands.commands()) {
    by_command[&cmd];
    for (const CommandInfo& sub : cmd.subcommands) by_command[&sub];
  }
}

void WorkerMetrics::RecordLatency(uint64_t nanoseconds) {
  const double seconds = static_cast<double>(nanoseconds) / 1e9;
  size_t bucket = 0;
  while (bucket < kLatencyBuckets.size() && seconds > kLatencyBuckets[bucket]) ++bucket;
  latency_buckets[bucket].Add();
  latency_count.Add();
  latency_sum_ns.Add(nanoseconds);
}

}  // namespace slotgate
