// Commands slotgate answers itself because they concern the client's connection to slotgate,
// not the data: PING, ECHO, QUIT, SELECT, HELLO, AUTH, RESET, COMMAND, CLIENT, INFO, READONLY.
// Pure apart from reading the worker's counters, so replies are unit-testable.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "common/commands/command_info.h"
#include "proxy/worker_context.h"

namespace slotgate {

struct LocalSession {
  uint64_t id = 0;
  std::string* name = nullptr;
  std::string peer;
};

struct LocalAnswer {
  bool close_after = false;  // QUIT: close once the reply is written
};

// Appends the reply to `args` (already resolved to `cmd` and arity-checked) to `reply`.
LocalAnswer AnswerLocally(const CommandInfo& cmd, std::span<const std::string_view> args,
                          const LocalSession& session, const WorkerContext& context,
                          std::string* reply);

}  // namespace slotgate
