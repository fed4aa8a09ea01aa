// Reads and writes the unsigned numbers of a config file: plain decimal counts, and byte sizes
// with Redis's suffixes (k=1000, kb=1024, m, mb, g, gb) so limits read like redis.conf.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace slotgate {

enum class NumberStatus : uint8_t {
  kOk,
  kNotANumber,  // not decimal digits (plus a size suffix when allowed)
  kTooBig,      // more than UINT64_MAX
  kNegative,    // '-' and digits: a number, but below any range here
};

// Decimal digits only: no sign, no hex, no separators, no fractions.
NumberStatus ParseCount(std::string_view text, bool bytes, uint64_t* out);

// "65536", or with `bytes` the largest exact suffix: 536870912 -> "512mb".
std::string FormatCount(uint64_t value, bool bytes);

}  // namespace slotgate
