#include "proxy/commands/server_merge.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <utility>
#include <vector>

#include "common/resp/writer.h"
#include "proxy/commands/reply_merge.h"

namespace slotgate {
namespace {

struct TimedEntry {
  int64_t timestamp = 0;
  std::string_view bytes;
};

// The text of a bulk ("$") or verbatim ("=", with its "txt:" format) string reply.
bool StringPayload(std::string_view reply, std::string_view* text) {
  if (reply.empty() || (reply[0] != '$' && reply[0] != '=')) return false;
  const size_t line_end = reply.find("\r\n");
  if (line_end == reply.npos) return false;
  size_t length = 0;
  const auto [end, ec] = std::from_chars(reply.data() + 1, reply.data() + line_end, length);
  if (ec != std::errc() || end != reply.data() + line_end) return false;
  if (reply.size() != line_end + 2 + length + 2) return false;
  *text = reply.substr(line_end + 2, length);
  if (reply[0] == '=') {
    if (text->size() < 4 || (*text)[3] != ':') return false;
    text->remove_prefix(4);
  }
  return true;
}

// One "name=value" count of a keyspace line, summed over the parts.
struct KeyspaceField {
  std::string_view name;
  int64_t total = 0;
};

// Adds the counts of one "db0:keys=1,expires=0,avg_ttl=0" line (after "db0:") to `fields`,
// and its avg_ttl times its expires to `weighted_ttl`.
bool AddKeyspaceLine(std::string_view line, std::vector<KeyspaceField>* fields,
                     long double* weighted_ttl) {
  int64_t expires = 0;
  int64_t avg_ttl = 0;
  while (!line.empty()) {
    const size_t comma = std::min(line.find(','), line.size());
    const std::string_view pair = line.substr(0, comma);
    line.remove_prefix(std::min(comma + 1, line.size()));
    const size_t equals = pair.find('=');
    if (equals == pair.npos) return false;
    const std::string_view name = pair.substr(0, equals);
    const std::string_view digits = pair.substr(equals + 1);
    int64_t value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size()) return false;
    if (name == "avg_ttl") {
      avg_ttl = value;
    } else if (name == "expires") {
      expires = value;
    }
    auto field = std::find_if(fields->begin(), fields->end(),
                              [&](const KeyspaceField& f) { return f.name == name; });
    if (field == fields->end()) field = fields->insert(fields->end(), {name, 0});
    if (name != "avg_ttl") field->total += value;
  }
  *weighted_ttl += static_cast<long double>(avg_ttl) * static_cast<long double>(expires);
  return true;
}

}  // namespace

std::string NewestSlowlogEntries(std::span<const std::string> replies, size_t limit) {
  if (const std::string_view error = FirstError(replies); !error.empty()) return std::string(error);
  std::vector<TimedEntry> entries;
  std::vector<std::string_view> elements;
  std::vector<std::string_view> fields;
  for (const std::string& reply : replies) {
    if (!SplitArrayReply(reply, &elements)) {
      return ProxyErrorReply("a part of the request got a non-array reply");
    }
    for (const std::string_view entry : elements) {
      TimedEntry timed{0, entry};
      if (!SplitArrayReply(entry, &fields) || fields.size() < 2 ||
          !ParseIntegerReply(fields[1], &timed.timestamp)) {
        return ProxyErrorReply("a part of the request got an unexpected reply");
      }
      entries.push_back(timed);
    }
  }
  std::stable_sort(entries.begin(), entries.end(), [](const TimedEntry& a, const TimedEntry& b) {
    return a.timestamp > b.timestamp;
  });
  if (entries.size() > limit) entries.resize(limit);
  std::string out;
  WriteArrayHeader(out, entries.size());
  for (const TimedEntry& entry : entries) out.append(entry.bytes);
  return out;
}

std::string MergeInfoKeyspace(std::string_view local_sections,
                              std::span<const std::string> replies) {
  std::vector<KeyspaceField> fields;
  long double weighted_ttl = 0;
  bool verbatim = false;
  size_t not_counted = 0;
  for (const std::string& reply : replies) {
    if (!reply.empty() && (reply[0] == '-' || reply[0] == '!')) {
      ++not_counted;
      continue;
    }
    std::string_view text;
    if (!StringPayload(reply, &text)) {
      return ProxyErrorReply("a part of the request got an unexpected reply");
    }
    verbatim = verbatim || reply[0] == '=';
    while (!text.empty()) {
      const size_t line_end = std::min(text.find("\r\n"), text.size());
      const std::string_view line = text.substr(0, line_end);
      text.remove_prefix(std::min(line_end + 2, text.size()));
      // Only database 0: the one a client of slotgate can reach, as in cluster mode.
      if (!line.starts_with("db0:")) continue;
      if (!AddKeyspaceLine(line.substr(4), &fields, &weighted_ttl)) {
        return ProxyErrorReply("a part of the request got an unexpected reply");
      }
    }
  }
  int64_t keys = 0;
  int64_t expires = 0;
  for (const KeyspaceField& field : fields) {
    if (field.name == "keys") keys = field.total;
    if (field.name == "expires") expires = field.total;
  }
  std::string text(local_sections);
  if (!text.empty()) text.append("\r\n");
  text.append("# Keyspace\r\n");
  if (keys > 0) {
    text.append("db0:");
    for (size_t i = 0; i < fields.size(); ++i) {
      const int64_t value =
          fields[i].name != "avg_ttl" ? fields[i].total
          : expires > 0               ? static_cast<int64_t>(weighted_ttl / expires)
                                      : 0;
      if (i > 0) text.push_back(',');
      text.append(fields[i].name);
      text.push_back('=');
      text.append(std::to_string(value));
    }
    text.append("\r\n");
  }
  if (not_counted > 0) {
    text.append("slotgate_masters_not_counted:" + std::to_string(not_counted) + "\r\n");
  }
  std::string out;
  if (verbatim) {
    WriteVerbatim(out, "txt", text);
  } else {
    WriteBulkString(out, text);
  }
  return out;
}

}  // namespace slotgate
