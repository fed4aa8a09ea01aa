#include "tests/integration/support/local_cluster.h"

#include <sstream>
#include <stdexcept>
#include <thread>

#include "common/slot.h"

namespace slotgate::test {
namespace {

std::string Field(const std::string& info, const std::string& name) {
  const size_t at = info.find(name + ":");
  if (at == std::string::npos) return "";
  const size_t start = at + name.size() + 1;
  return info.substr(start, info.find('\r', start) - start);
}

std::string Text(const Reply& reply) {
  if (!reply || (reply->type != REDIS_REPLY_STRING && reply->type != REDIS_REPLY_STATUS)) {
    return "";
  }
  return std::string(reply->str, reply->len);
}

void Expect(const std::string& got, const std::string& want, const std::string& what) {
  if (got != want) throw std::runtime_error(what + ": " + got);
}

// Slot owner by port, from one node's CLUSTER SLOTS.
std::vector<int> OwnersSeenBy(uint16_t port) {
  std::vector<int> owners(kSlotCount, 0);
  RedisClient client(port);
  const Reply reply = client.Command({"CLUSTER", "SLOTS"});
  for (size_t i = 0; reply && i < reply->elements; ++i) {
    const redisReply* range = reply->element[i];
    const long long first = range->element[0]->integer;
    const long long last = range->element[1]->integer;
    const int owner = static_cast<int>(range->element[2]->element[1]->integer);
    for (long long slot = first; slot <= last; ++slot) owners[static_cast<size_t>(slot)] = owner;
  }
  return owners;
}

}  // namespace

LocalCluster::LocalCluster(LocalClusterOptions options) {
  const int total = options.masters * (1 + options.replicas_per_master);
  for (int i = 0; i < total; ++i) {
    nodes_.push_back(std::make_unique<RedisServer>(
        RedisServerOptions{.cluster_enabled = true, .extra_args = options.extra_args}));
  }
  RedisClient first(nodes_[0]->port());
  for (size_t i = 1; i < nodes_.size(); ++i) {
    Expect(first.CommandString({"CLUSTER", "MEET", "127.0.0.1", std::to_string(node(i).port())}),
           "OK", "CLUSTER MEET");
  }
  for (int m = 0; m < options.masters; ++m) {
    const int from = m * kSlotCount / options.masters;
    const int to = (m + 1) * kSlotCount / options.masters - 1;
    RedisClient master(node(static_cast<size_t>(m)).port());
    Expect(master.CommandString({"CLUSTER", "ADDSLOTSRANGE", std::to_string(from),
                                 std::to_string(to)}),
           "OK", "CLUSTER ADDSLOTSRANGE");
  }
  const bool met = WaitFor(
      [&] {
        for (auto& n : nodes_) {
          RedisClient c(n->port());
          const std::string info = Text(c.Command({"CLUSTER", "INFO"}));
          if (Field(info, "cluster_known_nodes") != std::to_string(nodes_.size())) return false;
        }
        return true;
      },
      std::chrono::seconds(30));
  if (!met) throw std::runtime_error("cluster nodes did not meet in time");
  for (int r = 0; r < options.masters * options.replicas_per_master; ++r) {
    const size_t replica = static_cast<size_t>(options.masters + r);
    const size_t master = static_cast<size_t>(r % options.masters);
    const std::string master_id = NodeId(master);
    RedisClient c(node(replica).port());
    const bool replicated = WaitFor(
        [&] { return c.CommandString({"CLUSTER", "REPLICATE", master_id}) == "OK"; },
        std::chrono::seconds(20));
    if (!replicated) throw std::runtime_error("CLUSTER REPLICATE failed");
  }
  WaitUntilHealthy();
  for (size_t i = static_cast<size_t>(options.masters); i < nodes_.size(); ++i) {
    RedisClient c(node(i).port());
    const bool linked = WaitFor(
        [&] {
          return Field(Text(c.Command({"INFO", "replication"})), "master_link_status") == "up";
        },
        std::chrono::seconds(30));
    if (!linked) throw std::runtime_error("replica did not link to its master in time");
  }
}

std::string LocalCluster::NodeId(size_t i) {
  RedisClient c(node(i).port());
  return Text(c.Command({"CLUSTER", "MYID"}));
}

std::vector<std::string> LocalCluster::Addresses() const {
  std::vector<std::string> out;
  for (const auto& n : nodes_) out.push_back(n->address());
  return out;
}

size_t LocalCluster::IndexOfPort(int port) const {
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i]->port() == port) return i;
  }
  throw std::runtime_error("unknown port " + std::to_string(port));
}

std::vector<size_t> LocalCluster::Masters() {
  std::vector<size_t> masters;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (!nodes_[i]->running()) continue;
    RedisClient c(nodes_[i]->port());
    if (Field(Text(c.Command({"INFO", "replication"})), "role") == "master") masters.push_back(i);
  }
  return masters;
}

size_t LocalCluster::OwnerOf(uint16_t slot) { return SlotOwners()[slot]; }

std::vector<size_t> LocalCluster::SlotOwners() {
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (!nodes_[i]->running()) continue;
    std::vector<size_t> owners;
    for (const int port : OwnersSeenBy(nodes_[i]->port())) owners.push_back(IndexOfPort(port));
    return owners;
  }
  throw std::runtime_error("no node running");
}

void LocalCluster::WaitUntilHealthy(std::chrono::seconds deadline) {
  const bool healthy = WaitFor(
      [&] {
        std::vector<int> reference;
        for (auto& n : nodes_) {
          if (!n->running()) continue;
          RedisClient c(n->port());
          if (Field(Text(c.Command({"CLUSTER", "INFO"})), "cluster_state") != "ok") return false;
          const std::vector<int> owners = OwnersSeenBy(n->port());
          if (reference.empty()) reference = owners;
          if (owners != reference) return false;
        }
        return true;
      },
      deadline);
  if (!healthy) throw std::runtime_error("cluster not healthy in time");
}

void LocalCluster::MigrateSlot(uint16_t slot, size_t to) {
  const size_t from = OwnerOf(slot);
  if (from == to) return;
  const std::string from_id = NodeId(from);
  const std::string to_id = NodeId(to);
  const std::string s = std::to_string(slot);
  RedisClient source(node(from).port());
  RedisClient target(node(to).port());
  Expect(target.CommandString({"CLUSTER", "SETSLOT", s, "IMPORTING", from_id}), "OK", "IMPORTING");
  Expect(source.CommandString({"CLUSTER", "SETSLOT", s, "MIGRATING", to_id}), "OK", "MIGRATING");
  for (;;) {
    const Reply keys = source.Command({"CLUSTER", "GETKEYSINSLOT", s, "100"});
    if (!keys || keys->elements == 0) break;
    std::vector<std::string> migrate = {"MIGRATE", "127.0.0.1", std::to_string(node(to).port()),
                                        "", "0", "5000", "REPLACE", "KEYS"};
    for (size_t i = 0; i < keys->elements; ++i) {
      migrate.emplace_back(keys->element[i]->str, keys->element[i]->len);
    }
    Expect(source.CommandString(migrate), "OK", "MIGRATE");
  }
  Expect(target.CommandString({"CLUSTER", "SETSLOT", s, "NODE", to_id}), "OK", "NODE on target");
  Expect(source.CommandString({"CLUSTER", "SETSLOT", s, "NODE", to_id}), "OK", "NODE on source");
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (i == from || i == to || !nodes_[i]->running()) continue;
    RedisClient other(node(i).port());
    other.Command({"CLUSTER", "SETSLOT", s, "NODE", to_id});
  }
}

void LocalCluster::Failover(size_t replica) {
  RedisClient c(node(replica).port());
  Expect(c.CommandString({"CLUSTER", "FAILOVER"}), "OK", "CLUSTER FAILOVER");
  const bool promoted = WaitFor(
      [&] { return Field(Text(c.Command({"INFO", "replication"})), "role") == "master"; },
      std::chrono::seconds(30));
  if (!promoted) throw std::runtime_error("failover did not complete in time");
  WaitUntilHealthy();
}

}  // namespace slotgate::test
