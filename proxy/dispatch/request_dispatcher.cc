#include "proxy/dispatch/request_dispatcher.h"

#include <algorithm>
#include <iterator>

#include "common/commands/command_policy.h"
#include "common/errors.h"
#include "common/resp/redirect.h"
#include "common/resp/writer.h"
#include "proxy/back/dedicated_connections.h"
#include "proxy/commands/script_reload.h"

namespace slotgate {
namespace {

constexpr uint64_t kFirstBackoffMs = 10;
constexpr uint64_t kMaxBackoffMs = 250;
// What a cancelled request completes with; its client is gone, so nobody reads it.
constexpr std::string_view kClientGone = "ERR proxy: client closed the connection";

std::string_view ErrorCodeOf(const ScannedReply& info) {
  return info.first_byte == '-' ? ErrorCode(info.error_line) : std::string_view();
}

}  // namespace

void PendingRequest::OnBackendReply(std::string_view bytes, const ScannedReply& info) {
  dispatcher->OnReply(this, bytes, info);
}

void PendingRequest::OnBackendFailure(BackendFailure failure, std::string_view reason) {
  dispatcher->OnFailure(this, failure, reason);
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
  while (!due_.empty()) {
    ClientLane* lane = due_.begin()->second;
    Unfile(lane);
    while (!lane->parked.empty()) {
      PendingRequest* request = lane->parked.front();
      lane->parked.pop_front();
      Abandon(request, "ERR proxy: shutting down");
    }
  }
  uv_timer_stop(timer_);
  uv_close(reinterpret_cast<uv_handle_t*>(timer_),
           [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
}

const Endpoint* RequestDispatcher::Target(PendingRequest* request) {
  if (request->pinned && request->slot >= 0) {
    // A master's part of a fan-out follows the master's keys when another master (its
    // promoted replica) took over its slots since the plan.
    const Shard* owner = table_->ShardForSlot(static_cast<uint16_t>(request->slot));
    if (owner && owner->master != request->redirect_target) request->redirect_target = owner->master;
  }
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
  if (HoldBack(request)) return;
  Send(request);
}

void RequestDispatcher::SetTable(std::shared_ptr<const SlotTable> table) {
  if (table != table_) ++route_generation_;
  table_ = std::move(table);
}

bool RequestDispatcher::HoldBack(PendingRequest* request) {
  request->dispatcher = this;
  const ClientLane* lane = request->lane;
  if (!lane) return false;
  // An earlier request of this client waits: this one may not overtake it. A request earlier
  // than everything parked (a redirect of one sent before them) goes ahead, unless the table
  // changed under the client's requests at nodes.
  const bool behind = !lane->parked.empty() && lane->parked.front()->seq <= request->seq;
  if (!lane->cancelled && !behind && !MustWaitForQuiet(*lane)) return false;
  // Time spent waiting behind counts against the request's own retry budget, so a pipeline
  // stuck behind a failing request fails within one redirect deadline, not one per request.
  if (request->deadline_ms == 0) {
    request->deadline_ms = uv_now(loop_) + config_.timeouts.redirect_deadline_ms;
  }
  Park(request, 0);  // or, for a cancelled client, finished unsent
  return true;
}

void RequestDispatcher::Send(PendingRequest* request) {
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
  const bool wait = request->command && request->command->kind == CommandKind::kWait;
  BackendConnection* connection =
      wait ? ConnectionForWait(*request, *target) : ConnectionFor(*request, *target, read_only);
  if (!connection && read_only) {
    request->to_replica = false;  // the replica cannot be reached: its master serves the read
    return Send(request);
  }
  if (!connection) {
    if (request->dedicated && pool_->DedicatedFull(*target)) {
      // Waiting would not help: those clients are blocked, watching or subscribed for long.
      scratch_ = "ERR proxy: too many clients hold connections of their own to " +
                 target->ToString() + " (limits.dedicated_connections_per_node)";
      return CompleteWithError(request, scratch_);
    }
    scratch_ = "ERR proxy: cannot reach " + target->ToString();
    if (request->out_of_band) return CompleteWithError(request, scratch_);
    RetryOrFail(request, scratch_);
    return;
  }
  if (request->send_asking) {
    scratch_.clear();
    WriteCommand(scratch_, {"ASKING"});
    connection->Send(scratch_, nullptr);
  }
  Sent(request, *connection);
  connection->Send(request->request, request);
  if (wait) {
    // Until the WAIT is answered, the other clients' requests go on another connection; those
    // with requests queued on this one wait for them first.
    pool_->TakeOutOfRotation(connection);
    ++route_generation_;
  }
}

void RequestDispatcher::Sent(PendingRequest* request, const BackendConnection& connection) {
  ClientLane* lane = request->lane;
  if (!lane) return;
  if (lane->at_nodes++ == 0) lane->sent_generation = route_generation_;
  const bool may_write = !request->command || !request->command->Has(kCmdReadonly);
  if (request->slot >= 0 && may_write) lane->last_write_on = connection.serial();
}

BackendConnection* RequestDispatcher::ConnectionForWait(const PendingRequest& request,
                                                        const Endpoint& node) {
  if (request.lane) {
    BackendConnection* last = pool_->Find(request.lane->last_write_on);
    if (last && last->endpoint() == node) return last;
  }
  // That connection is gone (or never was): WAIT counts from this one's writes.
  return ConnectionFor(request, node);
}

void RequestDispatcher::Returned(PendingRequest* request) {
  ClientLane* lane = request->lane;
  // Quiet again: what waited for it goes on the next loop turn (the lane is alive now; a
  // client that goes away cancels it, which takes it off the timer).
  if (lane && --lane->at_nodes == 0 && !lane->parked.empty() && !lane->cancelled) File(lane);
}

void RequestDispatcher::SendAgain(PendingRequest* request) {
  if (request->resender) return request->resender->Resend(request);
  Send(request);
}

void RequestDispatcher::OnReply(PendingRequest* request, std::string_view reply,
                                const ScannedReply& info) {
  // Script commands: learn scripts, and reload one a node lost (NOSCRIPT); see script_reload.h.
  if (scripts_ && request->command && request->command->Has(kCmdNoscript) &&
      OnScriptReply(*scripts_, this, request, reply, info, [&] { return Target(request); })) {
    return;  // sent again, so still at a node
  }
  Returned(request);
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

void RequestDispatcher::OnFailure(PendingRequest* request, BackendFailure failure,
                                  std::string_view reason) {
  Returned(request);
  // Its connection drains: the client's next requests go on another one.
  if (failure == BackendFailure::kTimedOut) ++route_generation_;
  metrics_->backend_failures.Add();
  request_refresh_();
  const bool read_only = request->command && request->command->Has(kCmdReadonly);
  const bool may_have_run = failure != BackendFailure::kNotSent && !read_only;
  scratch_ = "ERR proxy: ";
  scratch_.append(reason);
  if (may_have_run) scratch_.append("; the request was sent and may have run");
  // Never sent twice. A timed-out request would wait as long again; a kill is asked once.
  if (may_have_run || failure == BackendFailure::kTimedOut || request->out_of_band) {
    return CompleteWithError(request, scratch_);
  }
  request->has_redirect_target = request->pinned;
  request->send_asking = false;
  request->to_replica = false;  // a replica read that failed is retried on the master
  RetryOrFail(request, scratch_);
}

void RequestDispatcher::RetryOrFail(PendingRequest* request, std::string_view error) {
  if (ParkForRetry(request)) return;
  CompleteWithError(request, error);
}

bool RequestDispatcher::ParkForRetry(PendingRequest* request) {
  const uint64_t now = uv_now(loop_);
  if (request->deadline_ms == 0) request->deadline_ms = now + config_.timeouts.redirect_deadline_ms;
  if (now >= request->deadline_ms) return false;
  metrics_->retries.Add();
  const uint64_t delay = std::min(kFirstBackoffMs << std::min<uint8_t>(request->retries, 5),
                                  kMaxBackoffMs);
  if (request->retries < 255) ++request->retries;
  Park(request, std::min(now + delay, request->deadline_ms));
  return true;
}

void RequestDispatcher::Park(PendingRequest* request, uint64_t due_ms) {
  ClientLane* lane = request->lane;
  // Its client went away (perhaps while it was at a node): it is not sent again.
  if (lane->cancelled) return Abandon(request, kClientGone);
  request->due_ms = due_ms;
  auto at = lane->parked.end();
  while (at != lane->parked.begin() && (*std::prev(at))->seq > request->seq) --at;
  lane->parked.insert(at, request);
  File(lane);
}

void RequestDispatcher::File(ClientLane* lane) {
  Unfile(lane);
  if (lane->parked.empty()) return;
  // Never 0: that marks a lane that is not filed.
  lane->filed_due_ms = std::max<uint64_t>(1, lane->parked.front()->due_ms);
  due_.emplace(lane->filed_due_ms, lane);
  ArmTimer();
}

void RequestDispatcher::Unfile(ClientLane* lane) {
  if (lane->filed_due_ms == 0) return;
  due_.erase({lane->filed_due_ms, lane});
  lane->filed_due_ms = 0;
}

void RequestDispatcher::Release(ClientLane* lane) {
  Unfile(lane);
  const uint64_t now = uv_now(loop_);
  // Each send may park the request again (at the front, by its seq) with a later due time.
  while (!lane->parked.empty() && lane->parked.front()->due_ms <= now) {
    // Returned() files the lane again once its requests at nodes are back.
    if (MustWaitForQuiet(*lane)) return;
    PendingRequest* request = lane->parked.front();
    lane->parked.pop_front();
    SendAgain(request);
  }
  File(lane);
}

void RequestDispatcher::Cancel(ClientLane* lane) {
  lane->cancelled = true;
  Unfile(lane);
  while (!lane->parked.empty()) {
    PendingRequest* request = lane->parked.front();
    lane->parked.pop_front();
    Abandon(request, kClientGone);
  }
}

void RequestDispatcher::Abandon(PendingRequest* request, std::string_view why) {
  if (request->resender) return request->resender->Abandon(request, why);
  CompleteWithError(request, why);
}

BackendConnection* RequestDispatcher::ConnectionFor(const PendingRequest& request,
                                                    const Endpoint& node, bool read_only) {
  if (request.out_of_band) return pool_->OutOfBand(node, read_only);
  if (request.dedicated) return request.dedicated->Get(node, read_only, request.resp3);
  return pool_->Get(node, request.lane ? request.lane->client_id : 0, read_only, request.resp3);
}

const Endpoint* RequestDispatcher::MasterFor(int slot) {
  if (slot < 0) {
    const std::vector<uint16_t>& serving = table_->serving();
    if (serving.empty()) return nullptr;
    next_master_ = (next_master_ + 1) % serving.size();
    return &table_->shards()[serving[next_master_]].master;
  }
  const Shard* shard = table_->ShardForSlot(static_cast<uint16_t>(slot));
  return shard ? &shard->master : nullptr;
}

void RequestDispatcher::LearnMoved(uint16_t slot, const Endpoint& master) {
  metrics_->moved.Add();
  SetTable(table_->WithSlotMoved(slot, master));
  request_refresh_();
}

void RequestDispatcher::ArmTimer() {
  if (due_.empty()) return;
  const uint64_t now = uv_now(loop_);
  const uint64_t due = due_.begin()->first;
  uv_timer_start(
      timer_, [](uv_timer_t* t) { static_cast<RequestDispatcher*>(t->data)->OnTimer(); },
      due > now ? due - now : 0, 0);
}

void RequestDispatcher::OnTimer() {
  const uint64_t now = uv_now(loop_);
  while (!due_.empty() && due_.begin()->first <= now) Release(due_.begin()->second);
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
