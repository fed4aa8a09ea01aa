// One client's place in the request engine. Redis runs one connection's commands in the order
// they were sent; through slotgate a client's requests spread over nodes, retries and
// backoffs, so the engine keeps that promise here: a request that must wait parks in its
// client's lane, every later request of that client parks behind it, and they leave in the
// order the client sent them. A client that goes away cancels its lane: nothing parked is sent.
//
// When where a client's next request goes may change (a new slot table, a connection taken
// out of rotation) while it has requests at nodes, its next requests wait until those are
// back: an earlier request still at the old owner (to be redirected), or queued on the old
// connection, must not be overtaken by a later one sent another way.
#pragma once

#include <cstdint>
#include <deque>
#include <string_view>

namespace slotgate {

class PendingRequest;

struct ClientLane {
  std::deque<PendingRequest*> parked;  // ascending PendingRequest::seq
  uint64_t client_id = 0;              // picks the client's shared connection to each node
  uint64_t next_seq = 1;               // the next request's place in the client's order
  uint64_t filed_due_ms = 0;           // the due time the engine files this lane under; 0: none
  uint32_t at_nodes = 0;               // requests sent and not yet back
  uint64_t sent_generation = 0;        // the engine's route generation when at_nodes left 0
  // The shared connection (its serial) that carried the client's last request that may write:
  // WAIT counts the replicas that caught up with that connection's writes.
  uint64_t last_write_on = 0;
  bool cancelled = false;
};

// Sends a parked request again when the engine releases it. A plain request has none (the
// engine sends it itself); a transaction re-sends its whole block.
class Resender {
 public:
  virtual void Resend(PendingRequest* request) = 0;
  // The client went away (or slotgate is stopping): finish it without sending it, with `why`
  // (the text of an error reply).
  virtual void Abandon(PendingRequest* request, std::string_view why) = 0;

 protected:
  ~Resender() = default;
};

}  // namespace slotgate
