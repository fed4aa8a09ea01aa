#include "config/number_text.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace slotgate {
namespace {

struct Suffix {
  std::string_view text;
  uint64_t factor;
};

// Longest first, so "kb" is not taken for "k" followed by junk.
constexpr Suffix kSuffixes[] = {{"kb", 1ull << 10}, {"mb", 1ull << 20}, {"gb", 1ull << 30},
                                {"k", 1'000},       {"m", 1'000'000},   {"g", 1'000'000'000}};

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool EndsWithNoCase(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) return false;
  const std::string_view tail = text.substr(text.size() - suffix.size());
  for (size_t i = 0; i < tail.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(tail[i])) != suffix[i]) return false;
  }
  return true;
}

}  // namespace

NumberStatus ParseCount(std::string_view text, bool bytes, uint64_t* out) {
  uint64_t factor = 1;
  if (bytes) {
    for (const Suffix& suffix : kSuffixes) {
      if (EndsWithNoCase(text, suffix.text)) {
        text.remove_suffix(suffix.text.size());
        factor = suffix.factor;
        break;
      }
    }
  }
  if (!text.empty() && text.front() == '-' && AllDigits(text.substr(1))) {
    return NumberStatus::kNegative;
  }
  if (!AllDigits(text)) return NumberStatus::kNotANumber;
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) return NumberStatus::kTooBig;
  if (ec != std::errc() || end != text.data() + text.size()) return NumberStatus::kNotANumber;
  if (value > UINT64_MAX / factor) return NumberStatus::kTooBig;
  *out = value * factor;
  return NumberStatus::kOk;
}

std::string FormatCount(uint64_t value, bool bytes) {
  if (bytes && value > 0) {
    for (const Suffix& suffix : {kSuffixes[2], kSuffixes[1], kSuffixes[0]}) {
      if (value % suffix.factor == 0) {
        return std::to_string(value / suffix.factor) + std::string(suffix.text);
      }
    }
  }
  return std::to_string(value);
}

}  // namespace slotgate
