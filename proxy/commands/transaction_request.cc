#include "proxy/commands/transaction_request.h"

#include <algorithm>

#include "common/resp/redirect.h"
#include "common/resp/writer.h"
#include "proxy/back/dedicated_connections.h"
#include "proxy/dispatch/request_dispatcher.h"

namespace slotgate {
void TransactionRequest::Part::OnBackendReply(std::string_view reply, const ScannedReply& info) {
  owner->OnPartReply(index, reply, info);
}

void TransactionRequest::Part::OnBackendFailure(BackendFailure failure,
                                                std::string_view reason) {
  owner->OnPartFailure(index, failure, reason);
}

void TransactionRequest::Start(PendingRequest* parent, std::vector<std::string> commands,
                               int slot, std::optional<Endpoint> watch_node,
                               RequestDispatcher* dispatcher) {
  auto* transaction =
      new TransactionRequest(parent, std::move(commands), slot, std::move(watch_node), dispatcher);
  parent->resender = transaction;
  transaction->Send();
}

TransactionRequest::TransactionRequest(PendingRequest* parent, std::vector<std::string> commands,
                                       int slot, std::optional<Endpoint> watch_node,
                                       RequestDispatcher* dispatcher)
    : parent_(parent),
      commands_(std::move(commands)),
      slot_(slot),
      watch_node_(std::move(watch_node)),
      dispatcher_(dispatcher) {
  parts_.resize(commands_.size() + 2);
  for (size_t i = 0; i < parts_.size(); ++i) {
    parts_[i].owner = this;
    parts_[i].index = i;
  }
}

void TransactionRequest::Send() {
  // Behind an earlier parked request of the client it waits its turn (Resend comes then).
  if (dispatcher_->HoldBack(parent_)) return;
  failed_attempt_ = false;
  queue_error_.clear();
  if (watch_node_) {
    BackendConnection* watched = parent_->dedicated->Find(*watch_node_, false, parent_->resp3);
    if (!watched) return FinishWatchLost();
    return SendOn(watched, /*asking=*/false);
  }
  const Endpoint* target = ask_target_ ? &*ask_target_ : dispatcher_->MasterFor(slot_);
  if (!target) {
    dispatcher_->RequestRefresh();
    return RetryLater("CLUSTERDOWN Hash slot not served");
  }
  BackendConnection* connection = dispatcher_->ConnectionFor(*parent_, *target);
  if (!connection) return RetryLater("ERR proxy: cannot reach " + target->ToString());
  SendOn(connection, ask_target_.has_value());
}

void TransactionRequest::SendOn(BackendConnection* connection, bool asking) {
  std::string bytes;
  if (asking) {
    WriteCommand(bytes, {"ASKING"});
    connection->Send(bytes, nullptr);
    bytes.clear();
  }
  // All parts are queued on one connection in this turn, so they leave in one write.
  dispatcher_->Sent(parent_, *connection);
  WriteCommand(bytes, {"MULTI"});
  connection->Send(bytes, &parts_[0]);
  for (size_t i = 0; i < commands_.size(); ++i) connection->Send(commands_[i], &parts_[i + 1]);
  bytes.clear();
  WriteCommand(bytes, {"EXEC"});
  connection->Send(bytes, &parts_.back());
}

void TransactionRequest::OnPartReply(size_t index, std::string_view reply,
                                     const ScannedReply& info) {
  if (index + 1 < parts_.size()) {
    // MULTI's +OK and each +QUEUED are dropped; a redirect while queuing is remembered.
    if (info.first_byte == '-' && queue_error_.empty()) {
      const std::string_view code = ErrorCode(info.error_line);
      if (code == "MOVED" || code == "ASK" || code == "TRYAGAIN" || code == "CLUSTERDOWN") {
        queue_error_.assign(info.error_line);
      }
    }
    return;
  }
  dispatcher_->Returned(parent_);
  AfterExec(reply);
}

void TransactionRequest::AfterExec(std::string_view exec_reply) {
  const bool aborted = exec_reply.starts_with("-EXECABORT");
  if (!aborted || queue_error_.empty()) return Finish(exec_reply);
  // Refused as a whole while queuing: nothing ran, so it is safe to send again.
  const std::string_view code = ErrorCode(queue_error_);
  // EXEC, even refused, ended the WATCH: a second attempt would run unguarded.
  if (watch_node_) return FinishWatchLost();
  if (code == "MOVED" || code == "ASK") {
    const std::optional<Redirect> redirect = ParseRedirect(queue_error_);
    if (!redirect || ++hops_ > dispatcher_->config().limits.max_redirects) {
      return FinishWithError("ERR proxy: too many cluster redirections");
    }
    Endpoint target{std::string(redirect->host), redirect->port};
    if (target.host.empty() || target.host == "?") {
      if (const Endpoint* asked = ask_target_ ? &*ask_target_ : dispatcher_->MasterFor(slot_)) {
        target.host = asked->host;
      }
    }
    if (redirect->kind == Redirect::kMoved) {
      dispatcher_->LearnMoved(redirect->slot, target);
      ask_target_.reset();
    } else {
      dispatcher_->metrics()->ask.Add();
      ask_target_ = std::move(target);
    }
    return Send();
  }
  if (code == "CLUSTERDOWN") dispatcher_->RequestRefresh();
  ask_target_.reset();
  RetryLater(queue_error_);
}

void TransactionRequest::OnPartFailure(size_t index, BackendFailure failure,
                                       std::string_view reason) {
  if (!failed_attempt_) failure_reason_.assign(reason);
  failed_attempt_ = true;
  // The batch left in one write, so EXEC's fate is the whole transaction's. Its callback is the
  // last of the attempt (the connection fails its requests in order): decide there, once no
  // callback of this attempt can still arrive.
  if (index + 1 < parts_.size()) return;
  dispatcher_->Returned(parent_);
  dispatcher_->RequestRefresh();
  ask_target_.reset();
  if (failure != BackendFailure::kNotSent) {
    return FinishWithError("ERR proxy: " + failure_reason_ +
                           "; the transaction was sent and may have run");
  }
  RetryLater("ERR proxy: " + failure_reason_);
}

void TransactionRequest::RetryLater(std::string_view error) {
  if (dispatcher_->ParkForRetry(parent_)) return;
  FinishWithError(error);
}

void TransactionRequest::FinishWatchLost() {
  Finish(parent_->resp3 ? "_\r\n" : "*-1\r\n");
}

void TransactionRequest::FinishWithError(std::string_view text) {
  std::string reply;
  WriteError(reply, text);
  Finish(reply);
}

void TransactionRequest::Finish(std::string_view reply) {
  PendingRequest* parent = parent_;
  const std::string copy(reply);
  // Only EXEC's callback, the attempt's last, gets here: no part is referenced after this.
  delete this;
  parent->waiter->OnRequestDone(parent, copy);
}

}  // namespace slotgate
