#include "proxy/back/backend_pool.h"

#include <algorithm>

namespace slotgate {

BackendPool::BackendPool(uv_loop_t* loop, FlushScheduler* scheduler, BackendPoolOptions options)
    : loop_(loop), scheduler_(scheduler), options_(options) {}

BackendPool::~BackendPool() { CloseAll("shutting down"); }

BackendPool::Node& BackendPool::NodeFor(const Endpoint& endpoint, bool read_only, bool resp3) {
  // Look up by reference first: building a NodeKey copies the host, so only a new node pays it.
  for (auto& [key, node] : nodes_) {
    if (key.read_only == read_only && key.resp3 == resp3 && key.endpoint == endpoint) return node;
  }
  return nodes_[NodeKey{endpoint, read_only, resp3}];
}

BackendConnection* BackendPool::Get(const Endpoint& node, uint64_t affinity, bool read_only,
                                     bool resp3) {
  Node& entry = NodeFor(node, read_only, resp3);
  if (entry.connections.empty()) entry.connections.assign(options_.connections_per_node, nullptr);
  BackendConnection*& mine = entry.connections[affinity % entry.connections.size()];
  // A draining connection stays open (and counted in owners_) until its last reply; a new
  // one takes its place.
  if (mine && mine->draining()) mine = nullptr;
  if (mine) return mine;
  if (!entry.spares.empty()) {
    mine = entry.spares.back();
    entry.spares.pop_back();
    return mine;
  }
  if (uv_now(loop_) < entry.retry_at_ms) {
    // Nothing of this client is on its closed connection any more: another one will do.
    for (BackendConnection* open : entry.connections) {
      if (open && !open->draining()) return open;
    }
    return nullptr;
  }
  BackendOptions options = options_.connection;
  options.read_only = read_only;
  options.resp3 = resp3;
  BackendConnection* connection =
      BackendConnection::Create(loop_, scheduler_, node, options, this);
  // Create may fail synchronously (an unusable address) and close at once.
  if (connection->closing()) return nullptr;
  mine = connection;
  owners_[connection] = &entry;
  CountOpen(1);
  return connection;
}

BackendConnection* BackendPool::OutOfBand(const Endpoint& node, bool read_only) {
  BackendOptions options = options_.connection;
  options.read_only = read_only;
  options.one_shot = true;
  BackendConnection* connection = BackendConnection::Create(loop_, scheduler_, node, options, this);
  if (connection->closing()) return nullptr;
  out_of_band_.push_back(connection);
  CountOpen(1);
  return connection;
}

BackendConnection* BackendPool::OpenDedicated(const Endpoint& node, bool read_only, bool resp3,
                                               BackendConnection::Owner* owner) {
  if (DedicatedFull(node)) return nullptr;
  BackendOptions options = options_.connection;
  options.read_only = read_only;
  options.resp3 = resp3;
  options.request_timeout_ms = 0;  // a blocking command's own timeout applies
  BackendConnection* connection = BackendConnection::Create(loop_, scheduler_, node, options, this);
  if (connection->closing()) return nullptr;
  dedicated_.emplace(connection, Dedicated{owner, node});
  ++dedicated_per_node_[node];
  if (options_.dedicated_gauge) options_.dedicated_gauge->Add();
  return connection;
}

bool BackendPool::DedicatedFull(const Endpoint& node) const {
  const auto count = dedicated_per_node_.find(node);
  return count != dedicated_per_node_.end() && count->second >= options_.dedicated_per_node;
}

BackendConnection* BackendPool::Find(uint64_t serial) const {
  for (const auto& [connection, node] : owners_) {
    if (connection->serial() == serial) {
      return connection->closing() || connection->draining() ? nullptr : connection;
    }
  }
  return nullptr;
}

void BackendPool::TakeOutOfRotation(BackendConnection* connection) {
  const auto owner = owners_.find(connection);
  if (owner == owners_.end()) return;
  Node& entry = *owner->second;
  std::replace(entry.connections.begin(), entry.connections.end(), connection,
               static_cast<BackendConnection*>(nullptr));
  std::erase(entry.spares, connection);
  connection->NotifyWhenIdle();
}

void BackendPool::OnBackendIdle(BackendConnection* connection) {
  const auto owner = owners_.find(connection);
  if (owner == owners_.end()) return;
  Node& entry = *owner->second;
  if (entry.spares.size() < options_.connections_per_node) {
    entry.spares.push_back(connection);
  } else {
    connection->Drain();
  }
}

void BackendPool::OnBackendClosed(BackendConnection* connection) {
  if (std::erase(out_of_band_, connection) > 0) {
    CountOpen(-1);
    return;
  }
  if (const auto it = dedicated_.find(connection); it != dedicated_.end()) {
    const Dedicated entry = it->second;
    dedicated_.erase(it);
    if (--dedicated_per_node_[entry.node] == 0) dedicated_per_node_.erase(entry.node);
    if (options_.dedicated_gauge) options_.dedicated_gauge->Sub();
    entry.owner->OnBackendClosed(connection);
    return;
  }
  const auto owner = owners_.find(connection);
  if (owner == owners_.end()) {
    // Closed inside Create, before it was registered: count it as a failed attempt.
    if (!connection->draining()) BackOff(NodeFor(connection->endpoint(), false, false));
    return;
  }
  Node& entry = *owner->second;
  std::replace(entry.connections.begin(), entry.connections.end(), connection,
               static_cast<BackendConnection*>(nullptr));
  std::erase(entry.spares, connection);
  // A drained connection closed on purpose: the node is slow, not unreachable.
  if (!connection->draining()) BackOff(entry);
  owners_.erase(owner);
  CountOpen(-1);
}

void BackendPool::CountOpen(int64_t change) {
  open_ = static_cast<size_t>(static_cast<int64_t>(open_) + change);
  if (options_.open_gauge) options_.open_gauge->Set(open_);
}

void BackendPool::OnBackendConnected(BackendConnection* connection) {
  if (const auto it = dedicated_.find(connection); it != dedicated_.end()) {
    return it->second.owner->OnBackendConnected(connection);
  }
  const auto owner = owners_.find(connection);
  if (owner != owners_.end()) owner->second->backoff_ms = 0;
}

void BackendPool::BackOff(Node& node) {
  node.backoff_ms = std::clamp(node.backoff_ms * 2, options_.reconnect_backoff_min_ms,
                               options_.reconnect_backoff_max_ms);
  node.retry_at_ms = uv_now(loop_) + node.backoff_ms;
}

void BackendPool::CloseAll(std::string_view why) {
  std::vector<BackendConnection*> all;
  for (const auto& [connection, node] : owners_) all.push_back(connection);
  all.insert(all.end(), out_of_band_.begin(), out_of_band_.end());
  for (const auto& [connection, entry] : dedicated_) all.push_back(connection);
  for (BackendConnection* connection : all) connection->Close(why);
}

}  // namespace slotgate
