#include "proxy/commands/reply_merge.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <unordered_set>

#include "common/resp/reply_scanner.h"
#include "common/resp/writer.h"

namespace slotgate {
namespace {

bool IsError(std::string_view reply) {
  return !reply.empty() && (reply[0] == '-' || reply[0] == '!');
}

std::string ProxyError(std::string_view what) { return ProxyErrorReply(what); }

}  // namespace

bool ParseIntegerReply(std::string_view reply, int64_t* value) {
  if (reply.size() < 4 || reply[0] != ':' || !reply.ends_with("\r\n")) return false;
  const std::string_view digits = reply.substr(1, reply.size() - 3);
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *value);
  return ec == std::errc() && end == digits.data() + digits.size();
}

std::string ProxyErrorReply(std::string_view what) {
  std::string out;
  WriteError(out, std::string("ERR proxy: ") + std::string(what));
  return out;
}

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
                            std::span<const std::vector<uint32_t>> key_orders, size_t keys,
                            size_t per_key) {
  if (const std::string_view error = FirstError(replies); !error.empty()) return std::string(error);
  std::vector<std::string_view> merged(keys * per_key);
  std::vector<std::string_view> elements;
  for (size_t p = 0; p < replies.size(); ++p) {
    if (!SplitArrayReply(replies[p], &elements) ||
        elements.size() != key_orders[p].size() * per_key) {
      return ProxyError("a part of the split request got an unexpected reply");
    }
    for (size_t i = 0; i < elements.size(); ++i) {
      merged[key_orders[p][i / per_key] * per_key + i % per_key] = elements[i];
    }
  }
  std::string out;
  WriteArrayHeader(out, merged.size());
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

std::string AnyKilled(std::span<const std::string> replies) {
  for (const std::string_view wanted : {"+OK", "-UNKILLABLE", "-NOTBUSY"}) {
    for (const std::string& reply : replies) {
      if (reply.starts_with(wanted)) return reply;
    }
  }
  return replies.empty() ? std::string() : replies[0];
}

std::string FirstNonNull(std::span<const std::string> replies) {
  if (const std::string_view error = FirstError(replies); !error.empty()) return std::string(error);
  for (const std::string& reply : replies) {
    if (reply != "$-1\r\n" && reply != "_\r\n") return reply;
  }
  return replies.empty() ? std::string("$-1\r\n") : replies[0];
}

std::string AgreedReply(std::span<const std::string> replies, std::span<const Endpoint> nodes) {
  if (const std::string_view error = FirstError(replies); !error.empty()) return std::string(error);
  std::string differing;
  for (size_t i = 1; i < replies.size(); ++i) {
    if (replies[i] == replies[0]) continue;
    differing += (differing.empty() ? "" : ", ") + nodes[i].ToString();
  }
  if (differing.empty()) return replies.empty() ? std::string() : replies[0];
  return ProxyError("nodes disagree: " + nodes[0].ToString() + " differs from " + differing);
}

std::string UnionArrays(std::span<const std::string> replies) {
  if (const std::string_view error = FirstError(replies); !error.empty()) return std::string(error);
  std::vector<std::string_view> all;
  std::unordered_set<std::string_view> seen;
  std::vector<std::string_view> elements;
  for (const std::string& reply : replies) {
    if (!SplitArrayReply(reply, &elements)) {
      return ProxyError("a part of the request got a non-array reply");
    }
    for (const std::string_view element : elements) {
      if (seen.insert(element).second) all.push_back(element);
    }
  }
  std::string out;
  WriteArrayHeader(out, all.size());
  for (const std::string_view element : all) out.append(element);
  return out;
}

std::string SumCountsPerName(std::span<const std::string> replies) {
  if (const std::string_view error = FirstError(replies); !error.empty()) return std::string(error);
  std::vector<std::string_view> names;
  std::vector<int64_t> counts;
  std::vector<std::string_view> elements;
  for (size_t p = 0; p < replies.size(); ++p) {
    const bool shaped = SplitArrayReply(replies[p], &elements) && elements.size() % 2 == 0 &&
                        (p == 0 || elements.size() == 2 * names.size());
    if (!shaped) return ProxyError("a part of the request got an unexpected reply");
    if (p == 0) {
      for (size_t i = 0; i < elements.size(); i += 2) names.push_back(elements[i]);
      counts.assign(names.size(), 0);
    }
    for (size_t i = 0; i < names.size(); ++i) {
      int64_t count = 0;
      if (elements[2 * i] != names[i] || !ParseIntegerReply(elements[2 * i + 1], &count)) {
        return ProxyError("a part of the request got an unexpected reply");
      }
      counts[i] += count;
    }
  }
  std::string out;
  WriteArrayHeader(out, 2 * names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    out.append(names[i]);
    WriteInteger(out, counts[i]);
  }
  return out;
}

std::string MinInteger(std::span<const std::string> replies) {
  if (const std::string_view error = FirstError(replies); !error.empty()) return std::string(error);
  if (replies.empty()) return ProxyError("no node answered");
  int64_t least = INT64_MAX;
  for (const std::string& reply : replies) {
    int64_t value = 0;
    if (!ParseIntegerReply(reply, &value)) {
      return ProxyError("a part of the request got a non-integer reply");
    }
    least = std::min(least, value);
  }
  std::string out;
  WriteInteger(out, least);
  return out;
}

}  // namespace slotgate
