// Backend connections that belong to one client for as long as it needs them: a blocking
// command (BLPOP waits at the node and must not stall the clients behind it on a shared
// pipeline), and a WATCH (the node checks the watched keys per connection, so EXEC has to
// arrive on the connection that sent WATCH). One connection per node and protocol, opened on
// first use, without a request deadline (a blocking command's own timeout applies), and all
// closed when the client goes, which also releases whatever they were blocked on.
#pragma once

#include <functional>
#include <vector>

#include "proxy/back/backend_connection.h"
#include "proxy/back/backend_pool.h"

namespace slotgate {

class DedicatedConnections final : public BackendConnection::Owner {
 public:
  // Connections come from `pool` (which bounds and counts them). `on_closed` hears of every
  // connection that closes for a reason other than CloseAll.
  DedicatedConnections(BackendPool* pool, std::function<void(const Endpoint&)> on_closed);
  ~DedicatedConnections();
  DedicatedConnections(const DedicatedConnections&) = delete;
  DedicatedConnections& operator=(const DedicatedConnections&) = delete;

  // The client's connection to `node`, opened now if it has none (nullptr if that fails at
  // once, or the node has as many dedicated connections as the pool allows). `read_only`: a
  // replica connection, which starts with READONLY.
  BackendConnection* Get(const Endpoint& node, bool read_only, bool resp3);
  // The open connection to `node`, or nullptr: never opens one (a WATCH must not move).
  BackendConnection* Find(const Endpoint& node, bool read_only, bool resp3) const;
  void CloseAll(std::string_view why);
  bool empty() const { return connections_.empty(); }
  // The node of the latest Get: where a request that followed redirects ended up.
  const Endpoint& last_node() const { return last_node_; }

  void OnBackendClosed(BackendConnection* connection) override;
  void OnBackendConnected(BackendConnection*) override {}

 private:
  struct Entry {
    BackendConnection* connection;
    bool read_only;
    bool resp3;
  };

  BackendPool* pool_;
  std::function<void(const Endpoint&)> on_closed_;
  std::vector<Entry> connections_;  // a handful at most: a linear search is the fastest
  Endpoint last_node_;
  bool closing_all_ = false;
};

}  // namespace slotgate
