#include "proxy/proxy_server.h"

#include <spdlog/spdlog.h>
#include <uv.h>

#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

#include "proxy/control/topology.h"
#include "proxy/ops/metrics_exporter.h"
#include "proxy/process_setup.h"
#include "proxy/worker.h"

namespace slotgate {
namespace {

// In-flight requests get this long to finish after SIGTERM before their clients are closed.
constexpr uint64_t kShutdownGraceMs = 5000;

struct ShutdownState {
  std::vector<std::unique_ptr<Worker>>* workers;
  Topology* topology;
  uv_signal_t term;
  uv_signal_t interrupt;
  uv_timer_t poll;  // until every worker has finished
  bool stopping = false;
};

template <typename T>
void CloseHandle(T* handle) {
  uv_close(reinterpret_cast<uv_handle_t*>(handle), nullptr);
}

void OnWorkersPoll(uv_timer_t* timer) {
  auto* state = static_cast<ShutdownState*>(timer->data);
  for (auto& worker : *state->workers) {
    if (!worker->finished()) return;
  }
  // Workers no longer ask for refreshes: the control loop can close.
  uv_timer_stop(timer);
  CloseHandle(timer);
  CloseHandle(&state->term);
  CloseHandle(&state->interrupt);
  state->topology->Close();
}

void OnSignal(uv_signal_t* handle, int signum) {
  auto* state = static_cast<ShutdownState*>(handle->data);
  if (state->stopping) return;
  state->stopping = true;
  spdlog::info("received signal {}: draining clients", signum);
  for (auto& worker : *state->workers) worker->Stop(kShutdownGraceMs);
  uv_timer_start(&state->poll, OnWorkersPoll, 0, 10);
}

}  // namespace

int RunProxy(const Config& config) {
  IgnoreBrokenPipes();
  ReturnFreedMemory();
  RaiseFileLimit(config.limits.max_clients);
  uv_loop_t loop;
  uv_loop_init(&loop);
  ProcessState process;
  process.config = &config;
  std::vector<std::unique_ptr<Worker>> workers;

  Topology topology(&loop, config, [&](std::shared_ptr<const SlotTable> table) {
    process.table.store(table);
    for (auto& worker : workers) worker->PublishTable(table);
  });
  // Workers start from the cluster's own answers: the first refresh and its COMMAND table.
  // Nodes that do not answer cost at most the connect and request timeouts.
  topology.Start();
  while (!topology.startup_done()) uv_run(&loop, UV_RUN_ONCE);
  process.table.store(topology.CurrentTable());

  const auto commands = topology.Commands();
  auto users = std::make_unique<UserDirectory>(*commands);
  for (const AuthUser& user : config.users) {
    // The rules passed against the built-in table; the cluster's own table may lack a command.
    const std::string error = users->Add(user.name, user.password_sha256, user.rules, *commands);
    if (!error.empty()) {
      spdlog::critical("auth.users: rules of user '{}': {}", user.name, error);
      return 1;
    }
  }
  process.users = std::move(users);
  const unsigned count = WorkerCount(config);
  process.client_memory.resize(count);
  for (unsigned i = 0; i < count; ++i) {
    workers.push_back(std::make_unique<Worker>(static_cast<int>(i), config, &process, commands,
                                               [&topology] { topology.RequestRefresh(); }));
    process.worker_metrics.push_back(&workers.back()->metrics());
  }

  MetricsExporter exporter(process, topology.stats());
  std::string why;
  if (config.metrics && !exporter.Start(*config.metrics, &why)) {
    spdlog::critical("{}", why);
    return 1;
  }
  for (auto& worker : workers) {
    if (!worker->Start(topology.CurrentTable(), &why)) {
      spdlog::critical("{}", why);
      std::_Exit(1);  // workers already running cannot be unwound cleanly from here
    }
  }
  spdlog::info("slotgate {} listening on {} with {} workers ({} mode){}", SLOTGATE_VERSION,
               config.listen.ToString(), count, ToString(config.mode),
               config.metrics ? ", metrics on http://" + config.metrics->ToString() + "/metrics"
                              : std::string());

  ShutdownState shutdown{&workers, &topology, {}, {}, {}};
  uv_signal_init(&loop, &shutdown.term);
  uv_signal_init(&loop, &shutdown.interrupt);
  uv_timer_init(&loop, &shutdown.poll);
  shutdown.term.data = &shutdown;
  shutdown.interrupt.data = &shutdown;
  shutdown.poll.data = &shutdown;
  uv_signal_start(&shutdown.term, OnSignal, SIGTERM);
  uv_signal_start(&shutdown.interrupt, OnSignal, SIGINT);

  uv_run(&loop, UV_RUN_DEFAULT);
  for (auto& worker : workers) worker->Join();
  uv_loop_close(&loop);
  spdlog::info("slotgate stopped");
  return 0;
}

}  // namespace slotgate
