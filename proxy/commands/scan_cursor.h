// SCAN across masters with one client cursor: the cursor slotgate hands out carries which
// master the iteration is on (low bits) and that master's own cursor (high bits). A master's
// cursor 0 moves the iteration to the next master; the last master's 0 ends it. So a full
// iteration visits every master once, and SCAN's guarantee (every key present throughout is
// returned) holds per master, hence for the whole keyspace. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace slotgate {

inline constexpr unsigned kScanNodeBits = 10;  // up to 1024 masters

struct ScanPosition {
  uint64_t node_index = 0;
  uint64_t node_cursor = 0;
};

// nullopt when `cursor` is not a number or names a master beyond `node_count`.
std::optional<ScanPosition> DecodeScanCursor(std::string_view cursor, uint64_t node_count);
uint64_t EncodeScanCursor(ScanPosition position);

// A master's SCAN reply [cursor, keys] with its cursor replaced by the client's cursor.
std::string RewriteScanReply(std::string_view reply, uint64_t node_index, uint64_t node_count);

}  // namespace slotgate
