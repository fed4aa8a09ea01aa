// How gtest prints slotgate's value types in failure messages (found by argument lookup).
#pragma once

#include <ostream>

#include "config/config.h"

namespace slotgate {

inline void PrintTo(const Endpoint& endpoint, std::ostream* os) { *os << endpoint.ToString(); }
inline void PrintTo(const SlotRange& range, std::ostream* os) {
  *os << range.first << "-" << range.last;
}

}  // namespace slotgate
