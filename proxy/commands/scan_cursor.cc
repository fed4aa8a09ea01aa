#include "proxy/commands/scan_cursor.h"

#include <charconv>
#include <vector>

#include "common/resp/writer.h"
#include "proxy/commands/reply_merge.h"

namespace slotgate {

std::optional<ScanPosition> DecodeScanCursor(std::string_view cursor, uint64_t node_count) {
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), value);
  if (ec != std::errc() || end != cursor.data() + cursor.size() || cursor.empty()) {
    return std::nullopt;
  }
  ScanPosition position{value & ((1u << kScanNodeBits) - 1), value >> kScanNodeBits};
  if (position.node_index >= node_count) return std::nullopt;
  return position;
}

uint64_t EncodeScanCursor(ScanPosition position) {
  return (position.node_cursor << kScanNodeBits) | position.node_index;
}

std::string RewriteScanReply(std::string_view reply, uint64_t node_index, uint64_t node_count) {
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
  uint64_t next = 0;
  if (node_cursor != 0) {
    next = EncodeScanCursor({node_index, node_cursor});
  } else if (node_index + 1 < node_count) {
    next = EncodeScanCursor({node_index + 1, 0});
  }
  std::string out;
  WriteArrayHeader(out, 2);
  WriteBulkString(out, std::to_string(next));
  out.append(elements[1]);
  return out;
}

}  // namespace slotgate
