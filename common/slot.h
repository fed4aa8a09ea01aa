// Key-to-slot mapping exactly as Redis Cluster computes it (cluster.c keyHashSlot), so that
// slotgate sends every key to the node a cluster-aware client would.
#pragma once

#include <cstdint>
#include <string_view>

namespace slotgate {

inline constexpr uint16_t kSlotCount = 16384;

// CRC16-CCITT (XMODEM): polynomial 0x1021, initial value 0, no reflection.
uint16_t Crc16(std::string_view data) noexcept;

// The part of `key` that is hashed: the bytes between the first '{' and the first '}' after it,
// when there is at least one; otherwise the whole key.
std::string_view HashTag(std::string_view key) noexcept;

uint16_t KeySlot(std::string_view key) noexcept;

}  // namespace slotgate
