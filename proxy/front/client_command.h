// CLIENT and its subcommands, answered by slotgate about its own clients: the connection a
// client has is to slotgate, not to any node.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "proxy/front/client_registry.h"

namespace slotgate {

// CLIENT REPLY: ON, OFF (no replies), SKIP (no reply to the next command).
enum class ReplyMode : uint8_t { kOn, kOff, kSkip };

struct ClientCommandState {
  uint64_t id = 0;
  std::string* name = nullptr;
  bool resp3 = false;
  ClientRegistry* registry = nullptr;
  std::optional<ReplyMode> reply_mode;  // set by CLIENT REPLY
  std::optional<bool> no_evict;         // set by CLIENT NO-EVICT
};

// Redis refuses client names with spaces, newlines or other bytes outside '!'..'~'.
bool ValidClientName(std::string_view name);

// `args` start with "CLIENT"; the arity is already checked.
void AnswerClient(std::span<const std::string_view> args, ClientCommandState* state,
                  std::string* reply);

}  // namespace slotgate
