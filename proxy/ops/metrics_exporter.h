// Serves Prometheus metrics over HTTP on the configured address. Nothing is registered per
// request: at each scrape it sums every worker's counters and reads the topology's state.
#pragma once

#include <memory>
#include <string>

#include "proxy/control/topology.h"
#include "proxy/worker_context.h"

namespace prometheus {
class Exposer;
}

namespace slotgate {

class MetricsExporter {
 public:
  MetricsExporter(const ProcessState& process, const TopologyStats& topology);
  ~MetricsExporter();
  // Starts the HTTP endpoint; false with `why` when the address cannot be bound.
  bool Start(const Endpoint& address, std::string* why);

 private:
  class Collector;
  std::shared_ptr<Collector> collector_;
  std::unique_ptr<prometheus::Exposer> exposer_;
};

}  // namespace slotgate
