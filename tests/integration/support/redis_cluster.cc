#include "tests/integration/support/redis_cluster.h"

#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "common/slot.h"
#include "tests/integration/support/redis_client.h"

namespace slotgate::test {
namespace {

// One line of CLUSTER NODES: who a node is and what the observer believes about it.
struct NodeLine {
  std::string id;
  std::string flags;      // e.g. "myself,master", "slave", "master,fail"
  std::string master_id;  // "-" for masters
  std::vector<std::pair<int, int>> slots;
};

std::vector<NodeLine> ParseClusterNodes(const std::string& text) {
  std::vector<NodeLine> nodes;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    NodeLine node;
    std::string address, ping, pong, epoch, link, slot;
    if (!(fields >> node.id >> address >> node.flags >> node.master_id >> ping >> pong >> epoch >>
          link)) {
      continue;
    }
    while (fields >> slot) {
      if (slot.starts_with("[")) continue;  // [slot->-id] / [slot-<-id]: a migration, not owned
      const size_t dash = slot.find('-');
      const int first = std::stoi(slot.substr(0, dash));
      const int last = dash == std::string::npos ? first : std::stoi(slot.substr(dash + 1));
      node.slots.emplace_back(first, last);
    }
    nodes.push_back(std::move(node));
  }
  return nodes;
}

bool HasFlag(const std::string& flags, const std::string& flag) {
  return ("," + flags + ",").find("," + flag + ",") != std::string::npos;
}

std::string Text(const Reply& reply) {
  if (!reply || (reply->type != REDIS_REPLY_STRING && reply->type != REDIS_REPLY_STATUS)) {
    return "";
  }
  return std::string(reply->str, reply->len);
}

// The value of `name:` in an INFO-style reply, "" when absent.
std::string InfoField(const std::string& info, const std::string& name) {
  const size_t at = info.find(name + ":");
  if (at == std::string::npos) return "";
  const size_t start = at + name.size() + 1;
  return info.substr(start, info.find_first_of("\r\n", start) - start);
}

void Expect(const std::string& got, const std::string& want, const std::string& what) {
  if (got != want) throw std::runtime_error(what + ": got " + got + ", want " + want);
}

std::vector<NodeLine> NodesSeenBy(uint16_t port) {
  RedisClient client(port);
  return ParseClusterNodes(Text(client.Command({"CLUSTER", "NODES"})));
}

}  // namespace

bool PollUntil(const std::function<bool()>& condition, std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    try {
      if (condition()) return true;
    } catch (const std::exception&) {
      // Not answering yet: same as "not yet".
    }
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

RedisCluster::RedisCluster(RedisClusterOptions options) {
  if (options.masters < 1 || options.masters > kSlotCount || options.replicas_per_master < 0) {
    throw std::invalid_argument("RedisCluster: bad masters/replicas_per_master");
  }
  // Later arguments win in redis-server, so these override RedisServer's own node timeout.
  std::vector<std::string> args = {"--cluster-node-timeout",
                                   std::to_string(options.node_timeout_ms),
                                   "--repl-diskless-sync-delay", "0"};
  args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());
  const int total = options.masters * (1 + options.replicas_per_master);
  for (int i = 0; i < total; ++i) {
    nodes_.push_back(std::make_unique<RedisServer>(
        RedisServerOptions{.cluster_enabled = true, .extra_args = args}));
    RedisClient client(port(static_cast<size_t>(i)));
    ids_.push_back(Text(client.Command({"CLUSTER", "MYID"})));
  }

  RedisClient first(port(0));
  for (size_t i = 1; i < size(); ++i) {
    Expect(first.CommandString({"CLUSTER", "MEET", "127.0.0.1", std::to_string(port(i))}), "OK",
           "CLUSTER MEET");
  }
  for (int m = 0; m < options.masters; ++m) {
    const int from = m * kSlotCount / options.masters;
    const int to = (m + 1) * kSlotCount / options.masters - 1;
    RedisClient master(port(static_cast<size_t>(m)));
    Expect(master.CommandString(
               {"CLUSTER", "ADDSLOTSRANGE", std::to_string(from), std::to_string(to)}),
           "OK", "CLUSTER ADDSLOTSRANGE");
  }
  // A replica can only follow a master it has heard of.
  for (size_t r = static_cast<size_t>(options.masters); r < size(); ++r) {
    const std::string& master_id =
        ids_[(r - static_cast<size_t>(options.masters)) % static_cast<size_t>(options.masters)];
    RedisClient replica(port(r));
    const bool replicating = PollUntil(
        [&] {
          return replica.CommandString({"CLUSTER", "REPLICATE", master_id}) == "OK";
        },
        kDefaultDeadline);
    if (!replicating) throw std::runtime_error("CLUSTER REPLICATE never succeeded");
  }
  WaitForClusterOk();
}

std::vector<std::string> RedisCluster::Addresses() const {
  std::vector<std::string> out;
  for (const auto& n : nodes_) out.push_back(n->address());
  return out;
}

size_t RedisCluster::FirstRunning() const {
  for (size_t i = 0; i < size(); ++i) {
    if (nodes_[i]->running()) return i;
  }
  throw std::runtime_error("RedisCluster: no node is running");
}

size_t RedisCluster::IndexOfId(const std::string& id) const {
  const auto it = std::find(ids_.begin(), ids_.end(), id);
  if (it == ids_.end()) throw std::runtime_error("RedisCluster: unknown node id " + id);
  return static_cast<size_t>(it - ids_.begin());
}

std::vector<size_t> RedisCluster::OwnersSeenBy(size_t observer) const {
  std::vector<size_t> owners(kSlotCount, kNoOwner);
  for (const NodeLine& node : NodesSeenBy(port(observer))) {
    for (const auto& [first, last] : node.slots) {
      const size_t index = IndexOfId(node.id);
      for (int s = first; s <= last; ++s) owners[static_cast<size_t>(s)] = index;
    }
  }
  return owners;
}

std::map<std::string, std::string> RedisCluster::RolesSeenBy(size_t observer) const {
  std::map<std::string, std::string> roles;
  for (const NodeLine& node : NodesSeenBy(port(observer))) roles[node.id] = node.master_id;
  return roles;
}

size_t RedisCluster::MasterOf(uint16_t slot) { return SlotOwners()[slot]; }

std::vector<size_t> RedisCluster::SlotOwners() { return OwnersSeenBy(FirstRunning()); }

std::vector<OwnedSlots> RedisCluster::SlotMap() {
  const std::vector<size_t> owners = SlotOwners();
  std::vector<OwnedSlots> map;
  for (size_t s = 0; s < owners.size(); ++s) {
    if (owners[s] == kNoOwner) continue;
    if (!map.empty() && map.back().node == owners[s] && map.back().last + 1u == s) {
      map.back().last = static_cast<uint16_t>(s);
    } else {
      map.push_back({static_cast<uint16_t>(s), static_cast<uint16_t>(s), owners[s]});
    }
  }
  return map;
}

std::vector<size_t> RedisCluster::Masters() {
  std::vector<size_t> masters = SlotOwners();
  std::sort(masters.begin(), masters.end());
  masters.erase(std::unique(masters.begin(), masters.end()), masters.end());
  if (!masters.empty() && masters.back() == kNoOwner) masters.pop_back();
  return masters;
}

std::vector<size_t> RedisCluster::ReplicasOf(size_t master) {
  std::vector<size_t> replicas;
  for (const NodeLine& node : NodesSeenBy(port(FirstRunning()))) {
    if (HasFlag(node.flags, "slave") && node.master_id == ids_[master]) {
      replicas.push_back(IndexOfId(node.id));
    }
  }
  std::sort(replicas.begin(), replicas.end());
  return replicas;
}

void RedisCluster::MigrateSlot(uint16_t slot, size_t from, size_t to) {
  BeginMigration(slot, from, to);
  MoveKeys(slot, from, to);
  FinishMigration(slot, from, to);
}

void RedisCluster::BeginMigration(uint16_t slot, size_t from, size_t to) {
  const std::string s = std::to_string(slot);
  RedisClient target(port(to));
  Expect(target.CommandString({"CLUSTER", "SETSLOT", s, "IMPORTING", ids_[from]}), "OK",
         "SETSLOT IMPORTING");
  RedisClient source(port(from));
  Expect(source.CommandString({"CLUSTER", "SETSLOT", s, "MIGRATING", ids_[to]}), "OK",
         "SETSLOT MIGRATING");
}

size_t RedisCluster::MoveKeys(uint16_t slot, size_t from, size_t to, size_t max_keys) {
  RedisClient source(port(from));
  size_t moved = 0;
  while (moved < max_keys) {
    const size_t batch = std::min<size_t>(100, max_keys - moved);
    const Reply keys =
        source.Command({"CLUSTER", "GETKEYSINSLOT", std::to_string(slot), std::to_string(batch)});
    if (!keys || keys->type != REDIS_REPLY_ARRAY || keys->elements == 0) break;
    std::vector<std::string> migrate = {"MIGRATE", "127.0.0.1", std::to_string(port(to)), "", "0",
                                        "10000",   "KEYS"};
    for (size_t i = 0; i < keys->elements; ++i) {
      migrate.emplace_back(keys->element[i]->str, keys->element[i]->len);
    }
    Expect(source.CommandString(migrate), "OK", "MIGRATE");
    moved += keys->elements;
  }
  return moved;
}

void RedisCluster::FinishMigration(uint16_t slot, size_t from, size_t to) {
  const std::string s = std::to_string(slot);
  const std::vector<std::string> setslot = {"CLUSTER", "SETSLOT", s, "NODE", ids_[to]};
  {
    RedisClient target(port(to));
    Expect(target.CommandString(setslot), "OK", "SETSLOT NODE on the target");
    RedisClient source(port(from));
    Expect(source.CommandString(setslot), "OK", "SETSLOT NODE on the source");
  }
  for (const size_t m : Masters()) {
    if (m == from || m == to || !nodes_[m]->running()) continue;
    RedisClient other(port(m));
    Expect(other.CommandString(setslot), "OK", "SETSLOT NODE on another master");
  }
  const bool agreed = PollUntil(
      [&] {
        for (size_t i = 0; i < size(); ++i) {
          if (nodes_[i]->running() && OwnersSeenBy(i)[slot] != to) return false;
        }
        return true;
      },
      kDefaultDeadline);
  if (!agreed) throw std::runtime_error("slot " + s + ": not every node names its new owner");
}

void RedisCluster::Failover(size_t replica) {
  // Masters refuse to vote twice within 2 * node timeout for the same shard, and a manual
  // failover that gets no votes is dropped after 5 s: ask again until the deadline.
  const auto until = std::chrono::steady_clock::now() + kDefaultDeadline;
  RedisClient client(port(replica));
  for (;;) {
    Expect(client.CommandString({"CLUSTER", "FAILOVER"}), "OK", "CLUSTER FAILOVER");
    try {
      WaitForPromotion(replica, std::chrono::milliseconds(6000));
      break;
    } catch (const std::runtime_error&) {
      if (std::chrono::steady_clock::now() >= until) throw;
    }
  }
  WaitForClusterOk();
}

void RedisCluster::WaitForPromotion(size_t replica, std::chrono::milliseconds deadline) {
  const auto promoted_everywhere = [&] {
    for (size_t i = 0; i < size(); ++i) {
      if (!nodes_[i]->running()) continue;
      const std::vector<size_t> owners = OwnersSeenBy(i);
      if (std::find(owners.begin(), owners.end(), replica) == owners.end()) return false;
    }
    return true;
  };
  // The cluster's own election takes a few node timeouts. Now and then (a vote lost to a
  // concurrent one, a loaded machine) it takes longer than a test can wait; the replica is
  // then told to take over, as an operator would: what slotgate is tested on is a promotion,
  // not Redis's election.
  const auto first_wait = std::min(deadline / 2, std::chrono::milliseconds(15000));
  bool promoted = PollUntil(promoted_everywhere, first_wait);
  if (!promoted) {
    std::fprintf(stderr, "node %zu not elected within %lld ms: CLUSTER FAILOVER TAKEOVER\n",
                 replica, static_cast<long long>(first_wait.count()));
    try {
      RedisClient(port(replica)).Command({"CLUSTER", "FAILOVER", "TAKEOVER"});
    } catch (const std::exception&) {
      // The wait below says whether it worked.
    }
    promoted = PollUntil(promoted_everywhere, deadline - first_wait);
  }
  if (!promoted) {
    throw std::runtime_error("node " + std::to_string(replica) + " was not promoted in time");
  }
}

void RedisCluster::Kill(size_t i) { nodes_[i]->Stop(SIGKILL); }

void RedisCluster::Restart(size_t i) { nodes_[i]->Start(); }

void RedisCluster::WaitForClusterOk(std::chrono::milliseconds deadline) {
  std::string problem = "never checked";
  const bool ok = PollUntil(
      [&] {
        std::vector<size_t> reference;
        std::map<std::string, std::string> reference_roles;
        for (size_t i = 0; i < size(); ++i) {
          if (!nodes_[i]->running()) continue;
          RedisClient client(port(i));
          const std::string state =
              InfoField(Text(client.Command({"CLUSTER", "INFO"})), "cluster_state");
          if (state != "ok") {
            problem = "node " + std::to_string(i) + " says cluster_state:" + state;
            return false;
          }
          const std::vector<size_t> owners = OwnersSeenBy(i);
          const std::map<std::string, std::string> roles = RolesSeenBy(i);
          if (reference.empty()) {
            reference = owners;
            reference_roles = roles;
          }
          if (owners != reference || roles != reference_roles) {
            problem = "node " + std::to_string(i) + " disagrees on the slot map or the roles";
            return false;
          }
          const std::string replication = Text(client.Command({"INFO", "replication"}));
          if (InfoField(replication, "role") == "slave" &&
              InfoField(replication, "master_link_status") != "up") {
            problem = "replica " + std::to_string(i) + " is not linked to its master";
            return false;
          }
        }
        return true;
      },
      deadline);
  if (!ok) throw std::runtime_error("cluster not ok in time: " + problem);
}

}  // namespace slotgate::test
