// EXEC of a transaction whose commands all hash to one slot: MULTI, the queued commands and
// EXEC go to the slot's owner in one write on one connection, and EXEC's reply is the client's.
// A transaction refused as a whole while queuing (a queued command answered MOVED or ASK, so
// EXEC answers EXECABORT) has not run: it is sent again, whole, to the right node (after ASK,
// ASKING first, which Redis keeps for the whole MULTI block). TRYAGAIN and CLUSTERDOWN while
// queuing are retried with backoff within the redirect deadline. Deletes itself when done.
// After WATCH the block must go on the client's own connection that sent WATCH, and nowhere
// else: if that connection is gone or the slot moved away, the watched keys can no longer be
// vouched for, and EXEC answers a null reply, as Redis does when a watched key changed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "proxy/dispatch/pending_request.h"

namespace slotgate {

class RequestDispatcher;

class TransactionRequest final : public Resender {
 public:
  // `commands`: each queued command's RESP bytes. `slot`: -1 when no command has keys.
  // `watch_node`: where the client's WATCH went (on parent->dedicated), if it sent one.
  static void Start(PendingRequest* parent, std::vector<std::string> commands, int slot,
                    std::optional<Endpoint> watch_node, RequestDispatcher* dispatcher);

  // The engine releases the parked transaction (its parent request): the block goes again.
  void Resend(PendingRequest*) override { Send(); }
  void Abandon(PendingRequest*, std::string_view why) override { FinishWithError(why); }

 private:
  // One reply of the batch: MULTI's, a queued command's, or EXEC's.
  struct Part final : ReplyHandler {
    TransactionRequest* owner = nullptr;
    size_t index = 0;
    void OnBackendReply(std::string_view reply, const ScannedReply& info) override;
    void OnBackendFailure(BackendFailure failure, std::string_view reason) override;
  };

  TransactionRequest(PendingRequest* parent, std::vector<std::string> commands, int slot,
                     std::optional<Endpoint> watch_node, RequestDispatcher* dispatcher);
  void FinishWatchLost();
  void Send();
  void SendOn(BackendConnection* connection, bool asking);
  void OnPartReply(size_t index, std::string_view reply, const ScannedReply& info);
  void OnPartFailure(size_t index, BackendFailure failure, std::string_view reason);
  void AfterExec(std::string_view exec_reply);
  void RetryLater(std::string_view error);
  void Finish(std::string_view reply);
  void FinishWithError(std::string_view text);

  PendingRequest* parent_;
  std::vector<std::string> commands_;
  int slot_;
  std::optional<Endpoint> watch_node_;
  RequestDispatcher* dispatcher_;
  std::vector<Part> parts_;  // MULTI, each command, EXEC
  bool failed_attempt_ = false;  // the connection failed during this attempt
  std::string failure_reason_;
  std::optional<Endpoint> ask_target_;
  std::string queue_error_;  // first MOVED/ASK/TRYAGAIN/CLUSTERDOWN seen while queuing
  uint8_t hops_ = 0;
};

}  // namespace slotgate
