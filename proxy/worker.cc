#include "proxy/worker.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "proxy/commands/subscriptions.h"
#include "proxy/front/client_session.h"

namespace slotgate {
namespace {

constexpr uint64_t kRepairPeriodMs = 250;
constexpr uint64_t kMemoryCheckMs = 100;

uv_loop_t* InitLoop(uv_loop_t* loop) {
  uv_loop_init(loop);
  return loop;
}

}  // namespace

unsigned WorkerCount(const Config& config) {
  if (config.workers > 0) return config.workers;
  return std::max(1u, std::thread::hardware_concurrency());
}

namespace {

BackendPoolOptions PoolOptions(const Config& config, WorkerMetrics* metrics) {
  BackendPoolOptions options;
  options.open_gauge = &metrics->backend_connections;
  options.dedicated_gauge = &metrics->dedicated_connections;
  // The cap is the process's; each worker takes its share.
  options.dedicated_per_node =
      std::max(1u, config.limits.dedicated_connections_per_node / WorkerCount(config));
  options.connection.connect_timeout_ms = config.timeouts.connect_ms;
  options.connection.request_timeout_ms = config.timeouts.backend_request_ms;
  options.connection.max_queued_bytes = config.limits.backend_queue_bytes;
  options.connection.credentials = &config.backend_credentials;
  options.connection.node_credentials = &config.node_credentials;
  options.connection.auth_failures = &metrics->backend_auth_failures;
  options.connections_per_node = config.limits.backend_connections_per_node;
  return options;
}

template <typename T>
uv_handle_t* AsHandle(T* h) {
  return reinterpret_cast<uv_handle_t*>(h);
}

}  // namespace

Worker::Worker(int index, const Config& config, ProcessState* process,
               std::shared_ptr<const CommandTable> commands, std::function<void()> request_refresh)
    : index_(index),
      config_(config),
      scheduler_(InitLoop(&loop_)),
      metrics_(*commands),
      pool_(&loop_, &scheduler_, PoolOptions(config, &metrics_)),
      dispatcher_(&loop_, &pool_, config, &metrics_, std::move(request_refresh)) {
  context_.loop = &loop_;
  context_.scheduler = &scheduler_;
  context_.dispatcher = &dispatcher_;
  context_.pool = &pool_;
  context_.commands = std::move(commands);
  context_.config = &config_;
  context_.process = process;
  context_.metrics = &metrics_;
  dispatcher_.SetScriptMemory(&process->scripts);
  uv_async_init(&loop_, &table_async_,
                [](uv_async_t* a) { static_cast<Worker*>(a->data)->OnTableAsync(); });
  uv_async_init(&loop_, &stop_async_,
                [](uv_async_t* a) { static_cast<Worker*>(a->data)->OnStopAsync(); });
  table_async_.data = this;
  stop_async_.data = this;
  uv_timer_init(&loop_, &grace_timer_);
  uv_timer_init(&loop_, &drain_check_);
  uv_timer_init(&loop_, &idle_timer_);
  uv_timer_init(&loop_, &repair_timer_);
  uv_timer_init(&loop_, &memory_timer_);
  memory_timer_.data = this;
  if (config_.limits.client_memory_bytes > 0) {
    uv_timer_start(
        &memory_timer_, [](uv_timer_t* t) { static_cast<Worker*>(t->data)->EnforceClientMemory(); },
        kMemoryCheckMs, kMemoryCheckMs);
  }
  repair_timer_.data = this;
  uv_timer_start(
      &repair_timer_, [](uv_timer_t* t) { static_cast<Worker*>(t->data)->RepairSubscriptions(); },
      kRepairPeriodMs, kRepairPeriodMs);
  grace_timer_.data = this;
  drain_check_.data = this;
  idle_timer_.data = this;
  if (config_.timeouts.client_idle_s > 0) {
    uv_timer_start(
        &idle_timer_, [](uv_timer_t* t) { static_cast<Worker*>(t->data)->CloseIdleClients(); },
        1000, 1000);
  }
}

void Worker::CloseIdleClients() {
  const uint64_t limit_ms = uint64_t{config_.timeouts.client_idle_s} * 1000;
  const uint64_t now = uv_now(&loop_);
  if (now < limit_ms) return;
  std::vector<ClientSession*> idle;
  for (ClientSession* session : context_.sessions) {
    if (session->IdleSince(now - limit_ms)) idle.push_back(session);
  }
  for (ClientSession* session : idle) session->Close();
}

// Counted every time, logged at most once a second with the number of errors since the
// last line: a client flood past the descriptor limit must not flood the log too.
void Worker::OnAcceptError(int status) {
  metrics_.accept_errors.Add();
  ++accept_errors_unlogged_;
  const uint64_t now = uv_now(&loop_);
  if (accept_error_logged_ms_ != 0 && now - accept_error_logged_ms_ < 1000) return;
  spdlog::warn("worker {}: cannot accept client connections: {} ({} times)", index_,
               uv_strerror(status), accept_errors_unlogged_);
  accept_error_logged_ms_ = now;
  accept_errors_unlogged_ = 0;
}

// limits.client_memory_bytes, as Redis's maxmemory-clients: while all clients of all workers
// hold more, the largest goes first. Each worker disconnects only its own clients, and only
// those at least as large as every other worker's largest, so the largest overall goes first.
void Worker::EnforceClientMemory() {
  std::vector<std::pair<size_t, ClientSession*>> candidates;
  uint64_t mine = 0;
  for (ClientSession* session : context_.sessions) {
    const size_t bytes = session->MemoryBytes();
    mine += bytes;
    if (!session->no_evict() && bytes > 0) candidates.emplace_back(bytes, session);
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  ClientMemoryReport& report = context_.process->client_memory[static_cast<size_t>(index_)];
  uint64_t total = mine;
  uint64_t others_largest = 0;
  for (const ClientMemoryReport& other : context_.process->client_memory) {
    if (&other == &report) continue;
    total += other.total.load(std::memory_order_relaxed);
    others_largest = std::max(others_largest, other.largest.load(std::memory_order_relaxed));
  }
  const uint64_t budget = config_.limits.client_memory_bytes;
  const uint64_t total_before = total;
  size_t next = 0;
  for (; total > budget && next < candidates.size() && candidates[next].first >= others_largest;
       ++next) {
    const auto [bytes, session] = candidates[next];
    if (next == 0) {  // one line per check: the largest, and how many more went with it
      spdlog::warn(
          "client {} disconnected: it held {} bytes and all clients {} bytes, over "
          "limits.client_memory_bytes {}",
          session->id(), bytes, total_before, budget);
    }
    metrics_.clients_evicted.Add();
    total -= bytes;
    mine -= bytes;
    session->Close();
  }
  if (next > 1) {
    spdlog::warn("{} more clients disconnected to bring all clients under {} bytes", next - 1,
                 budget);
  }
  report.total.store(mine, std::memory_order_relaxed);
  report.largest.store(next < candidates.size() ? candidates[next].first : 0,
                       std::memory_order_relaxed);
}

void Worker::RepairSubscriptions() {
  const std::vector<Subscriptions*> all(context_.subscriptions.begin(),
                                        context_.subscriptions.end());
  uint64_t subscribed = 0;
  for (Subscriptions* subscriptions : all) {
    subscriptions->Repair();
    subscribed += subscriptions->active();
  }
  metrics_.pubsub_clients.Set(subscribed);
}

Worker::~Worker() {
  Join();
  uv_loop_close(&loop_);
}

bool Worker::Start(std::shared_ptr<const SlotTable> table, std::string* why) {
  dispatcher_.SetTable(std::move(table));
  listener_ = Listener::Create(&loop_, [this](uv_stream_t* server, int status) {
    if (status == 0) status = ClientSession::Accept(server, &context_);
    if (status != 0) OnAcceptError(status);
  });
  if (!listener_->Listen(config_.listen, why)) {
    listener_->Close();
    listener_ = nullptr;
    return false;
  }
  thread_ = std::thread([this] { Run(); });
  return true;
}

void Worker::Run() {
  uv_run(&loop_, UV_RUN_DEFAULT);
  spdlog::debug("worker {} stopped", index_);
  finished_ = true;
}

void Worker::PublishTable(std::shared_ptr<const SlotTable> table) {
  {
    std::lock_guard lock(mutex_);
    next_table_ = std::move(table);
  }
  uv_async_send(&table_async_);
}

void Worker::OnTableAsync() {
  std::shared_ptr<const SlotTable> table;
  {
    std::lock_guard lock(mutex_);
    table.swap(next_table_);
  }
  if (!table) return;
  dispatcher_.SetTable(std::move(table));
  RepairSubscriptions();
}

void Worker::Stop(uint64_t grace_ms) {
  {
    std::lock_guard lock(mutex_);
    grace_ms_ = grace_ms;
  }
  uv_async_send(&stop_async_);
}

void Worker::OnStopAsync() {
  if (stopping_) return;
  stopping_ = true;
  if (listener_) listener_->Close();
  listener_ = nullptr;
  const std::vector<ClientSession*> sessions(context_.sessions.begin(), context_.sessions.end());
  for (ClientSession* session : sessions) session->Drain();
  uint64_t grace = 0;
  {
    std::lock_guard lock(mutex_);
    grace = grace_ms_;
  }
  // Past the grace period, whatever is still open is closed.
  uv_timer_start(
      &grace_timer_,
      [](uv_timer_t* t) {
        auto* self = static_cast<Worker*>(t->data);
        const std::vector<ClientSession*> left(self->context_.sessions.begin(),
                                               self->context_.sessions.end());
        for (ClientSession* session : left) session->Close();
        self->pool_.CloseAll("shutting down");
      },
      grace, 0);
  uv_timer_start(
      &drain_check_, [](uv_timer_t* t) { static_cast<Worker*>(t->data)->FinishIfIdle(); }, 0, 10);
}

void Worker::FinishIfIdle() {
  if (!context_.sessions.empty()) return;
  uv_timer_stop(&drain_check_);
  uv_timer_stop(&idle_timer_);
  uv_timer_stop(&repair_timer_);
  uv_timer_stop(&memory_timer_);
  pool_.CloseAll("shutting down");
  dispatcher_.Close();
  scheduler_.Close();
  uv_close(AsHandle(&table_async_), nullptr);
  uv_close(AsHandle(&stop_async_), nullptr);
  uv_close(AsHandle(&grace_timer_), nullptr);
  uv_close(AsHandle(&drain_check_), nullptr);
  uv_close(AsHandle(&idle_timer_), nullptr);
  uv_close(AsHandle(&repair_timer_), nullptr);
  uv_close(AsHandle(&memory_timer_), nullptr);
}

void Worker::Join() {
  if (thread_.joinable()) thread_.join();
}

}  // namespace slotgate
