// A client's MULTI block and WATCH, kept per client as Redis keeps them per connection. Pure:
// it decides, the session carries out (a reply, WATCH sent on the client's own connection to
// the keys' node, or the block sent at EXEC), so every rule is unit-tested without sockets.
//
// The rules, in Redis's words where the meaning is Redis's:
//  - every keyed command of the block, and the keys of WATCH, hash to one slot, else
//    -CROSSSLOT, and a command refused while queuing makes EXEC answer -EXECABORT;
//  - commands that run on every node or that slotgate answers itself (but PING and ECHO)
//    cannot be queued;
//  - after WATCH the block runs where the watch is; a watch that can no longer be vouched for
//    (its connection was lost, the slot moved) makes EXEC answer a null reply, as a changed
//    watched key does.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/commands/command_info.h"
#include "common/resp/request_parser.h"
#include "config/endpoint.h"
#include "proxy/route/router.h"

namespace slotgate {

class ClientTransaction {
 public:
  struct Outcome {
    enum class Kind : uint8_t {
      kReply,      // answer `reply`
      kSendWatch,  // send WATCH (the request's own args) for `slot` on the client's connection
      kExec,       // send `commands` as one MULTI/EXEC block for `slot` (-1: no keys)
    };
    Kind kind = Kind::kReply;
    std::string reply;  // kReply: a whole RESP reply
    // The watch ended while the node still holds it: send UNWATCH there first.
    std::optional<Endpoint> unwatch_at;
    int slot = -1;
    std::vector<std::string> commands;   // kExec: each command's RESP bytes
    std::optional<Endpoint> watch_node;  // kExec: where the WATCH is, if there is one
  };

  // MULTI, EXEC, DISCARD, WATCH and UNWATCH. `resp3`: EXEC's null reply in RESP3.
  Outcome Handle(const CommandInfo& cmd, std::span<const std::string_view> args, bool resp3);
  // Any other command while in_multi(): queued (+QUEUED) or refused (an error reply, and
  // EXEC will answer -EXECABORT). `request` as parsed; `route` as routed.
  std::string Queue(const CommandInfo& cmd, const Request& request, const Route& route);
  // A command refused before it could be routed (unknown, wrong arity): inside MULTI it fails
  // the block, as in Redis.
  void Refused() { multi_failed_ = in_multi_; }
  // RESET: the block is discarded and the watch ends. Returns where to send UNWATCH, if anywhere.
  std::optional<Endpoint> Reset();

  // The WATCH sent for kSendWatch was answered; `node`: where it ended up (after redirects).
  void OnWatchAnswered(bool ok, const Endpoint& node, int slot);
  // The client's own connection to `node` closed: a watch held there cannot be vouched for.
  void OnConnectionLost(const Endpoint& node);

  bool in_multi() const { return in_multi_; }
  size_t queued() const { return commands_.size(); }
  size_t queued_bytes() const;

 private:
  std::optional<Endpoint> EndWatch(bool tell_node);
  void ResetMulti();

  bool in_multi_ = false;
  bool multi_failed_ = false;  // a command was refused while queuing: EXEC answers EXECABORT
  int multi_slot_ = -1;        // the slot every keyed command of the block must hash to
  std::vector<std::string> commands_;

  int watch_slot_ = -1;
  std::optional<Endpoint> watch_node_;  // whose connection holds the watch
  bool watch_lost_ = false;
};

}  // namespace slotgate
