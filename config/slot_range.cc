#include "config/slot_range.h"

#include "common/slot.h"
#include "config/number_text.h"
#include "config/quote.h"

namespace slotgate {
namespace {

// Spelled out for error texts; kept in step with kSlotCount by the assertion.
constexpr std::string_view kSlotBounds = "0-16383";
static_assert(kSlotCount == 16384);

// Digits as written, for echoing a too-large slot number; anything long is quoted and cut.
std::string Echo(std::string_view digits) {
  return digits.size() <= 20 ? std::string(digits) : Quote(digits);
}

std::optional<uint16_t> ParseSlot(std::string_view text, std::string_view whole,
                                  std::string* reason) {
  uint64_t value = 0;
  switch (ParseCount(text, /*bytes=*/false, &value)) {
    case NumberStatus::kOk:
      break;
    case NumberStatus::kTooBig:
      *reason = "slot " + Echo(text) + " out of range " + std::string(kSlotBounds);
      return std::nullopt;
    case NumberStatus::kNotANumber:
    case NumberStatus::kNegative:
      *reason = "slot range " + Quote(whole) + " is not a slot or a range like 0-5460";
      return std::nullopt;
  }
  if (value >= kSlotCount) {
    *reason = "slot " + std::to_string(value) + " out of range " + std::string(kSlotBounds);
    return std::nullopt;
  }
  return static_cast<uint16_t>(value);
}

}  // namespace

std::optional<SlotRange> ParseSlotRange(std::string_view text, std::string* reason) {
  const size_t dash = text.find('-');
  const std::string_view first_text = text.substr(0, dash);
  const std::string_view last_text = dash == text.npos ? first_text : text.substr(dash + 1);
  const std::optional<uint16_t> first = ParseSlot(first_text, text, reason);
  if (!first) return std::nullopt;
  const std::optional<uint16_t> last = ParseSlot(last_text, text, reason);
  if (!last) return std::nullopt;
  if (*first > *last) {
    *reason = "slot range " + std::string(text) + " is reversed (first > last)";
    return std::nullopt;
  }
  return SlotRange{*first, *last};
}

std::string FormatSlotRange(SlotRange range) {
  if (range.first == range.last) return std::to_string(range.first);
  return std::to_string(range.first) + "-" + std::to_string(range.last);
}

}  // namespace slotgate
