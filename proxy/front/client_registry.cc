#include "proxy/front/client_registry.h"

#include <algorithm>
#include <chrono>
#include <map>

namespace slotgate {

uint64_t SteadyNowMs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

std::shared_ptr<ClientRecord> ClientRegistry::Add(uint64_t id) {
  auto record = std::make_shared<ClientRecord>();
  record->id = id;
  record->created_ms = SteadyNowMs();
  record->last_active_ms = record->created_ms;
  std::lock_guard lock(mutex_);
  clients_[id] = Entry{record, {}};
  return record;
}

void ClientRegistry::Remove(uint64_t id) {
  std::lock_guard lock(mutex_);
  clients_.erase(id);
}

void ClientRegistry::SetName(uint64_t id, std::string_view name) {
  std::lock_guard lock(mutex_);
  const auto it = clients_.find(id);
  if (it != clients_.end()) it->second.name.assign(name);
}

std::string ClientRegistry::Describe(uint64_t id) const {
  std::lock_guard lock(mutex_);
  const auto it = clients_.find(id);
  return it == clients_.end() ? std::string() : DescribeLocked(it->second, SteadyNowMs());
}

std::string ClientRegistry::List(const ClientFilter& filter) const {
  std::lock_guard lock(mutex_);
  const uint64_t now = SteadyNowMs();
  std::map<uint64_t, const Entry*> in_order;  // by id, as Redis lists them
  for (const auto& [id, entry] : clients_) {
    if (!filter.ids.empty() &&
        std::find(filter.ids.begin(), filter.ids.end(), id) == filter.ids.end()) {
      continue;
    }
    if (filter.pubsub) {
      const ClientRecord& r = *entry.record;
      const bool subscribed = r.channels + r.patterns + r.shard_channels > 0;
      if (subscribed != *filter.pubsub) continue;
    }
    in_order.emplace(id, &entry);
  }
  std::string out;
  for (const auto& [id, entry] : in_order) out += DescribeLocked(*entry, now);
  return out;
}

// Redis's field order; fields about Redis's own memory accounting are left out.
std::string ClientRegistry::DescribeLocked(const Entry& entry, uint64_t now_ms) const {
  const ClientRecord& r = *entry.record;
  const uint32_t channels = r.channels, patterns = r.patterns, shards = r.shard_channels;
  const CommandInfo* last = r.last_command.load(std::memory_order_relaxed);
  const uint64_t active = r.last_active_ms.load(std::memory_order_relaxed);
  std::string flags = channels + patterns + shards > 0 ? "P" : "";
  if (r.multi >= 0) flags += "x";
  if (flags.empty()) flags = "N";
  std::string line;
  line += "id=" + std::to_string(r.id);
  line += " addr=" + r.addr;
  line += " laddr=" + r.laddr;
  line += " fd=" + std::to_string(r.fd);
  line += " name=" + entry.name;
  line += " age=" + std::to_string((now_ms - std::min(now_ms, r.created_ms)) / 1000);
  line += " idle=" + std::to_string((now_ms - std::min(now_ms, active)) / 1000);
  line += " flags=" + flags;
  line += " db=0";
  line += " sub=" + std::to_string(channels);
  line += " psub=" + std::to_string(patterns);
  line += " ssub=" + std::to_string(shards);
  line += " multi=" + std::to_string(r.multi.load());
  line += " omem=" + std::to_string(r.output_bytes.load());
  line += " cmd=" + (last ? last->name : std::string("NULL"));
  const std::string* user = r.user.load();
  line += " user=" + (user ? *user : std::string("default"));
  line += " redir=-1 resp=" + std::to_string(r.resp.load());
  line += "\n";
  return line;
}

}  // namespace slotgate
