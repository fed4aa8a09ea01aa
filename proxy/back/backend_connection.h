// One pipelined TCP connection to a Redis node, shared by many clients of one worker.
// Requests go out in order and replies come back in order, so a FIFO of in-flight requests
// matches each reply to its receiver; the entry is popped before the receiver runs, so a
// receiver may send again (a redirect) or close the connection from inside its callback.
//
// A request past the deadline is answered kTimedOut on its own; the connection then drains:
// its owner hands it no new request, the requests behind the slow one keep their replies as
// they come, late replies to timed-out requests are read and dropped, and it closes once no
// request on it waits for an answer (each has its own deadline, so that is bounded).
#pragma once

#include <uv.h>

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "common/byte_buffer.h"
#include "common/resp/reply_scanner.h"
#include "config/config.h"
#include "proxy/flush_scheduler.h"
#include "proxy/ops/worker_metrics.h"
#include "proxy/stream_writer.h"

namespace slotgate {

// Why a request got no reply.
enum class BackendFailure : uint8_t {
  kNotSent,   // its bytes never reached the socket: sending it elsewhere is safe
  kLost,      // sent, then the connection was lost: the node may have run it
  kTimedOut,  // sent, and no reply within the request deadline: it may still be running
};

// Receives the reply to one request, or its failure. Must stay alive until one of the two runs.
class ReplyHandler {
 public:
  // `reply` is a view into the connection's buffer, valid during the call only.
  virtual void OnBackendReply(std::string_view reply, const ScannedReply& info) = 0;
  virtual void OnBackendFailure(BackendFailure failure, std::string_view reason) = 0;

 protected:
  ~ReplyHandler() = default;
};

struct BackendOptions {
  uint32_t connect_timeout_ms = 1000;
  uint32_t request_timeout_ms = 5000;  // 0: none (dedicated connections of blocked clients)
  bool read_only = false;              // replica reads: send READONLY first
  bool resp3 = false;                  // for RESP3 clients: send HELLO 3 first
  bool one_shot = false;               // closes itself once its requests are answered (out of band)
  // Past this many unwritten bytes new requests are refused (kNotSent) until it drains.
  uint64_t max_queued_bytes = 64ull << 20;
  // Sent first on every connection (AUTH, or HELLO 3 AUTH); nullptr or no password: none.
  const BackendCredentials* credentials = nullptr;
  const std::vector<NodeCredentials>* node_credentials = nullptr;  // override it per node
  RelaxedCounter* auth_failures = nullptr;  // counts nodes refusing the credentials
};

class BackendConnection final : public Flushable {
 public:
  class Owner {
   public:
    // The connection is closing: forget it. It deletes itself once libuv is done with it.
    virtual void OnBackendClosed(BackendConnection* connection) = 0;
    virtual void OnBackendConnected(BackendConnection* connection) = 0;
    // Nothing waits on it any more (only for an owner that asked, with NotifyWhenIdle).
    virtual void OnBackendIdle(BackendConnection*) {}

   protected:
    ~Owner() = default;
  };

  static BackendConnection* Create(uv_loop_t* loop, FlushScheduler* scheduler,
                                   const Endpoint& endpoint, const BackendOptions& options,
                                   Owner* owner);

  // Queues one whole RESP request; its reply goes to `handler` (nullptr: the reply is read and
  // dropped, for ASKING and READONLY). Bytes go out at the end of the loop turn.
  void Send(std::string_view request, ReplyHandler* handler);
  // Idempotent. Fails every request still in flight with `why`.
  void Close(std::string_view why);
  // From now on every frame read (replies and pushes alike) goes to `handler`, which is told
  // of the close too: a subscribed connection has no request/reply order to keep. Call before
  // sending anything.
  void StreamTo(ReplyHandler* handler) { stream_handler_ = handler; }

  // Once nothing waits on it, the owner hears OnBackendIdle (once). The pool takes a connection
  // a WAIT blocks out of rotation, and back into use when the WAIT is answered.
  void NotifyWhenIdle();
  // Takes no new requests and closes once nothing waits on it (a close on purpose, not a
  // failure of the node: see draining()).
  void Drain();

  const Endpoint& endpoint() const { return endpoint_; }
  // Unique in the process, never reused: names a connection that may have closed since.
  uint64_t serial() const { return serial_; }
  bool closing() const { return closing_; }
  // A request on it timed out, or its owner drains it: it takes no new work and closes once
  // nothing waits on it.
  bool draining() const { return draining_; }

  void Flush() override;

 private:
  // Checks the answer to AUTH (or HELLO 3): a node that refuses slotgate's credentials would
  // refuse every request after it, so the connection closes with the node's reason instead.
  class SetupCheck final : public ReplyHandler {
   public:
    explicit SetupCheck(BackendConnection* connection) : connection_(connection) {}
    void OnBackendReply(std::string_view reply, const ScannedReply& info) override;
    void OnBackendFailure(BackendFailure, std::string_view) override {}

   private:
    BackendConnection* connection_;
  };

  struct InFlight {
    ReplyHandler* handler;  // nullptr: drop the reply (setup commands, timed-out requests)
    uint64_t queued_at_ms;
    bool sent;
  };

  BackendConnection(uv_loop_t* loop, FlushScheduler* scheduler, Endpoint endpoint,
                    BackendOptions options, Owner* owner);
  ~BackendConnection();  // only the last close callback deletes

  void Connect();
  void OnResolved(int status, const sockaddr* address);
  void OnConnected(int status);
  void OnRead(ssize_t nread);
  void HandleReplies();
  void OnWritten(int status);
  void OnTimer();
  void ExpireOverdue();
  void CloseIfDrained();
  void StartWrite();
  void OnHandleClosed();
  void SendSetup();
  void RefuseSetup(std::string_view error);

  uv_loop_t* loop_;
  FlushScheduler* scheduler_;
  Endpoint endpoint_;
  BackendOptions options_;
  Owner* owner_;
  const uint64_t serial_;

  uv_tcp_t tcp_;
  uv_connect_t connect_req_;
  uv_getaddrinfo_t resolve_req_;
  uv_timer_t timer_;  // connect deadline, then the oldest request's deadline
  int open_handles_ = 0;

  bool connected_ = false;
  bool closing_ = false;
  bool resolving_ = false;
  bool draining_ = false;
  bool notify_idle_ = false;
  bool setup_refused_ = false;  // every request on it was refused unrun: kNotSent
  SetupCheck setup_check_{this};
  StreamWriter writer_;
  ByteBuffer in_;
  ReplyScanner scanner_;
  std::deque<InFlight> in_flight_;
  size_t unsent_ = 0;   // trailing entries of in_flight_ whose bytes are still in out_
  size_t waiting_ = 0;  // entries of in_flight_ with a handler
  std::string close_reason_;
  ReplyHandler* stream_handler_ = nullptr;
};

}  // namespace slotgate
