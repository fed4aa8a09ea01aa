#include "proxy/back/dedicated_connections.h"

#include <algorithm>

namespace slotgate {

DedicatedConnections::DedicatedConnections(uv_loop_t* loop, FlushScheduler* scheduler,
                                           BackendOptions options, RelaxedCounter* open_gauge,
                                           std::function<void(const Endpoint&)> on_closed)
    : loop_(loop),
      scheduler_(scheduler),
      options_(options),
      open_gauge_(open_gauge),
      on_closed_(std::move(on_closed)) {
  options_.request_timeout_ms = 0;
}

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
  BackendOptions options = options_;
  options.read_only = read_only;
  options.resp3 = resp3;
  BackendConnection* connection = BackendConnection::Create(loop_, scheduler_, node, options, this);
  if (connection->closing()) return nullptr;
  connections_.push_back({connection, read_only, resp3});
  open_gauge_->Add();
  return connection;
}

void DedicatedConnections::OnBackendClosed(BackendConnection* connection) {
  const auto it = std::find_if(connections_.begin(), connections_.end(),
                               [&](const Entry& e) { return e.connection == connection; });
  if (it == connections_.end()) return;  // closed inside Create
  connections_.erase(it);
  open_gauge_->Sub();
  if (!closing_all_ && on_closed_) on_closed_(connection->endpoint());
}

void DedicatedConnections::CloseAll(std::string_view why) {
  closing_all_ = true;
  while (!connections_.empty()) connections_.back().connection->Close(why);
  closing_all_ = false;
}

}  // namespace slotgate
