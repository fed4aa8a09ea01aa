#include "proxy/control/topology.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/resp/value.h"
#include "common/resp/writer.h"

namespace slotgate {
namespace {

template <typename T>
uv_handle_t* AsHandle(T* h) {
  return reinterpret_cast<uv_handle_t*>(h);
}

BackendPoolOptions ControlPoolOptions(const Config& config) {
  BackendPoolOptions options;
  options.connection.connect_timeout_ms = config.timeouts.connect_ms;
  options.connection.request_timeout_ms = config.timeouts.backend_request_ms;
  options.connection.credentials = &config.backend_credentials;
  options.connection.node_credentials = &config.node_credentials;
  return options;
}

}  // namespace

// One node's answer to one refresh: CLUSTER SHARDS, or CLUSTER SLOTS where SHARDS is unknown.
class Topology::Query final : public ReplyHandler {
 public:
  Query(Topology* owner, Endpoint node) : owner_(owner), node_(std::move(node)) {}

  void Send(std::string_view subcommand) {
    subcommand_ = subcommand;
    BackendConnection* connection = owner_->pool_.Get(node_, 0);
    if (!connection) return Done("in reconnect backoff");
    std::string request;
    WriteCommand(request, {"CLUSTER", subcommand});
    connection->Send(request, this);
  }

  void OnBackendReply(std::string_view reply, const ScannedReply&) override {
    RespValue value;
    size_t consumed = 0;
    if (DecodeValue(reply, &consumed, &value) != DecodeStatus::kOk) return Done("bad reply");
    if (value.is_error()) {
      if (subcommand_ == "SHARDS" && value.str.find("unknown subcommand") != std::string::npos) {
        return Send("SLOTS");
      }
      // A view without migrations is still a view.
      return Done(subcommand_ == "NODES" ? std::string_view() : std::string_view(value.str));
    }
    if (subcommand_ == "NODES") {
      // Only migrations come from CLUSTER NODES; the view itself is already parsed.
      if (value.is_string()) view_->migrations = ParseClusterNodesMigrations(value.str, node_);
      return Done({});
    }
    std::string why;
    view_ = subcommand_ == "SHARDS" ? ParseClusterShards(value, node_, &why)
                                    : ParseClusterSlots(value, node_, &why);
    if (!view_) return Done(why);
    Send("NODES");  // same connection, so the migrations match this view
  }

  void OnBackendFailure(BackendFailure, std::string_view reason) override {
    if (subcommand_ == "NODES") return Done({});  // keep the view, without migrations
    Done(reason);
  }

  const std::optional<ClusterView>& view() const { return view_; }
  const Endpoint& node() const { return node_; }

 private:
  void Done(std::string_view problem) {
    if (!problem.empty()) {
      spdlog::warn("topology: {} did not describe the cluster: {}", node_.ToString(), problem);
    }
    owner_->OnQueryDone();
  }

  Topology* owner_;
  Endpoint node_;
  std::string_view subcommand_;
  std::optional<ClusterView> view_;
};

// Asks one node for COMMAND; on failure the next source is tried.
class Topology::CommandQuery final : public ReplyHandler {
 public:
  CommandQuery(Topology* owner, size_t index) : owner_(owner), index_(index) {}

  void Send(const Endpoint& node) {
    BackendConnection* connection = owner_->pool_.Get(node, 0);
    if (!connection) return owner_->FetchCommands(index_ + 1);
    std::string request;
    WriteCommand(request, {"COMMAND"});
    connection->Send(request, this);
  }

  void OnBackendReply(std::string_view reply, const ScannedReply&) override {
    std::shared_ptr<const CommandTable> table = CommandTable::FromRawReply(reply);
    if (!table) return owner_->FetchCommands(index_ + 1);
    spdlog::info("command table: {} commands from {}", table->size(),
                 owner_->command_sources_[index_].ToString());
    owner_->commands_ = std::move(table);
    owner_->commands_done_ = true;
  }

  void OnBackendFailure(BackendFailure, std::string_view) override {
    owner_->FetchCommands(index_ + 1);
  }

 private:
  Topology* owner_;
  size_t index_;
};

Topology::Topology(uv_loop_t* loop, const Config& config, Publish publish)
    : loop_(loop),
      config_(config),
      publish_(std::move(publish)),
      scheduler_(loop),
      pool_(loop, &scheduler_, ControlPoolOptions(config)),
      configured_(SlotTableFromConfig(config, 1)),
      current_(configured_),
      commands_(CommandTable::Recorded()) {
  stats_.version = 1;
  uv_async_init(loop_, &refresh_async_,
                [](uv_async_t* a) { static_cast<Topology*>(a->data)->OnRefreshAsync(); });
  refresh_async_.data = this;
  uv_timer_init(loop_, &interval_timer_);
  uv_timer_init(loop_, &debounce_timer_);
  interval_timer_.data = this;
  debounce_timer_.data = this;
}

Topology::~Topology() = default;

void Topology::Start() {
  command_sources_ = config_.seeds;
  for (const NodeSlots& node : config_.slots) command_sources_.push_back(node.node);
  FetchCommands(0);
  if (config_.mode == BackendMode::kStatic) {  // the configured table is the truth
    first_refresh_done_ = true;
    return;
  }
  RefreshNow();
  const uint64_t interval = uint64_t{config_.timeouts.topology_refresh_interval_s} * 1000;
  uv_timer_start(
      &interval_timer_, [](uv_timer_t* t) { static_cast<Topology*>(t->data)->RefreshNow(); },
      interval, interval);
}

void Topology::FetchCommands(size_t next_node) {
  // The previous query (if any) is the caller: keep it alive until its callback returns.
  if (next_node >= command_sources_.size()) {
    if (!commands_done_) {
      spdlog::warn(
          "command table: no backend answered COMMAND; using the built-in Redis 7.0 "
          "table");
    }
    commands_done_ = true;
    return;
  }
  auto query = std::make_unique<CommandQuery>(this, next_node);
  CommandQuery* sending = query.get();
  retired_command_queries_.push_back(std::move(command_query_));
  command_query_ = std::move(query);
  sending->Send(command_sources_[next_node]);
}

void Topology::RequestRefresh() {
  if (config_.mode == BackendMode::kCluster) uv_async_send(&refresh_async_);
}

void Topology::OnRefreshAsync() {
  if (closed_) return;
  const uint64_t now = uv_now(loop_);
  const uint64_t debounce = config_.timeouts.topology_refresh_debounce_ms;
  if (now >= last_refresh_ms_ + debounce) return RefreshNow();
  if (!uv_is_active(AsHandle(&debounce_timer_))) {
    uv_timer_start(
        &debounce_timer_, [](uv_timer_t* t) { static_cast<Topology*>(t->data)->RefreshNow(); },
        last_refresh_ms_ + debounce - now, 0);
  }
}

void Topology::RefreshNow() {
  if (closed_) return;
  if (in_progress_) {
    again_ = true;
    return;
  }
  in_progress_ = true;
  last_refresh_ms_ = uv_now(loop_);
  std::vector<Endpoint> nodes = config_.seeds;
  for (const Shard& shard : current_->shards()) {
    nodes.push_back(shard.master);
    nodes.insert(nodes.end(), shard.replicas.begin(), shard.replicas.end());
  }
  queries_.clear();
  for (const Endpoint& node : nodes) {
    const bool known = std::any_of(queries_.begin(), queries_.end(),
                                   [&](const auto& q) { return q->node() == node; });
    if (!known) queries_.push_back(std::make_unique<Query>(this, node));
  }
  queries_left_ = queries_.size();
  // Queries may finish synchronously (a node in backoff): index, never iterate, while sending.
  for (size_t i = 0, n = queries_.size(); i < n; ++i) queries_[i]->Send("SHARDS");
}

void Topology::OnQueryDone() {
  if (--queries_left_ == 0) Finish();
}

void Topology::Finish() {
  std::vector<ClusterView> views;
  for (const auto& query : queries_) {
    if (query->view()) views.push_back(*query->view());
  }
  in_progress_ = false;
  first_refresh_done_ = true;
  ++stats_.refreshes;
  if (views.empty()) {
    ++stats_.refresh_failures;
    spdlog::error("topology: no node answered; keeping slot table version {}", version_);
  } else {
    std::shared_ptr<const SlotTable> live = MergeViews(views, version_ + 1);
    if (!drift_reported_ && !config_.slots.empty()) ReportDrift(*live);
    if (!live->SameLayout(*current_)) {
      ++version_;
      stats_.version = version_;
      current_ = live;
      size_t served = 0;
      for (uint32_t slot = 0; slot < kSlotCount; ++slot) {
        served += current_->ShardForSlot(static_cast<uint16_t>(slot)) != nullptr;
      }
      spdlog::info("topology: slot table version {}: {} masters, {} of {} slots served", version_,
                   current_->shards().size(), served, kSlotCount);
      publish_(current_);
    }
  }
  if (again_ && !closed_) {
    again_ = false;
    OnRefreshAsync();
  }
}

void Topology::ReportDrift(const SlotTable& live) {
  drift_reported_ = true;
  uint64_t slots = 0;
  for (uint32_t slot = 0; slot < kSlotCount; ++slot) {
    const Shard* want = configured_->ShardForSlot(static_cast<uint16_t>(slot));
    const Shard* have = live.ShardForSlot(static_cast<uint16_t>(slot));
    if (want && (!have || !(want->master == have->master))) ++slots;
  }
  stats_.drift_slots = slots;
  for (const std::string& line : DescribeDrift(*configured_, live)) {
    ++stats_.drift_reports;
    spdlog::warn("config drift: {}; trusting the cluster", line);
  }
}

void Topology::Close() {
  closed_ = true;
  pool_.CloseAll("shutting down");
  uv_close(AsHandle(&refresh_async_), nullptr);
  uv_close(AsHandle(&interval_timer_), nullptr);
  uv_close(AsHandle(&debounce_timer_), nullptr);
  scheduler_.Close();
}

}  // namespace slotgate
