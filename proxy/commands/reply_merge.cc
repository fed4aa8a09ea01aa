#include "proxy/commands/reply_merge.h"

#include <charconv>

#include "common/resp/reply_scanner.h"
#include "common/resp/writer.h"

namespace slotgate {
namespace {

bool IsError(std::string_view reply) {
  return !reply.empty() && (reply[0] == '-' || reply[0] == '!');
}

bool ParseIntegerReply(std::string_view reply, int64_t* value) {
  if (reply.size() < 4 || reply[0] != ':') return false;
  const std::string_view digits = reply.substr(1, reply.size() - 3);
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *value);
  return ec == std::errc() && end == digits.data() + digits.size();
}

std::string ProxyError(std::string_view what) {
  std::string out;
  WriteError(out, std::string("ERR proxy: ") + std::string(what));
  return out;
}

}  // namespace

bool SplitArrayReply(std::string_view reply, std::vector<std::string_view>* elements) {
  elements->clear();
  if (reply.empty() || (reply[0] != '*' && reply[0] != '~' && reply[0] != '>')) return false;
  const size_t line_end = reply.find("\r\n");
  if (line_end == reply.npos) return false;
  int64_t count = 0;
  const auto [end, ec] = std::from_chars(reply.data() + 1, reply.data() + line_end, count);
  if (ec != std::errc() || end != reply.data() + line_end) return false;
  if (count < 0) return true;  // a null array has no elements
  size_t offset = line_end + 2;
  for (int64_t i = 0; i < count; ++i) {
    ReplyScanner scanner;
    ScannedReply element;
    if (scanner.Scan(reply.substr(offset), &element) != ScanStatus::kComplete) return false;
    elements->push_back(reply.substr(offset, element.length));
    offset += element.length;
  }
  return offset == reply.size();
}

std::string_view FirstError(std::span<const std::string> replies) {
  for (const std::string& reply : replies) {
    if (IsError(reply)) return reply;
  }
  return {};
}

std::string MergeByKeyOrder(std::span<const std::string> replies,
                            std::span<const std::vector<uint32_t>> key_orders, size_t keys) {
  if (const std::string_view error = FirstError(replies); !error.empty()) return std::string(error);
  std::vector<std::string_view> merged(keys);
  std::vector<std::string_view> elements;
  for (size_t p = 0; p < replies.size(); ++p) {
    if (!SplitArrayReply(replies[p], &elements) || elements.size() != key_orders[p].size()) {
      return ProxyError("a part of the split request got an unexpected reply");
    }
    for (size_t i = 0; i < elements.size(); ++i) merged[key_orders[p][i]] = elements[i];
  }
  std::string out;
  WriteArrayHeader(out, keys);
  for (const std::string_view element : merged) out.append(element);
  return out;
}

std::string SumIntegers(std::span<const std::string> replies) {
  if (const std::string_view error = FirstError(replies); !error.empty()) return std::string(error);
  int64_t total = 0;
  for (const std::string& reply : replies) {
    int64_t value = 0;
    if (!ParseIntegerReply(reply, &value)) {
      return ProxyError("a part of the request got a non-integer reply");
    }
    total += value;
  }
  std::string out;
  WriteInteger(out, total);
  return out;
}

std::string ConcatArrays(std::span<const std::string> replies) {
  if (const std::string_view error = FirstError(replies); !error.empty()) return std::string(error);
  std::vector<std::string_view> all;
  std::vector<std::string_view> elements;
  for (const std::string& reply : replies) {
    if (!SplitArrayReply(reply, &elements)) {
      return ProxyError("a part of the request got a non-array reply");
    }
    all.insert(all.end(), elements.begin(), elements.end());
  }
  std::string out;
  WriteArrayHeader(out, all.size());
  for (const std::string_view element : all) out.append(element);
  return out;
}

std::string AndOfIntegerArrays(std::span<const std::string> replies) {
  if (const std::string_view error = FirstError(replies); !error.empty()) return std::string(error);
  std::vector<int64_t> result;
  std::vector<std::string_view> elements;
  for (size_t p = 0; p < replies.size(); ++p) {
    if (!SplitArrayReply(replies[p], &elements) || (p > 0 && elements.size() != result.size())) {
      return ProxyError("a part of the request got an unexpected reply");
    }
    if (p == 0) result.assign(elements.size(), 1);
    for (size_t i = 0; i < elements.size(); ++i) {
      int64_t value = 0;
      if (!ParseIntegerReply(elements[i], &value)) {
        return ProxyError("a part of the request got an unexpected reply");
      }
      result[i] = result[i] && value;
    }
  }
  std::string out;
  WriteArrayHeader(out, result.size());
  for (const int64_t value : result) WriteInteger(out, value);
  return out;
}

std::string FirstUnlessError(std::span<const std::string> replies) {
  if (const std::string_view error = FirstError(replies); !error.empty()) return std::string(error);
  return replies.empty() ? std::string() : replies[0];
}

std::string FirstNonNull(std::span<const std::string> replies) {
  if (const std::string_view error = FirstError(replies); !error.empty()) return std::string(error);
  for (const std::string& reply : replies) {
    if (reply != "$-1\r\n" && reply != "_\r\n") return reply;
  }
  return replies.empty() ? std::string("$-1\r\n") : replies[0];
}

}  // namespace slotgate
