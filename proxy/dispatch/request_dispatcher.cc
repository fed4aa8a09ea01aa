#include "proxy/dispatch/request_dispatcher.h"

#include <algorithm>

#include "common/errors.h"
#include "common/resp/redirect.h"
#include "common/resp/writer.h"
#include "proxy/back/dedicated_connections.h"
#include "proxy/commands/script_reload.h"

namespace slotgate {
namespace {

constexpr uint64_t kFirstBackoffMs = 10;
constexpr uint64_t kMaxBackoffMs = 250;

std::string_view ErrorCodeOf(const ScannedReply& info) {
  return info.first_byte == '-' ? ErrorCode(info.error_line) : std::string_view();
}

}  // namespace

void PendingRequest::OnBackendReply(std::string_view bytes, const ScannedReply& info) {
  dispatcher->OnReply(this, bytes, info);
}

void PendingRequest::OnBackendFailure(bool sent, std::string_view reason) {
  dispatcher->OnFailure(this, sent, reason);
}

RequestDispatcher::RequestDispatcher(uv_loop_t* loop, BackendPool* pool, const Config& config,
                                     WorkerMetrics* metrics,
                                     std::function<void()> request_refresh)
    : loop_(loop),
      pool_(pool),
      config_(config),
      request_refresh_(std::move(request_refresh)),
      table_(std::make_shared<SlotTable>()),
      metrics_(metrics),
      timer_(new uv_timer_t) {
  uv_timer_init(loop_, timer_);
  timer_->data = this;
}

RequestDispatcher::~RequestDispatcher() = default;

void RequestDispatcher::Close() {
  while (!retries_.empty()) {
    Retry retry = retries_.top();
    retries_.pop();
    if (retry.request) {
      CompleteWithError(retry.request, "ERR proxy: shutting down");
    } else {
      retry.action();  // it sends again and fails at once: the pool is closed
    }
  }
  uv_timer_stop(timer_);
  uv_close(reinterpret_cast<uv_handle_t*>(timer_),
           [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
}

const Endpoint* RequestDispatcher::Target(PendingRequest* request) {
  if (request->has_redirect_target) return &request->redirect_target;
  if (request->to_replica && request->slot >= 0) {
    const Shard* shard = table_->ShardForSlot(static_cast<uint16_t>(request->slot));
    if (shard && !shard->replicas.empty()) {
      return &shard->replicas[static_cast<size_t>(request->slot) % shard->replicas.size()];
    }
  }
  return MasterFor(request->slot);
}

void RequestDispatcher::Dispatch(PendingRequest* request) {
  request->dispatcher = this;
  const Endpoint* target = Target(request);
  if (!target) {
    // Static mode's table is the configuration itself: waiting cannot make the slot served.
    if (config_.mode == BackendMode::kStatic) {
      return CompleteWithError(request, errors::kClusterDownUnbound);
    }
    request_refresh_();
    RetryOrFail(request, errors::kClusterDownUnbound);
    return;
  }
  const bool read_only = request->to_replica && !request->has_redirect_target;
  BackendConnection* connection = ConnectionFor(*request, *target, read_only);
  if (!connection && read_only) {
    request->to_replica = false;  // the replica cannot be reached: its master serves the read
    return Dispatch(request);
  }
  if (!connection) {
    scratch_ = "ERR proxy: cannot reach " + target->ToString();
    RetryOrFail(request, scratch_);
    return;
  }
  if (request->send_asking) {
    scratch_.clear();
    WriteCommand(scratch_, {"ASKING"});
    connection->Send(scratch_, nullptr);
  }
  connection->Send(request->request, request);
}

void RequestDispatcher::OnReply(PendingRequest* request, std::string_view reply,
                                const ScannedReply& info) {
  // Script commands: learn scripts, and reload one a node lost (NOSCRIPT); see script_reload.h.
  if (scripts_ && request->command && request->command->Has(kCmdNoscript) &&
      OnScriptReply(*scripts_, this, request, reply, info, [&] { return Target(request); })) {
    return;
  }
  const std::string_view code = ErrorCodeOf(info);
  if (code.empty()) return Complete(request, reply);

  if (code == "MOVED" || code == "ASK") {
    const std::optional<Redirect> redirect = ParseRedirect(info.error_line);
    if (!redirect) return Complete(request, reply);
    if (++request->hops > config_.limits.max_redirects) {
      return CompleteWithError(request, "ERR proxy: too many cluster redirections");
    }
    Endpoint target{std::string(redirect->host), redirect->port};
    if (target.host.empty() || target.host == "?") {
      // Redis leaves the host out when it is the node that answered.
      if (const Endpoint* asked = Target(request)) target.host = asked->host;
    }
    if (redirect->kind == Redirect::kMoved) {
      LearnMoved(redirect->slot, target);
      request->has_redirect_target = false;
      request->pinned = false;
      request->send_asking = false;
      request->to_replica = false;
    } else {
      metrics_->ask.Add();
      request->redirect_target = std::move(target);
      request->has_redirect_target = true;
      request->send_asking = true;
    }
    return Dispatch(request);
  }
  if (code == "TRYAGAIN" || code == "CLUSTERDOWN") {
    (code == "TRYAGAIN" ? metrics_->tryagain : metrics_->clusterdown).Add();
    if (code == "CLUSTERDOWN") request_refresh_();
    // The retry goes back to the slot's owner, not to an ASK target that may have changed.
    request->has_redirect_target = request->pinned;
    request->send_asking = false;
    scratch_.assign(reply.substr(1, reply.size() - 3));
    return RetryOrFail(request, scratch_);
  }
  Complete(request, reply);
}

void RequestDispatcher::OnFailure(PendingRequest* request, bool sent, std::string_view reason) {
  metrics_->backend_failures.Add();
  request_refresh_();
  const bool safe_to_repeat = !sent || (request->command && request->command->Has(kCmdReadonly));
  if (!safe_to_repeat) {
    scratch_ = "ERR proxy: ";
    scratch_.append(reason);
    scratch_.append("; the request was sent and may have run");
    return CompleteWithError(request, scratch_);
  }
  request->has_redirect_target = request->pinned;
  request->send_asking = false;
  request->to_replica = false;  // a replica read that failed is retried on the master
  scratch_ = "ERR proxy: ";
  scratch_.append(reason);
  RetryOrFail(request, scratch_);
}

void RequestDispatcher::RetryOrFail(PendingRequest* request, std::string_view error) {
  const uint64_t now = uv_now(loop_);
  if (request->deadline_ms == 0) request->deadline_ms = now + config_.timeouts.redirect_deadline_ms;
  if (now >= request->deadline_ms) return CompleteWithError(request, error);
  metrics_->retries.Add();
  const uint64_t delay = std::min(kFirstBackoffMs << std::min<uint8_t>(request->retries, 5),
                                  kMaxBackoffMs);
  if (request->retries < 255) ++request->retries;
  retries_.push({std::min(now + delay, request->deadline_ms), request, {}});
  ArmTimer();
}

void RequestDispatcher::RunLater(uint64_t delay_ms, std::function<void()> action) {
  retries_.push({uv_now(loop_) + delay_ms, nullptr, std::move(action)});
  ArmTimer();
}

BackendConnection* RequestDispatcher::ConnectionFor(const PendingRequest& request,
                                                    const Endpoint& node, bool read_only) {
  if (request.dedicated) return request.dedicated->Get(node, read_only, request.resp3);
  return pool_->Get(node, read_only, request.resp3);
}

const Endpoint* RequestDispatcher::MasterFor(int slot) {
  const auto& shards = table_->shards();
  if (slot < 0) {
    if (shards.empty()) return nullptr;
    next_master_ = (next_master_ + 1) % shards.size();
    return &shards[next_master_].master;
  }
  const Shard* shard = table_->ShardForSlot(static_cast<uint16_t>(slot));
  return shard ? &shard->master : nullptr;
}

void RequestDispatcher::LearnMoved(uint16_t slot, const Endpoint& master) {
  metrics_->moved.Add();
  table_ = table_->WithSlotMoved(slot, master);
  request_refresh_();
}

void RequestDispatcher::ArmTimer() {
  if (retries_.empty()) return;
  const uint64_t now = uv_now(loop_);
  const uint64_t due = retries_.top().due_ms;
  uv_timer_start(
      timer_, [](uv_timer_t* t) { static_cast<RequestDispatcher*>(t->data)->OnTimer(); },
      due > now ? due - now : 0, 0);
}

void RequestDispatcher::OnTimer() {
  const uint64_t now = uv_now(loop_);
  while (!retries_.empty() && retries_.top().due_ms <= now) {
    Retry retry = retries_.top();
    retries_.pop();
    if (retry.request) {
      Dispatch(retry.request);
    } else {
      retry.action();
    }
  }
  ArmTimer();
}

void RequestDispatcher::Complete(PendingRequest* request, std::string_view reply) {
  request->waiter->OnRequestDone(request, reply);
}

void RequestDispatcher::CompleteWithError(PendingRequest* request, std::string_view text) {
  std::string reply;
  WriteError(reply, text);
  request->waiter->OnRequestDone(request, reply);
}

}  // namespace slotgate
