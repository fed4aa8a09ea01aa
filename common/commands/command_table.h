// The set of commands slotgate can route, built from a Redis server's own COMMAND reply so
// that it follows the server version and the modules the cluster runs. A reply recorded from
// Debian's redis-server 7.0 is compiled in for use before any backend has answered.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/commands/command_info.h"
#include "common/resp/value.h"

namespace slotgate {

// The COMMAND reply of Debian's redis-server 7.0.15, raw RESP2 bytes.
extern const std::string_view kRecordedCommandReply;

struct CommandLookup {
  enum class Status : uint8_t { kFound, kUnknownCommand, kUnknownSubcommand };
  Status status = Status::kUnknownCommand;
  const CommandInfo* command = nullptr;  // kFound: the subcommand when one was named
};

class CommandTable {
 public:
  // Builds a table from a decoded COMMAND (or COMMAND INFO) reply. Entries that do not have the
  // shape Redis 7 documents are skipped and counted in `*skipped` when given.
  static std::shared_ptr<const CommandTable> FromReply(const RespValue& reply,
                                                       size_t* skipped = nullptr);
  // Decodes a raw COMMAND reply and builds from it, keeping the bytes so slotgate can answer
  // COMMAND itself. nullptr when the bytes are not one whole RESP reply or name no command.
  static std::shared_ptr<const CommandTable> FromRawReply(std::string_view bytes);
  // The table from kRecordedCommandReply; built once.
  static std::shared_ptr<const CommandTable> Recorded();

  // The COMMAND reply this table was built from (empty when built from a decoded value).
  std::string_view raw_reply() const { return raw_reply_; }

  // Resolves `args[0]` (and `args[1]` for a container command such as CONFIG or OBJECT),
  // case-insensitively. A container called without a subcommand resolves to the container
  // itself, whose arity then refuses it, as in Redis.
  CommandLookup Find(std::span<const std::string_view> args) const;
  const CommandInfo* FindByName(std::string_view lower_case_name) const;

  size_t size() const { return commands_.size(); }
  // CommandInfo::id runs from 0 to this, commands and subcommands alike.
  uint32_t id_count() const { return id_count_; }

 private:
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view name) const { return std::hash<std::string_view>{}(name); }
  };
  using Map = std::unordered_map<std::string, CommandInfo, NameHash, std::equal_to<>>;

 public:
  const Map& commands() const { return commands_; }

 private:
  Map commands_;  // by lower-case name
  uint32_t id_count_ = 0;
  std::string raw_reply_;
};

}  // namespace slotgate
