// One client connection: reads pipelined requests, hands each to the router and dispatcher,
// and writes replies strictly in request order, batched into one write per loop turn.
//
//   socket -> in_ -> RequestParser -> CommandTable / RouteRequest -> local answer or Dispatch
//   socket <- out_ <- replies_ (in request order; replies may complete out of order behind it)
//
// Its parts live beside it: the reply order in ReplyQueue, the MULTI/WATCH rules in
// ClientTransaction, the client's order and cancellation in the engine in lane_ (ClientLane),
// subscriptions in Subscriptions.
//
// Memory is bounded: reading pauses while too many requests are pending or too many reply bytes
// wait for the socket, and resumes when they drain. The object outlives its socket until every
// request it dispatched has come back, so no backend ever answers into freed memory.
#pragma once

#include <uv.h>

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/byte_buffer.h"
#include "common/resp/request_parser.h"
#include "proxy/back/dedicated_connections.h"
#include "proxy/commands/subscriptions.h"
#include "proxy/dispatch/pending_request.h"
#include "proxy/flush_scheduler.h"
#include "proxy/front/client_transaction.h"
#include "proxy/front/reply_queue.h"
#include "proxy/stream_writer.h"
#include "proxy/route/router.h"
#include "proxy/worker_context.h"

namespace slotgate {

class ClientSession final : public ReplyWaiter, public Flushable, public PushSink {
 public:
  // Takes an accepted connection from `server`; the session deletes itself when done. Returns
  // 0, or libuv's error when there was nothing to accept after all.
  static int Accept(uv_stream_t* server, WorkerContext* context);

  void OnRequestDone(PendingRequest* request, std::string_view reply) override;
  void Flush() override;
  // A message for a subscribed client: in order behind any reply still owed.
  void Push(std::string_view frame) override;
  // Stops reading and closes the socket (pending requests still complete, unseen).
  void Close();
  // Shutdown: reads nothing more, closes once every reply already owed is written.
  void Drain();

  // Bytes this client holds in slotgate: unparsed requests, replies owed, a queued MULTI.
  size_t MemoryBytes() const;
  // CLIENT NO-EVICT ON: limits.client_memory_bytes never picks this client.
  bool no_evict() const { return no_evict_; }

  // Nothing read and nothing owed since `last_active_ms` (loop time): the idle timeout applies.
  bool IdleSince(uint64_t ms) const { return replies_.empty() && last_active_ms_ < ms; }
  uint64_t id() const { return id_; }

 private:
  explicit ClientSession(WorkerContext* context);
  ~ClientSession();

  void StartReading();
  void OnRead(ssize_t nread);
  void ProcessInput();
  void HandleRequest(const Request& request);
  void HandleTransaction(const CommandInfo& cmd, std::span<const std::string_view> args,
                         PendingRequest* pending);
  // UNWATCH on the client's own connection to `node`, where its watch is.
  void SendUnwatch(const Endpoint& node);
  // Sends `pending` (routed to one slot or any master) to the backend.
  void Send(const CommandInfo& cmd, const Request& request, const Route& route,
            PendingRequest* pending);
  DedicatedConnections* Dedicated();
  bool AllScriptsRemembered(std::span<const std::string_view> shas);
  void Subscribe(const CommandInfo& cmd, std::span<const std::string_view> args,
                 PendingRequest* pending);
  // A RESP2 client with subscriptions may only (un)subscribe, PING, QUIT and RESET.
  bool InSubscribedMode() const { return subscriptions_ && subscriptions_->active() && !resp3_; }
  size_t OutputLimit() const;
  // A new request at the back of the reply queue, in this client's lane.
  PendingRequest* NewPending();
  // Reply bytes held for this client: unwritten ones, and those done but waiting behind an
  // earlier reply (or pub/sub pushes behind an unanswered request).
  size_t OwedBytes() const { return writer_.unwritten() + replies_.held_bytes(); }
  void AnswerNow(PendingRequest* pending, std::string_view reply);
  void AnswerError(PendingRequest* pending, std::string_view error);
  // After replies were added: drop a client past its output limit, else schedule the write.
  void AfterReplies();
  void StartWrite();
  void OnWritten(int status);
  // The error that refuses `cmd` to this client (NOAUTH, NOPERM), or "" when it may run.
  std::string AccessDenied(const CommandInfo& cmd, std::span<const std::string_view> args) const;
  bool FromLoopback();
  void AfterWrite();
  void AnswerAndStopReading(std::string_view error);
  void UpdateReadPause();
  void Register();
  void Unregister();
  void UpdateRecord();
  void OnHandleClosed();
  void MaybeDelete();

  WorkerContext* context_;
  uv_tcp_t tcp_;
  uint64_t id_;
  std::string name_;
  uint64_t last_active_ms_ = 0;

  ByteBuffer in_;
  RequestParser parser_;
  Request request_;
  std::vector<uint32_t> key_positions_;

  ClientLane lane_;                    // this client's order and cancellation in the engine
  ReplyQueue replies_;
  size_t outstanding_ = 0;  // dispatched, not yet answered

  // Set while a blocking command, WATCH or WAIT is at a node: like a blocked Redis client,
  // the session reads on (to notice a disconnect) but runs nothing more until it is answered.
  PendingRequest* blocked_on_ = nullptr;
  bool processing_ = false;  // inside ProcessInput
  std::unique_ptr<DedicatedConnections> dedicated_;  // opened on first need
  std::unique_ptr<Subscriptions> subscriptions_;     // from the first (P|S)SUBSCRIBE
  bool resp3_ = false;                               // HELLO 3
  bool replies_off_ = false;                         // CLIENT REPLY OFF
  bool no_evict_ = false;                            // CLIENT NO-EVICT ON
  bool skip_next_reply_ = false;                     // CLIENT REPLY SKIP
  std::shared_ptr<ClientRecord> record_;             // what CLIENT LIST shows of this client
  ReadFrom read_from_ = ReadFrom::kMaster;  // the config's, until READONLY / READWRITE
  int last_write_slot_ = -1;  // WAIT asks the node that took the client's last write
  // Who the client is logged in as; nullptr until it authenticates (auth.users configured).
  const AclIdentity* user_ = nullptr;

  ClientTransaction transaction_;            // MULTI and WATCH
  PendingRequest* watch_request_ = nullptr;  // the WATCH in flight

  StreamWriter writer_;
  ByteBuffer& out_;  // writer_'s queue: replies in order, not yet written
  bool reading_ = false;
  bool input_stopped_ = false;  // protocol error or QUIT: parse nothing more
  bool close_when_written_ = false;
  bool closing_ = false;
  bool handle_closed_ = false;
  bool unregistered_ = false;
};

}  // namespace slotgate
