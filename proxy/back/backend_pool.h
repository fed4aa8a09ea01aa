// A worker's connections to the cluster's nodes, every kind of them, so that one place sets
// them up (timeouts, keepalive) and bounds them:
//  - shared: a few pipelined connections per node (or per node and role: replica connections
//    carry READONLY, master ones never do), opened on first use and replaced when they close
//    or a WAIT blocks one (it comes back as a spare once answered).
//    A node that just refused a connection is not dialled again before a backoff delay, so a
//    dead node costs one failed connect per delay, not one per request;
//  - dedicated: a connection one client holds (a blocking command, a WATCH, subscriptions),
//    without a request deadline, at most `dedicated_per_node` per node;
//  - out of band: one request that must not queue behind others, then closed.
#pragma once

#include <uv.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "proxy/back/backend_connection.h"
#include "proxy/ops/worker_metrics.h"

namespace slotgate {

struct BackendPoolOptions {
  BackendOptions connection;
  uint32_t connections_per_node = 1;
  uint32_t dedicated_per_node = 5000;
  uint32_t reconnect_backoff_min_ms = 10;
  uint32_t reconnect_backoff_max_ms = 1000;
  RelaxedCounter* open_gauge = nullptr;  // kept equal to the number of open connections
  RelaxedCounter* dedicated_gauge = nullptr;  // and of open dedicated ones
};

class BackendPool final : public BackendConnection::Owner {
 public:
  BackendPool(uv_loop_t* loop, FlushScheduler* scheduler, BackendPoolOptions options);
  ~BackendPool();
  BackendPool(const BackendPool&) = delete;
  BackendPool& operator=(const BackendPool&) = delete;

  // A connection to `node`, or nullptr while the node is in reconnect backoff. With several
  // connections per node, `affinity` (a client's id) picks one, always the same for a client
  // while it is open, so the node runs that client's requests in the order they were sent.
  // RESP3 clients' requests go on connections of their own, since replies are encoded per
  // connection. A draining connection (a request on it timed out) is never returned.
  BackendConnection* Get(const Endpoint& node, uint64_t affinity, bool read_only = false,
                         bool resp3 = false);
  // A new connection to `node` for one request that must not queue behind others (SCRIPT KILL
  // to a node busy with a script); it closes once answered. Ignores the reconnect backoff: the
  // node may be busy, not down. nullptr if it fails at once.
  BackendConnection* OutOfBand(const Endpoint& node, bool read_only);
  // A connection for `owner` alone, which closes it when done and hears of its closing (the
  // pool forwards both callbacks). nullptr when it fails at once, or when `node` already has
  // `dedicated_per_node` of them (DedicatedFull says so).
  BackendConnection* OpenDedicated(const Endpoint& node, bool read_only, bool resp3,
                                   BackendConnection::Owner* owner);
  bool DedicatedFull(const Endpoint& node) const;
  // The shared connection `serial` names, while it is open and takes requests (even out of
  // rotation); nullptr otherwise.
  BackendConnection* Find(uint64_t serial) const;
  // A request on `connection` blocks it (WAIT): new requests go to another connection, and
  // once it is answered `connection` is kept as a spare, the next one Get opens.
  void TakeOutOfRotation(BackendConnection* connection);
  // Closes every connection (failing what is in flight).
  void CloseAll(std::string_view why);
  void OnBackendClosed(BackendConnection* connection) override;
  void OnBackendConnected(BackendConnection* connection) override;
  void OnBackendIdle(BackendConnection* connection) override;

 private:
  struct Node {
    // connections_per_node places, nullptr where none is open.
    std::vector<BackendConnection*> connections;
    // Open, idle, out of rotation: taken before a new connection is opened. At most
    // connections_per_node, so a burst of WAITs leaves no lasting crowd.
    std::vector<BackendConnection*> spares;
    uint64_t retry_at_ms = 0;  // no new connection before this
    uint32_t backoff_ms = 0;  // 0 after a success: the next failure waits the minimum
  };
  struct NodeKey {
    Endpoint endpoint;
    bool read_only;
    bool resp3;
    bool operator==(const NodeKey&) const = default;
  };
  struct EndpointHash {
    size_t operator()(const Endpoint& e) const {
      return std::hash<std::string>{}(e.host) ^ (size_t{e.port} << 1);
    }
  };
  struct NodeKeyHash {
    size_t operator()(const NodeKey& k) const {
      return std::hash<std::string>{}(k.endpoint.host) ^ (size_t{k.endpoint.port} << 1) ^
             size_t{k.read_only} ^ (size_t{k.resp3} << 2);
    }
  };
  Node& NodeFor(const Endpoint& endpoint, bool read_only, bool resp3);
  void BackOff(Node& node);
  void CountOpen(int64_t change);

  uv_loop_t* loop_;
  FlushScheduler* scheduler_;
  BackendPoolOptions options_;
  std::unordered_map<NodeKey, Node, NodeKeyHash> nodes_;
  // Every open pooled connection, draining ones included; nodes_ never erases: stable.
  std::unordered_map<BackendConnection*, Node*> owners_;
  std::vector<BackendConnection*> out_of_band_;
  struct Dedicated {
    BackendConnection::Owner* owner;
    Endpoint node;
  };
  std::unordered_map<BackendConnection*, Dedicated> dedicated_;
  std::unordered_map<Endpoint, uint32_t, EndpointHash> dedicated_per_node_;
  size_t open_ = 0;
};

}  // namespace slotgate
