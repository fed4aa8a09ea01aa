// The text form of slot ranges in `backend.slots`: "0-5460" or a single slot "5000", the way
// redis-cli and CLUSTER NODES print them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"

namespace slotgate {

// On failure returns nullopt and sets `*reason` to a whole error text, e.g.
// "slot 16384 out of range 0-16383".
std::optional<SlotRange> ParseSlotRange(std::string_view text, std::string* reason);

// "0-5460", or "5000" for a one-slot range.
std::string FormatSlotRange(SlotRange range);

}  // namespace slotgate
