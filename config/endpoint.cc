#include "config/endpoint.h"

#include <algorithm>
#include <charconv>

#include "config/quote.h"

namespace slotgate {
namespace {

// Longer names are not valid DNS names; refusing them keeps error texts and tables bounded.
constexpr size_t kMaxHostLength = 255;

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

bool IsIpv6Char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' ||
         c == '.';
}

// Checks a host as written between the brackets of "[v6]" (`bracketed`) or before the colon.
bool CheckHost(std::string_view host, bool bracketed, std::string* why) {
  if (host.empty()) {
    *why = "has an empty host";
    return false;
  }
  if (host.size() > kMaxHostLength) {
    *why = "has a host longer than " + std::to_string(kMaxHostLength) + " characters";
    return false;
  }
  if (bracketed) {
    const size_t zone = host.find('%');
    const std::string_view address = host.substr(0, zone);
    if (address.find(':') == address.npos) {
      *why = "has no IPv6 address inside its brackets";
      return false;
    }
    for (char c : address) {
      if (!IsIpv6Char(c)) {
        *why = "has an invalid character " + QuoteChar(c) + " in its IPv6 address";
        return false;
      }
    }
    if (zone != host.npos) {
      const std::string_view zone_id = host.substr(zone + 1);
      if (zone_id.empty() || !std::all_of(zone_id.begin(), zone_id.end(), IsNameChar)) {
        *why = "has an invalid IPv6 zone";
        return false;
      }
    }
    return true;
  }
  for (char c : host) {
    if (!IsNameChar(c)) {
      *why = "has an invalid character " + QuoteChar(c) + " in its host";
      return false;
    }
  }
  return true;
}

std::optional<uint16_t> ParsePort(std::string_view text, std::string_view expected,
                                  std::string* why) {
  if (text.empty()) {
    *why = "has no port (expected " + std::string(expected) + ")";
    return std::nullopt;
  }
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    *why = "has a port that is not a number (" + Quote(text) + ")";
    return std::nullopt;
  }
  uint32_t port = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc() || end != text.data() + text.size() || port == 0 || port > 65535) {
    *why = "has port " + std::string(text.substr(0, 20)) + " out of range 1-65535";
    return std::nullopt;
  }
  return static_cast<uint16_t>(port);
}

}  // namespace

std::string Endpoint::ToString() const {
  const std::string port_text = std::to_string(port);
  if (host.find(':') != host.npos) return "[" + host + "]:" + port_text;
  return host + ":" + port_text;
}

std::optional<Endpoint> ParseEndpoint(std::string_view text, std::string* why) {
  std::string ignored;
  if (why == nullptr) why = &ignored;
  if (text.empty()) {
    *why = "is empty (expected host:port)";
    return std::nullopt;
  }
  std::string_view host;
  std::string_view port;
  bool bracketed = false;
  if (text.front() == '[') {
    const size_t close = text.find(']');
    if (close == text.npos) {
      *why = "has an unclosed '[' (expected [host]:port)";
      return std::nullopt;
    }
    host = text.substr(1, close - 1);
    bracketed = true;
    const std::string_view rest = text.substr(close + 1);
    if (rest.empty()) {
      *why = "has no port (expected [host]:port)";
      return std::nullopt;
    }
    if (rest.front() != ':') {
      *why = "has unexpected text after ']' (expected [host]:port)";
      return std::nullopt;
    }
    port = rest.substr(1);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == text.npos) {
      *why = "has no port (expected host:port)";
      return std::nullopt;
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != host.npos) {
      *why = "has an IPv6 address without brackets (expected [host]:port)";
      return std::nullopt;
    }
  }
  if (!CheckHost(host, bracketed, why)) return std::nullopt;
  const std::optional<uint16_t> port_number =
      ParsePort(port, bracketed ? "[host]:port" : "host:port", why);
  if (!port_number) return std::nullopt;
  return Endpoint{std::string(host), *port_number};
}

}  // namespace slotgate
