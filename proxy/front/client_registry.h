// Every client connected to slotgate, across workers, for CLIENT LIST and CLIENT INFO. A
// session owns its record and updates the few live fields (last command, activity,
// subscription counts) with relaxed atomic stores; the registry's mutex is taken only when a
// client connects, disconnects, renames itself, or someone lists the clients.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/commands/command_info.h"

namespace slotgate {

struct ClientRecord {
  uint64_t id = 0;
  std::string addr;   // the client's address, host:port
  std::string laddr;  // slotgate's side of the connection
  int fd = -1;
  uint64_t created_ms = 0;  // steady clock
  std::atomic<uint64_t> last_active_ms{0};
  std::atomic<const CommandInfo*> last_command{nullptr};
  std::atomic<uint32_t> channels{0};
  std::atomic<uint32_t> patterns{0};
  std::atomic<uint32_t> shard_channels{0};
  std::atomic<int32_t> multi{-1};  // commands queued in MULTI; -1 outside
  std::atomic<uint8_t> resp{2};
  std::atomic<uint64_t> output_bytes{0};  // replies waiting for the socket
  // The slotgate user it is logged in as (a name that lives as long as the process); nullptr
  // shows as `default`, as Redis shows a client that has not authenticated.
  std::atomic<const std::string*> user{nullptr};
};

// Which clients CLIENT LIST shows: `TYPE normal|pubsub` and `ID id...`, as in Redis.
struct ClientFilter {
  std::optional<bool> pubsub;
  std::vector<uint64_t> ids;
};

class ClientRegistry {
 public:
  std::shared_ptr<ClientRecord> Add(uint64_t id);
  void Remove(uint64_t id);
  void SetName(uint64_t id, std::string_view name);
  // One CLIENT LIST line (ending in "\n") for `id`; empty if it is gone.
  std::string Describe(uint64_t id) const;
  std::string List(const ClientFilter& filter) const;

 private:
  struct Entry {
    std::shared_ptr<ClientRecord> record;
    std::string name;
  };
  std::string DescribeLocked(const Entry& entry, uint64_t now_ms) const;

  mutable std::mutex mutex_;
  std::unordered_map<uint64_t, Entry> clients_;
};

uint64_t SteadyNowMs();

}  // namespace slotgate
