// How a multi-key command whose keys span several slots is cut into one request per slot
// (a cluster node refuses keys of two slots even when it owns both), and how the parts'
// replies map back to the client's argument order. Pure.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace slotgate {

struct SplitPart {
  uint16_t slot = 0;
  std::string request;             // the part as a RESP command: name, then its keys (and values)
  std::vector<uint32_t> key_order;  // for each key of this part, its index among all keys
};

// `args`: the client's command; `key_positions`: where its keys are (ascending); `step`: 1 for
// MGET/DEL/EXISTS/UNLINK/TOUCH, 2 for MSET (each key followed by its value). Keys of one slot
// stay in their original order within their part; parts are ordered by first appearance.
std::vector<SplitPart> SplitBySlot(std::span<const std::string_view> args,
                                   std::span<const uint32_t> key_positions, uint32_t step);

}  // namespace slotgate
