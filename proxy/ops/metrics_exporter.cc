#include "proxy/ops/metrics_exporter.h"

#include <prometheus/collectable.h>
#include <prometheus/exposer.h>
#include <prometheus/metric_family.h>

#include <map>

namespace slotgate {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

MetricFamily Family(std::string name, std::string help, MetricType type) {
  MetricFamily family;
  family.name = std::move(name);
  family.help = std::move(help);
  family.type = type;
  return family;
}

void AddValue(MetricFamily& family, double value, std::vector<ClientMetric::Label> labels = {}) {
  ClientMetric metric;
  metric.label = std::move(labels);
  if (family.type == MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family.metric.push_back(std::move(metric));
}

// A family of one unlabelled sample.
void AddSingle(std::vector<MetricFamily>& families, std::string name, std::string help,
               MetricType type, double value) {
  families.push_back(Family(std::move(name), std::move(help), type));
  AddValue(families.back(), value);
}

}  // namespace

class MetricsExporter::Collector final : public prometheus::Collectable {
 public:
  Collector(const ProcessState& process, const TopologyStats& topology)
      : process_(process), topology_(topology) {}

  std::vector<MetricFamily> Collect() const override {
    std::vector<MetricFamily> families;
    CollectRequests(families);
    CollectConnections(families);
    CollectTopology(families);
    return families;
  }

 private:
  uint64_t Sum(const RelaxedCounter WorkerMetrics::*counter) const {
    uint64_t total = 0;
    for (const WorkerMetrics* m : process_.worker_metrics) total += (m->*counter).Get();
    return total;
  }

  void CollectRequests(std::vector<MetricFamily>& families) const {
    std::map<std::string, std::pair<uint64_t, uint64_t>> by_command;  // calls, errors
    for (const WorkerMetrics* m : process_.worker_metrics) {
      for (const auto& [cmd, counters] : m->by_command) {
        const uint64_t calls = counters.calls.Get();
        if (calls == 0) continue;
        auto& totals = by_command[cmd->name];
        totals.first += calls;
        totals.second += counters.errors.Get();
      }
    }
    auto requests =
        Family("slotgate_requests_total", "Requests answered, by command", MetricType::Counter);
    auto errors = Family("slotgate_request_errors_total",
                         "Requests answered with an error reply, by command", MetricType::Counter);
    for (const auto& [name, totals] : by_command) {
      AddValue(requests, static_cast<double>(totals.first), {{"command", name}});
      AddValue(errors, static_cast<double>(totals.second), {{"command", name}});
    }
    AddValue(requests, static_cast<double>(Sum(&WorkerMetrics::unknown_commands)),
             {{"command", "unknown"}});
    families.push_back(std::move(requests));
    families.push_back(std::move(errors));

    auto redirects = Family("slotgate_redirects_total",
                            "Cluster redirections and retryable errors handled inside slotgate",
                            MetricType::Counter);
    AddValue(redirects, static_cast<double>(Sum(&WorkerMetrics::moved)), {{"kind", "moved"}});
    AddValue(redirects, static_cast<double>(Sum(&WorkerMetrics::ask)), {{"kind", "ask"}});
    AddValue(redirects, static_cast<double>(Sum(&WorkerMetrics::tryagain)), {{"kind", "tryagain"}});
    AddValue(redirects, static_cast<double>(Sum(&WorkerMetrics::clusterdown)),
             {{"kind", "clusterdown"}});
    families.push_back(std::move(redirects));

    AddSingle(families, "slotgate_request_retries_total",
              "Requests re-sent after TRYAGAIN, CLUSTERDOWN or a lost connection",
              MetricType::Counter, static_cast<double>(Sum(&WorkerMetrics::retries)));

    auto latency =
        Family("slotgate_request_duration_seconds",
               "Time from a request's arrival to its reply being queued", MetricType::Histogram);
    ClientMetric histogram;
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= kLatencyBuckets.size(); ++i) {
      for (const WorkerMetrics* m : process_.worker_metrics) {
        cumulative += m->latency_buckets[i].Get();
      }
      histogram.histogram.bucket.push_back(
          {cumulative, i < kLatencyBuckets.size() ? kLatencyBuckets[i]
                                                  : std::numeric_limits<double>::infinity()});
    }
    histogram.histogram.sample_count = cumulative;
    histogram.histogram.sample_sum = static_cast<double>(Sum(&WorkerMetrics::latency_sum_ns)) / 1e9;
    latency.metric.push_back(std::move(histogram));
    families.push_back(std::move(latency));
  }

  void CollectConnections(std::vector<MetricFamily>& families) const {
    AddSingle(families, "slotgate_client_connections", "Client connections open now",
              MetricType::Gauge, static_cast<double>(process_.connected_clients.load()));
    AddSingle(families, "slotgate_client_connections_total", "Client connections accepted",
              MetricType::Counter,
              static_cast<double>(Sum(&WorkerMetrics::client_connections_accepted)));
    AddSingle(families, "slotgate_client_connections_rejected_total",
              "Client connections refused at max_clients", MetricType::Counter,
              static_cast<double>(Sum(&WorkerMetrics::client_connections_rejected)));
    AddSingle(families, "slotgate_accept_errors_total",
              "Client connections that could not be accepted (EMFILE...)", MetricType::Counter,
              static_cast<double>(Sum(&WorkerMetrics::accept_errors)));
    AddSingle(families, "slotgate_client_evictions_total",
              "Clients disconnected to keep all clients' buffers within "
              "limits.client_memory_bytes",
              MetricType::Counter, static_cast<double>(Sum(&WorkerMetrics::clients_evicted)));
    AddSingle(families, "slotgate_protocol_errors_total",
              "Clients disconnected for malformed requests", MetricType::Counter,
              static_cast<double>(Sum(&WorkerMetrics::protocol_errors)));
    AddSingle(families, "slotgate_backend_connections", "Backend connections open now",
              MetricType::Gauge, static_cast<double>(Sum(&WorkerMetrics::backend_connections)));
    AddSingle(families, "slotgate_dedicated_connections",
              "Backend connections owned by one client: blocking commands, WATCH, "
              "subscriptions",
              MetricType::Gauge, static_cast<double>(Sum(&WorkerMetrics::dedicated_connections)));
    AddSingle(families, "slotgate_pubsub_clients", "Clients with at least one subscription",
              MetricType::Gauge, static_cast<double>(Sum(&WorkerMetrics::pubsub_clients)));
    AddSingle(families, "slotgate_backend_failures_total",
              "Requests whose backend connection failed", MetricType::Counter,
              static_cast<double>(Sum(&WorkerMetrics::backend_failures)));
    AddSingle(families, "slotgate_backend_auth_failures_total",
              "Backend connections on which a node refused slotgate's credentials",
              MetricType::Counter, static_cast<double>(Sum(&WorkerMetrics::backend_auth_failures)));
  }

  void CollectTopology(std::vector<MetricFamily>& families) const {
    AddSingle(families, "slotgate_topology_refreshes_total", "Topology refreshes completed",
              MetricType::Counter, static_cast<double>(topology_.refreshes.load()));
    AddSingle(families, "slotgate_topology_refresh_failures_total",
              "Topology refreshes no node answered", MetricType::Counter,
              static_cast<double>(topology_.refresh_failures.load()));
    AddSingle(families, "slotgate_slot_table_version", "Version of the published slot table",
              MetricType::Gauge, static_cast<double>(topology_.version.load()));
    AddSingle(families, "slotgate_topology_drift_slots",
              "Configured slots the live cluster assigns to another node", MetricType::Gauge,
              static_cast<double>(topology_.drift_slots.load()));
    AddSingle(families, "slotgate_topology_drift_reports_total",
              "Disagreements between the configured and the live slot table", MetricType::Counter,
              static_cast<double>(topology_.drift_reports.load()));

    auto slots = Family("slotgate_slots", "Slots owned, by master", MetricType::Gauge);
    if (const std::shared_ptr<const SlotTable> table = process_.table.load()) {
      for (const Shard& shard : table->shards()) {
        AddValue(slots, static_cast<double>(table->SlotsOwnedBy(shard.master)),
                 {{"node", shard.master.ToString()}});
      }
    }
    families.push_back(std::move(slots));
  }

  const ProcessState& process_;
  const TopologyStats& topology_;
};

MetricsExporter::MetricsExporter(const ProcessState& process, const TopologyStats& topology)
    : collector_(std::make_shared<Collector>(process, topology)) {}

MetricsExporter::~MetricsExporter() = default;

bool MetricsExporter::Start(const Endpoint& address, std::string* why) {
  try {
    exposer_ = std::make_unique<prometheus::Exposer>(address.ToString(), 1);
    exposer_->RegisterCollectable(collector_);
  } catch (const std::exception& e) {
    *why = "cannot serve metrics on " + address.ToString() + ": " + e.what();
    return false;
  }
  return true;
}

}  // namespace slotgate
