// Reads the cluster redirections a backend answers with (-MOVED, -ASK), which slotgate follows
// itself and never shows a client. Pure functions over the error text the reply scanner exposes.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace slotgate {

struct Redirect {
  enum Kind : uint8_t { kMoved, kAsk };
  Kind kind = kMoved;
  uint16_t slot = 0;
  // As Redis sent it: an IP (v4, or v6 without brackets), a hostname, "?" for an unknown
  // endpoint, or empty, which Redis 7 uses to mean "the node you asked". Brackets around an
  // IPv6 literal are removed.
  std::string_view host;
  uint16_t port = 0;
};

// Parses "MOVED <slot> <host>:<port>" or "ASK <slot> <host>:<port>" (an error text without '-').
// The endpoint is split at its last ':', so IPv6 hosts work. nullopt for any other error, a slot
// outside 0..16383, or a port outside 1..65535.
std::optional<Redirect> ParseRedirect(std::string_view error_line);

// The error code: the text up to the first space ("TRYAGAIN", "CLUSTERDOWN", "ERR"...).
std::string_view ErrorCode(std::string_view error_line);

}  // namespace slotgate
