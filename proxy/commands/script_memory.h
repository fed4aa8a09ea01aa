// The Lua scripts clients loaded through slotgate, by SHA-1. Redis 7 keeps its script cache per
// node and does not replicate SCRIPT LOAD, so after a failover (or on a new master) EVALSHA
// answers NOSCRIPT; with the body remembered here slotgate loads the script again and retries.
// One per process, shared by every worker thread; pure (no sockets), so unit-tested directly.
#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/digest.h"

namespace slotgate {

struct ScriptMemoryLimits {
  size_t max_bytes = size_t{64} << 20;  // script bodies kept, in total
  size_t max_scripts = 100000;
};

// Bounded: beyond either limit the least recently remembered or used scripts are dropped, so a
// client generating scripts cannot make slotgate grow without end. Thread-safe; every method
// takes the one mutex, which is only ever held for a map operation (never across I/O).
class ScriptMemory {
 public:
  explicit ScriptMemory(ScriptMemoryLimits limits = {});
  ScriptMemory(const ScriptMemory&) = delete;
  ScriptMemory& operator=(const ScriptMemory&) = delete;

  // Keeps `body` under `sha` (40 hex digits, either case). A body larger than max_bytes is not
  // kept. Remembering a known script marks it as the newest.
  void Remember(std::string_view sha, std::string_view body);
  // Keeps `body` under its SHA-1, as EVAL names it; returns that SHA-1.
  std::string RememberBody(std::string_view body);
  // The body named `sha` (either case, as EVALSHA accepts), marked as the newest; nullopt when
  // unknown or dropped.
  std::optional<std::string> Find(std::string_view sha);
  // SCRIPT FLUSH: the cluster forgot every script, so slotgate does too.
  void Clear();

  size_t size() const;
  size_t bytes() const;

 private:
  struct Entry {
    std::string sha;
    std::string body;
  };
  using List = std::list<Entry>;  // oldest first

  void DropOldestBeyondLimits();  // with mutex_ held

  const ScriptMemoryLimits limits_;
  mutable std::mutex mutex_;
  List entries_;
  std::unordered_map<std::string, List::iterator> by_sha_;
  size_t bytes_ = 0;
};

}  // namespace slotgate
