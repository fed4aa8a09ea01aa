// Small text helpers for command arguments, shared by the pure code and the proxy: Redis
// compares command words case-insensitively and reads integers strictly (its string2ll).
#pragma once

#include <cctype>
#include <charconv>
#include <optional>
#include <string_view>

namespace slotgate {

inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// Redis's string2ll: strict decimal, no leading '+' or zeros, no spaces, fits in 64 bits.
inline std::optional<long long> ParseStrictInteger(std::string_view text) {
  if (text.empty() || text[0] == '+') return std::nullopt;
  if (text.size() > 1 && text[0] == '0') return std::nullopt;
  if (text.size() > 2 && text[0] == '-' && text[1] == '0') return std::nullopt;
  long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace slotgate
