#include "proxy/back/dedicated_connections.h"

#include <algorithm>

namespace slotgate {

DedicatedConnections::DedicatedConnections(BackendPool* pool,
                                           std::function<void(const Endpoint&)> on_closed)
    : pool_(pool), on_closed_(std::move(on_closed)) {}

DedicatedConnections::~DedicatedConnections() { CloseAll("client gone"); }

BackendConnection* DedicatedConnections::Find(const Endpoint& node, bool read_only,
                                              bool resp3) const {
  for (const Entry& entry : connections_) {
    if (entry.read_only == read_only && entry.resp3 == resp3 &&
        entry.connection->endpoint() == node) {
      return entry.connection;
    }
  }
  return nullptr;
}

BackendConnection* DedicatedConnections::Get(const Endpoint& node, bool read_only, bool resp3) {
  last_node_ = node;
  if (BackendConnection* open = Find(node, read_only, resp3)) return open;
  BackendConnection* connection = pool_->OpenDedicated(node, read_only, resp3, this);
  if (!connection) return nullptr;
  connections_.push_back({connection, read_only, resp3});
  return connection;
}

void DedicatedConnections::OnBackendClosed(BackendConnection* connection) {
  const auto it = std::find_if(connections_.begin(), connections_.end(),
                               [&](const Entry& e) { return e.connection == connection; });
  if (it == connections_.end()) return;  // closed inside Create
  connections_.erase(it);
  if (!closing_all_ && on_closed_) on_closed_(connection->endpoint());
}

void DedicatedConnections::CloseAll(std::string_view why) {
  closing_all_ = true;
  while (!connections_.empty()) connections_.back().connection->Close(why);
  closing_all_ = false;
}

}  // namespace slotgate
