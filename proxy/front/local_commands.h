// Commands slotgate answers itself because they concern the client's connection to slotgate,
// not the data: PING, ECHO, QUIT, SELECT, HELLO, AUTH, RESET, COMMAND, CLIENT, INFO, READONLY.
// Pure apart from reading the worker's counters, so replies are unit-testable.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/commands/command_info.h"
#include "proxy/front/client_command.h"
#include "proxy/commands/composite_plans.h"
#include "proxy/worker_context.h"

namespace slotgate {

struct LocalSession {
  uint64_t id = 0;
  std::string* name = nullptr;
  bool* resp3 = nullptr;  // HELLO changes it
  ClientRegistry* registry = nullptr;
  const UserDirectory* users = nullptr;
  const AclIdentity** user = nullptr;  // AUTH, HELLO AUTH and RESET change it
};

struct LocalAnswer {
  bool close_after = false;             // QUIT: close once the reply is written
  std::optional<ReplyMode> reply_mode;  // CLIENT REPLY
  std::optional<bool> no_evict;         // CLIENT NO-EVICT
  // INFO asking for the keyspace: the reply is this plan's merge (slotgate's sections, then
  // every master's keyspace summed), to be started with CompositeRequest::Start. `reply` then
  // holds slotgate's own sections alone, for a caller that cannot wait for the masters.
  std::optional<CompositePlan> fan_out;
};

// Appends the reply to `args` (already resolved to `cmd` and arity-checked) to `reply`.
LocalAnswer AnswerLocally(const CommandInfo& cmd, std::span<const std::string_view> args,
                          const LocalSession& session, const WorkerContext& context,
                          std::string* reply);

}  // namespace slotgate
