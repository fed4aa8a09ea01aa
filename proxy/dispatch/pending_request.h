// One client request on its way through slotgate: its bytes (kept until its reply, so it can be
// re-sent after MOVED, ASK or TRYAGAIN), where it is going, and who waits for the answer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/commands/command_info.h"
#include "proxy/back/backend_connection.h"
#include "proxy/dispatch/client_lane.h"

namespace slotgate {

class DedicatedConnections;
class PendingRequest;
class RequestDispatcher;

// The session that waits for the reply. It stays alive while any of its requests is pending.
class ReplyWaiter {
 public:
  // `reply` is valid during the call only.
  virtual void OnRequestDone(PendingRequest* request, std::string_view reply) = 0;

 protected:
  ~ReplyWaiter() = default;
};

class PendingRequest final : public ReplyHandler {
 public:
  void OnBackendReply(std::string_view reply, const ScannedReply& info) override;
  void OnBackendFailure(BackendFailure failure, std::string_view reason) override;

  // Ready for reuse: strings keep their capacity, so a warm session allocates nothing.
  void Reset() {
    request.clear();
    reply.clear();
    command = nullptr;
    slot = -1;
    to_replica = false;
    resp3 = false;
    dedicated = nullptr;
    hops = 0;
    retries = 0;
    deadline_ms = 0;
    due_ms = 0;
    lane = nullptr;
    seq = 0;
    resender = nullptr;
    started_ns = 0;
    done = false;
    close_after = false;
    silent = false;
    has_redirect_target = false;
    pinned = false;
    script_reloaded = false;
    send_asking = false;
    out_of_band = false;
    waiter = nullptr;
    dispatcher = nullptr;
  }

  std::string request;  // the RESP bytes sent to the backend
  std::string reply;    // the answer, once done, while earlier requests are still pending
  const CommandInfo* command = nullptr;
  int slot = -1;  // -1: any master
  bool to_replica = false;
  bool resp3 = false;  // the client speaks RESP3: so must the backend connection
  // Set: the request goes on the client's own connection to the node (blocking commands,
  // WATCH), not on the worker's shared pipeline.
  DedicatedConnections* dedicated = nullptr;
  uint8_t hops = 0;          // MOVED/ASK redirections followed so far
  uint8_t retries = 0;       // TRYAGAIN/CLUSTERDOWN/reconnect retries so far (sets the backoff)
  uint64_t deadline_ms = 0;  // TRYAGAIN/CLUSTERDOWN/reconnect retries stop here (loop time)
  uint64_t due_ms = 0;       // parked: when it may be sent again (0: as soon as it is first)
  ClientLane* lane = nullptr;    // the client's (every request has one); parts share their parent's
  uint64_t seq = 0;              // place in the client's order (parts share the parent's)
  Resender* resender = nullptr;  // set by requests that send themselves (transactions)
  uint64_t started_ns = 0;
  bool done = false;
  bool close_after = false;  // QUIT, protocol error: close the client once this is written
  bool silent = false;       // CLIENT REPLY OFF / SKIP: the reply is not written
  ReplyWaiter* waiter = nullptr;
  RequestDispatcher* dispatcher = nullptr;
  Endpoint redirect_target;          // after ASK: where the next attempt goes
  bool has_redirect_target = false;
  bool send_asking = false;          // the next attempt is preceded by ASKING
  bool pinned = false;               // every attempt goes to redirect_target (fan-out parts)
  bool script_reloaded = false;      // NOSCRIPT already answered by loading the script
  bool out_of_band = false;          // on a one-shot connection, never retried (SCRIPT KILL)
};

}  // namespace slotgate
