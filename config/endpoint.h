// A backend or listening address as "host:port" or "[v6]:port". Parsing lives apart from the YAML
// loader because the proxy reads the same shape from MOVED/ASK replies and CLUSTER SHARDS.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace slotgate {

struct Endpoint {
  std::string host;  // a name, an IPv4 address, or an IPv6 address without brackets
  uint16_t port = 0;

  // "host:port"; an IPv6 host is bracketed ("[::1]:7001") so the text parses back.
  std::string ToString() const;
  bool operator==(const Endpoint&) const = default;
};

// Parses "host:port" or "[v6]:port" (an optional %zone inside the brackets). Port 1-65535.
// On failure returns nullopt and, when `why` is given, sets it to a phrase meant to follow the
// quoted text, e.g. "has no port (expected host:port)", so callers can say what the text was for:
// "node address '127.0.0.1' has no port (expected host:port)".
std::optional<Endpoint> ParseEndpoint(std::string_view text, std::string* why);

}  // namespace slotgate
