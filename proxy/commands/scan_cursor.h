// SCAN across masters with one client cursor. The cursor slotgate hands out names the master
// the iteration is on and carries that master's own cursor; a master's cursor 0 moves the
// iteration to the next master (by lowest slot), the last master's 0 ends it. So a full
// iteration visits every master once, and SCAN's guarantee (every key present throughout is
// returned) holds per master, hence for the whole keyspace.
//
// A master is named by the lowest slot it owned when the iteration reached it, plus a check
// byte of its address: the name survives other masters coming and going, and a cursor whose
// master no longer owns that slot (a failover, a reshard) is refused instead of silently
// continuing on another node's keys with a cursor that means nothing there. Pure.
//
//   cursor = node cursor << 22 | check byte << 14 | lowest slot
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/endpoint.h"

namespace slotgate {

inline constexpr unsigned kScanNodeBits = 22;

struct ScanNode {
  uint16_t first_slot = 0;
  uint8_t check = 0;
  bool operator==(const ScanNode&) const = default;
};

struct ScanPosition {
  ScanNode node;
  uint64_t node_cursor = 0;
};

uint8_t ScanCheckByte(const Endpoint& master);

// nullopt when `cursor` is not a decimal number that fits in 64 bits. "0" decodes to slot 0,
// check 0, cursor 0: the caller reads it as "from the start".
std::optional<ScanPosition> DecodeScanCursor(std::string_view cursor);
uint64_t EncodeScanCursor(const ScanPosition& position);

// A master's SCAN reply [cursor, keys] with its cursor replaced by the client's cursor:
// on `here` while the master's cursor is not 0, then the start of `next`, then 0 (the end).
std::string RewriteScanReply(std::string_view reply, ScanNode here, std::optional<ScanNode> next);

}  // namespace slotgate
