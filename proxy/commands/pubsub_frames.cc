#include "proxy/commands/pubsub_frames.h"

#include "common/resp/writer.h"

namespace slotgate {
namespace {

constexpr std::string_view kKeyspacePrefixes[] = {"__keyspace@", "__keyevent@"};

}  // namespace

std::string_view PushKind(std::string_view frame) {
  const size_t header_end = frame.find("\r\n");
  if (header_end == std::string_view::npos || header_end + 1 >= frame.size()) return {};
  const std::string_view rest = frame.substr(header_end + 2);
  if (rest.empty() || (rest[0] != '$' && rest[0] != '+')) return {};
  const size_t line_end = rest.find("\r\n");
  if (line_end == std::string_view::npos) return {};
  if (rest[0] == '+') return rest.substr(1, line_end - 1);
  size_t length = 0;
  for (size_t i = 1; i < line_end; ++i) {
    if (rest[i] < '0' || rest[i] > '9') return {};
    length = length * 10 + static_cast<size_t>(rest[i] - '0');
  }
  if (line_end + 2 + length > rest.size()) return {};
  return rest.substr(line_end + 2, length);
}

void WriteSubscriptionReply(std::string& out, bool resp3, std::string_view kind,
                            const std::string_view* name, size_t count) {
  if (resp3) {
    WritePushHeader(out, 3);
  } else {
    WriteArrayHeader(out, 3);
  }
  WriteBulkString(out, kind);
  if (name) {
    WriteBulkString(out, *name);
  } else if (resp3) {
    WriteNull(out);
  } else {
    WriteNullBulk(out);
  }
  WriteInteger(out, static_cast<int64_t>(count));
}

bool IsKeyspaceChannel(std::string_view name, bool pattern) {
  for (const std::string_view prefix : kKeyspacePrefixes) {
    if (name.starts_with(prefix)) return true;
  }
  if (!pattern) return false;
  // A pattern whose literal start could still become a keyspace channel, e.g. "__key*__:*".
  // A bare "*" is not counted: published messages would then arrive once per master.
  const size_t glob = name.find_first_of("*?[\\");
  const std::string_view literal = name.substr(0, glob);
  if (literal.size() < 3 || glob == std::string_view::npos) return false;
  for (const std::string_view prefix : kKeyspacePrefixes) {
    if (prefix.starts_with(literal)) return true;
  }
  return false;
}

}  // namespace slotgate
