// A subscribed client's channels, patterns and shard channels, and the backend connections that
// carry them. In a cluster PUBLISH reaches every node, so ordinary channels and patterns are
// subscribed at one master: the master of slot kPubSubHomeSlot, the same for every client of
// every worker, where slotgate also sends PUBLISH, so that PUBLISH's count of receivers
// (which a node reports for its own clients only) counts every subscriber. Keyspace notifications
// are raised only by the node holding the key, so `__keyspace@...` / `__keyevent@...` channels and
// patterns are subscribed at every master and their streams merged; a shard channel lives at the
// master of its slot. What the client asked for is the desired state; Repair() makes the
// connections match it, so a lost node, a failover or a moved slot is healed by the same code that
// subscribes in the first place.
//
//   client SUBSCRIBE -> desired sets -> Repair -> per-node stream connections -> confirmations
//   backend message  -> PushSink (the session, in order with its replies)
//
// slotgate writes the client's confirmations itself, with the client's own counts, once every
// node involved has confirmed, so a message published after the client saw its confirmation
// is never missed.
#pragma once

#include <uv.h>

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/commands/command_info.h"
#include "proxy/back/backend_connection.h"
#include "proxy/back/backend_pool.h"
#include "proxy/dispatch/pending_request.h"
#include "proxy/ops/worker_metrics.h"
#include "proxy/route/router.h"

namespace slotgate {

class RequestDispatcher;

// Where pushed messages go: the client session, which keeps them in order with its replies.
class PushSink {
 public:
  virtual void Push(std::string_view frame) = 0;

 protected:
  ~PushSink() = default;
};

class Subscriptions final : public BackendConnection::Owner {
 public:
  // Connections come from `pool`, which counts them.
  Subscriptions(BackendPool* pool, RequestDispatcher* dispatcher, PushSink* sink);
  ~Subscriptions();
  Subscriptions(const Subscriptions&) = delete;
  Subscriptions& operator=(const Subscriptions&) = delete;

  // SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE and their UNSUBSCRIBEs; answers `pending` (through its
  // waiter) once the nodes have confirmed. `resp3`: confirmations as pushes.
  void Handle(const CommandInfo& cmd, std::span<const std::string_view> args,
              PendingRequest* pending, bool resp3);
  // Drops every subscription and connection (RESET).
  void Clear();
  // Brings the connections in line with the desired state and the current slot table. Cheap
  // when neither changed and no connection was lost since the last call (the worker calls it
  // for every subscribed client four times a second).
  void Repair();

  // The counts Redis reports: channels + patterns, and shard channels.
  size_t count() const { return channels_.size() + patterns_.size(); }
  size_t channel_count() const { return channels_.size(); }
  size_t pattern_count() const { return patterns_.size(); }
  size_t shard_count() const { return shard_channels_.size(); }
  bool active() const { return count() + shard_count() > 0; }

  void OnBackendClosed(BackendConnection*) override {}
  void OnBackendConnected(BackendConnection*) override {}

 private:
  enum class Kind : uint8_t { kChannel, kPattern, kShard };
  using Item = std::pair<Kind, std::string>;

  // One node's stream of confirmations and messages.
  struct Link final : ReplyHandler {
    Subscriptions* owner = nullptr;
    uint64_t id = 0;
    Endpoint node;
    BackendConnection* connection = nullptr;
    std::set<Item> carried;                    // subscribed there (or on the way)
    std::multiset<std::string> unsubscribing;  // shard channels we asked to drop
    uint64_t expected = 0;                     // confirmations asked for so far
    uint64_t confirmed = 0;
    void OnBackendReply(std::string_view frame, const ScannedReply& info) override;
    void OnBackendFailure(BackendFailure failure, std::string_view reason) override;
  };
  // A client request whose reply is ready but waits for the nodes' confirmations.
  struct Waiting {
    PendingRequest* pending;
    std::string reply;
    std::vector<std::pair<uint64_t, uint64_t>> needs;  // link id -> confirmations it needs
  };

  struct EndpointLess {
    bool operator()(const Endpoint& a, const Endpoint& b) const {
      return a.port != b.port ? a.port < b.port : a.host < b.host;
    }
  };
  std::map<Endpoint, std::vector<Item>, EndpointLess> Desired();
  const Endpoint* Home();
  Link* LinkTo(const Endpoint& node);
  void Send(Link& link, std::string_view command, const std::vector<std::string>& names);
  void OnFrame(Link& link, std::string_view frame);
  void OnLinkLost(Link& link);
  void AnswerReady();
  std::set<std::string>& SetOf(Kind kind);

  BackendPool* pool_;
  RequestDispatcher* dispatcher_;
  PushSink* sink_;
  bool resp3_ = false;

  std::set<std::string> channels_;
  std::set<std::string> patterns_;
  std::set<std::string> shard_channels_;
  std::optional<Endpoint> home_;
  std::shared_ptr<const SlotTable> repaired_for_;  // the table of the last complete repair
  bool needs_repair_ = true;  // a link was lost or a node dropped a channel since then

  std::map<uint64_t, std::unique_ptr<Link>> links_;
  uint64_t next_link_id_ = 1;
  std::deque<Waiting> waiting_;
  bool tearing_down_ = false;
};

}  // namespace slotgate
