#include "proxy/route/cluster_view.h"

#include <algorithm>
#include <charconv>
#include <map>

namespace slotgate {
namespace {

bool IsText(const RespValue* v) {
  return v && (v->type == RespValue::Type::kBulkString ||
               v->type == RespValue::Type::kSimpleString);
}
bool IsInteger(const RespValue* v) { return v && v->type == RespValue::Type::kInteger; }
bool IsList(const RespValue* v) {
  return v && (v->type == RespValue::Type::kArray || v->type == RespValue::Type::kSet);
}

std::optional<SlotRange> MakeRange(int64_t first, int64_t last) {
  if (first < 0 || last < first || last >= kSlotCount) return std::nullopt;
  return SlotRange{static_cast<uint16_t>(first), static_cast<uint16_t>(last)};
}

// A node entry of CLUSTER SHARDS: the endpoint clients should use, else the ip.
std::optional<Endpoint> ShardNodeEndpoint(const RespValue& node, const Endpoint& asked) {
  const RespValue* port = node.MapGet("port");
  if (!IsInteger(port) || port->integer <= 0 || port->integer > 65535) return std::nullopt;
  std::string host;
  for (const char* field : {"endpoint", "ip"}) {
    const RespValue* v = node.MapGet(field);
    if (IsText(v) && !v->str.empty() && v->str != "?") {
      host = v->str;
      break;
    }
  }
  if (host.empty()) host = asked.host;
  return Endpoint{host, static_cast<uint16_t>(port->integer)};
}

}  // namespace

std::optional<ClusterView> ParseClusterShards(const RespValue& reply, const Endpoint& asked,
                                              std::string* why) {
  if (!IsList(&reply)) {
    *why = "CLUSTER SHARDS reply is not an array";
    return std::nullopt;
  }
  ClusterView view;
  for (const RespValue& shard : reply.elements) {
    const RespValue* slots = shard.MapGet("slots");
    const RespValue* nodes = shard.MapGet("nodes");
    if (!IsList(slots) || !IsList(nodes) || slots->elements.size() % 2 != 0) {
      *why = "CLUSTER SHARDS entry without slots and nodes";
      return std::nullopt;
    }
    ViewShard out;
    bool has_master = false;
    for (const RespValue& node : nodes->elements) {
      const std::optional<Endpoint> endpoint = ShardNodeEndpoint(node, asked);
      const RespValue* role = node.MapGet("role");
      const RespValue* health = node.MapGet("health");
      if (!endpoint || !IsText(role)) {
        *why = "CLUSTER SHARDS node without port or role";
        return std::nullopt;
      }
      const bool online = !IsText(health) || health->str == "online";
      if (role->str == "master") {
        out.master = *endpoint;
        has_master = true;
      } else if (online) {
        out.replicas.push_back(*endpoint);
      }
    }
    for (size_t i = 0; i < slots->elements.size(); i += 2) {
      const RespValue& first = slots->elements[i];
      const RespValue& last = slots->elements[i + 1];
      if (!IsInteger(&first) || !IsInteger(&last)) {
        *why = "CLUSTER SHARDS slot bound is not an integer";
        return std::nullopt;
      }
      const std::optional<SlotRange> range = MakeRange(first.integer, last.integer);
      if (!range) {
        *why = "CLUSTER SHARDS slot range out of bounds";
        return std::nullopt;
      }
      out.ranges.push_back(*range);
    }
    // A shard without slots (a fresh or emptied master) still matters for its replicas.
    if (has_master) view.shards.push_back(std::move(out));
  }
  return view;
}

std::optional<ClusterView> ParseClusterSlots(const RespValue& reply, const Endpoint& asked,
                                             std::string* why) {
  if (!IsList(&reply)) {
    *why = "CLUSTER SLOTS reply is not an array";
    return std::nullopt;
  }
  const auto node_endpoint = [&](const RespValue& node) -> std::optional<Endpoint> {
    // The host is NULL when the node does not know its own endpoint.
    const RespValue& host_value = node.elements.empty() ? node : node.elements[0];
    const bool host_ok = IsText(&host_value) || host_value.type == RespValue::Type::kNull;
    if (!IsList(&node) || node.elements.size() < 2 || !host_ok || !IsInteger(&node.elements[1]) ||
        node.elements[1].integer <= 0 || node.elements[1].integer > 65535) {
      return std::nullopt;
    }
    const std::string& host = host_value.str;
    return Endpoint{host.empty() || host == "?" ? asked.host : host,
                    static_cast<uint16_t>(node.elements[1].integer)};
  };
  ClusterView view;
  for (const RespValue& entry : reply.elements) {
    if (!IsList(&entry) || entry.elements.size() < 3 || !IsInteger(&entry.elements[0]) ||
        !IsInteger(&entry.elements[1])) {
      *why = "CLUSTER SLOTS entry malformed";
      return std::nullopt;
    }
    const std::optional<SlotRange> range =
        MakeRange(entry.elements[0].integer, entry.elements[1].integer);
    const std::optional<Endpoint> master = node_endpoint(entry.elements[2]);
    if (!range || !master) {
      *why = "CLUSTER SLOTS entry malformed";
      return std::nullopt;
    }
    auto shard = std::find_if(view.shards.begin(), view.shards.end(),
                              [&](const ViewShard& s) { return s.master == *master; });
    if (shard == view.shards.end()) {
      view.shards.push_back(ViewShard{*master, {}, {}});
      shard = view.shards.end() - 1;
      for (size_t i = 3; i < entry.elements.size(); ++i) {
        if (std::optional<Endpoint> replica = node_endpoint(entry.elements[i])) {
          shard->replicas.push_back(*replica);
        }
      }
    }
    shard->ranges.push_back(*range);
  }
  return view;
}

std::vector<SlotMigration> ParseClusterNodesMigrations(std::string_view nodes,
                                                       const Endpoint& asked) {
  struct Line {
    std::string_view id;
    std::optional<Endpoint> endpoint;
    bool myself = false;
    std::vector<std::string_view> fields;
  };
  std::vector<Line> lines;
  size_t start = 0;
  while (start < nodes.size()) {
    size_t end = nodes.find('\n', start);
    if (end == std::string_view::npos) end = nodes.size();
    const std::string_view text = nodes.substr(start, end - start);
    start = end + 1;
    Line line;
    size_t at = 0;
    while (at < text.size()) {
      size_t space = text.find(' ', at);
      if (space == std::string_view::npos) space = text.size();
      if (space > at) line.fields.push_back(text.substr(at, space - at));
      at = space + 1;
    }
    if (line.fields.size() < 8) continue;
    line.id = line.fields[0];
    // "ip:port@cport[,hostname]"; an empty ip means the node that answered.
    std::string_view address = line.fields[1].substr(0, line.fields[1].find('@'));
    const size_t colon = address.rfind(':');
    if (colon != std::string_view::npos) {
      int port = 0;
      const std::string_view digits = address.substr(colon + 1);
      std::from_chars(digits.data(), digits.data() + digits.size(), port);
      std::string host(address.substr(0, colon));
      if (host.empty()) host = asked.host;
      if (port > 0 && port <= 65535) line.endpoint = Endpoint{host, static_cast<uint16_t>(port)};
    }
    line.myself = line.fields[2].find("myself") != std::string_view::npos;
    lines.push_back(std::move(line));
  }
  const auto endpoint_of = [&](std::string_view id) -> std::optional<Endpoint> {
    for (const Line& line : lines) {
      if (line.id == id) return line.endpoint;
    }
    return std::nullopt;
  };
  std::vector<SlotMigration> migrations;
  for (const Line& line : lines) {
    if (!line.myself || !line.endpoint) continue;
    for (size_t i = 8; i < line.fields.size(); ++i) {
      std::string_view entry = line.fields[i];
      if (entry.size() < 6 || entry.front() != '[' || entry.back() != ']') continue;
      entry = entry.substr(1, entry.size() - 2);
      const bool migrating = entry.find("->-") != std::string_view::npos;
      const size_t arrow = entry.find(migrating ? "->-" : "-<-");
      if (arrow == std::string_view::npos) continue;
      int slot = -1;
      std::from_chars(entry.data(), entry.data() + arrow, slot);
      const std::optional<Endpoint> other = endpoint_of(entry.substr(arrow + 3));
      if (slot < 0 || slot >= kSlotCount || !other) continue;
      migrations.push_back(migrating ? SlotMigration{static_cast<uint16_t>(slot), *line.endpoint, *other}
                                     : SlotMigration{static_cast<uint16_t>(slot), *other, *line.endpoint});
    }
  }
  return migrations;
}

std::shared_ptr<const SlotTable> MergeViews(const std::vector<ClusterView>& views,
                                            uint64_t version) {
  // votes[slot]: (view index of the first vote, master) -> count, kept small: a handful of views.
  std::vector<std::vector<std::pair<const ViewShard*, int>>> votes(kSlotCount);
  for (const ClusterView& view : views) {
    for (const ViewShard& shard : view.shards) {
      for (const SlotRange& range : shard.ranges) {
        for (uint32_t slot = range.first; slot <= range.last; ++slot) {
          auto& ballot = votes[slot];
          const auto it = std::find_if(ballot.begin(), ballot.end(), [&](const auto& vote) {
            return vote.first->master == shard.master;
          });
          if (it == ballot.end()) {
            ballot.emplace_back(&shard, 1);
          } else {
            ++it->second;
          }
        }
      }
    }
  }
  SlotTableBuilder builder;
  // Masters first, in the order the views list them, so shard order is stable across refreshes.
  for (const ClusterView& view : views) {
    for (const ViewShard& shard : view.shards) {
      const size_t index = builder.AddShard(shard.master);
      for (const Endpoint& replica : shard.replicas) builder.AddReplica(index, replica);
    }
  }
  std::vector<SlotMigration> migrations;
  for (const ClusterView& view : views) {
    for (const SlotMigration& m : view.migrations) {
      const bool known = std::any_of(migrations.begin(), migrations.end(), [&](const auto& k) {
        return k.slot == m.slot && k.from == m.from && k.to == m.to;
      });
      if (!known) migrations.push_back(m);
    }
  }
  for (SlotMigration& m : migrations) builder.AddMigration(std::move(m));
  for (uint32_t slot = 0; slot < kSlotCount; ++slot) {
    const auto& ballot = votes[slot];
    if (ballot.empty()) continue;
    const auto winner = std::max_element(
        ballot.begin(), ballot.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    const auto s = static_cast<uint16_t>(slot);
    builder.Assign({s, s}, builder.AddShard(winner->first->master));
  }
  return builder.Build(version);
}

std::vector<std::string> DescribeDrift(const SlotTable& configured, const SlotTable& live) {
  std::vector<std::string> drift;
  const auto owner_text = [](const Shard* shard) {
    return shard ? shard->master.ToString() : std::string("no owner");
  };
  uint32_t start = 0;
  while (start < kSlotCount) {
    const Shard* want = configured.ShardForSlot(static_cast<uint16_t>(start));
    const Shard* have = live.ShardForSlot(static_cast<uint16_t>(start));
    uint32_t end = start;
    while (end + 1 < kSlotCount &&
           configured.ShardForSlot(static_cast<uint16_t>(end + 1)) == want &&
           live.ShardForSlot(static_cast<uint16_t>(end + 1)) == have) {
      ++end;
    }
    const bool differ = (want == nullptr) != (have == nullptr) ||
                        (want && have && !(want->master == have->master));
    // Slots the config leaves out are not an expectation, so not drift.
    if (want && differ) {
      drift.push_back("slots " + std::to_string(start) + "-" + std::to_string(end) +
                      ": configured " + owner_text(want) + ", cluster has " + owner_text(have));
    }
    start = end + 1;
  }
  for (const SlotMigration& m : configured.migrations()) {
    const SlotMigration* actual = live.MigrationOf(m.slot);
    if (!actual || !(actual->from == m.from) || !(actual->to == m.to)) {
      drift.push_back("slot " + std::to_string(m.slot) + ": configured migrating from " +
                      m.from.ToString() + " to " + m.to.ToString() +
                      ", cluster shows no such migration");
    }
  }
  return drift;
}

}  // namespace slotgate
