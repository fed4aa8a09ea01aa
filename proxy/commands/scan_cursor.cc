#include "proxy/commands/scan_cursor.h"

#include <charconv>
#include <vector>

#include "common/resp/writer.h"
#include "proxy/commands/reply_merge.h"

namespace slotgate {

namespace {

constexpr unsigned kSlotBits = 14;

}  // namespace

uint8_t ScanCheckByte(const Endpoint& master) {
  // FNV-1a over "host:port", folded to a byte.
  uint32_t hash = 2166136261u;
  const auto mix = [&](std::string_view bytes) {
    for (const char c : bytes) hash = (hash ^ static_cast<uint8_t>(c)) * 16777619u;
  };
  mix(master.host);
  mix(":");
  mix(std::to_string(master.port));
  return static_cast<uint8_t>(hash ^ (hash >> 8) ^ (hash >> 16) ^ (hash >> 24));
}

std::optional<ScanPosition> DecodeScanCursor(std::string_view cursor) {
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), value);
  if (ec != std::errc() || end != cursor.data() + cursor.size() || cursor.empty()) {
    return std::nullopt;
  }
  ScanPosition position;
  position.node.first_slot = static_cast<uint16_t>(value & ((1u << kSlotBits) - 1));
  position.node.check = static_cast<uint8_t>((value >> kSlotBits) & 0xFF);
  position.node_cursor = value >> kScanNodeBits;
  return position;
}

uint64_t EncodeScanCursor(const ScanPosition& position) {
  return (position.node_cursor << kScanNodeBits) | (uint64_t{position.node.check} << kSlotBits) |
         position.node.first_slot;
}

std::string RewriteScanReply(std::string_view reply, ScanNode here, std::optional<ScanNode> next) {
  std::vector<std::string_view> elements;
  if (!SplitArrayReply(reply, &elements) || elements.size() != 2 || elements[0].empty() ||
      elements[0][0] != '$') {
    return std::string(reply);  // an error, passed on as it is
  }
  const std::string_view text = elements[0];
  const size_t body = text.find("\r\n") + 2;
  const std::string_view digits = text.substr(body, text.size() - body - 2);
  uint64_t node_cursor = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), node_cursor);
  uint64_t client_cursor = 0;
  if (node_cursor != 0) {
    client_cursor = EncodeScanCursor({here, node_cursor});
  } else if (next) {
    client_cursor = EncodeScanCursor({*next, 0});
  }
  std::string out;
  WriteArrayHeader(out, 2);
  WriteBulkString(out, std::to_string(client_cursor));
  out.append(elements[1]);
  return out;
}

}  // namespace slotgate
