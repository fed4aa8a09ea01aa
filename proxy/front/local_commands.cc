#include "proxy/front/local_commands.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>

#include "common/commands/command_policy.h"
#include "common/errors.h"
#include "common/resp/writer.h"
#include "common/text.h"
#include "proxy/commands/server_merge.h"
#include "proxy/dispatch/request_dispatcher.h"

namespace slotgate {
namespace {

using Args = std::span<const std::string_view>;

// The Redis version slotgate presents: the one whose command table it ships.
constexpr std::string_view kPresentedRedisVersion = "7.0.15";

void Select(Args args, std::string* reply) {
  const std::optional<long long> db = ParseStrictInteger(args[1]);
  if (!db || *db < INT32_MIN || *db > INT32_MAX) {
    WriteError(*reply, "ERR value is not an integer or out of range");
  } else if (*db != 0) {
    WriteError(*reply, errors::kSelectNotAllowed);
  } else {
    WriteSimpleString(*reply, "OK");
  }
}

constexpr std::string_view kWrongPass =
    "WRONGPASS invalid username-password pair or user is disabled.";

// AUTH [username] password: a failure keeps the client's identity, as in Redis.
void Auth(Args args, const LocalSession& session, std::string* reply) {
  std::string_view name = "default";
  if (args.size() == 2) {
    if (session.users->DefaultNeedsNoPassword()) {
      WriteError(*reply,
                 "ERR AUTH <password> called without any password configured for the default "
                 "user. Are you sure your configuration is correct?");
      return;
    }
  } else {
    name = args[1];
  }
  const AclIdentity* user = session.users->Authenticate(name, args.back());
  if (!user) {
    WriteError(*reply, kWrongPass);
    return;
  }
  *session.user = user;
  WriteSimpleString(*reply, "OK");
}

void Hello(Args args, const LocalSession& session, std::string* reply) {
  if (args.size() >= 2) {
    const std::optional<long long> version = ParseStrictInteger(args[1]);
    if (!version) {
      WriteError(*reply, "ERR Protocol version is not an integer or out of range");
      return;
    }
    if (*version != 2 && *version != 3) {
      WriteError(*reply, "NOPROTO unsupported protocol version");
      return;
    }
  }
  // Options first, then authentication, then the name: a refused HELLO changes nothing.
  std::optional<std::pair<std::string_view, std::string_view>> credentials;
  std::optional<std::string_view> name;
  for (size_t i = 2; i < args.size(); ++i) {
    const size_t more = args.size() - 1 - i;
    if (EqualsIgnoreCase(args[i], "AUTH") && more >= 2) {
      credentials.emplace(args[i + 1], args[i + 2]);
      i += 2;
    } else if (EqualsIgnoreCase(args[i], "SETNAME") && more >= 1) {
      if (!ValidClientName(args[i + 1])) {
        WriteError(*reply,
                   "ERR Client names cannot contain spaces, newlines or special characters.");
        return;
      }
      name = args[++i];
    } else {
      std::string error = "ERR Syntax error in HELLO option '";
      error.append(args[i]);
      error.append("'");
      WriteError(*reply, error);
      return;
    }
  }
  if (credentials) {
    const AclIdentity* user = session.users->Authenticate(credentials->first, credentials->second);
    if (!user) {
      WriteError(*reply, kWrongPass);
      return;
    }
    *session.user = user;
  }
  if (session.users->enforced() && !*session.user) {
    WriteError(*reply,
               "NOAUTH HELLO must be called with the client already authenticated, otherwise the "
               "HELLO AUTH <user> <pass> option can be used to authenticate the client and "
               "select the RESP protocol version at the same time");
    return;
  }
  if (name) {
    session.name->assign(*name);
    session.registry->SetName(session.id, *session.name);
  }
  if (args.size() >= 2) *session.resp3 = ParseStrictInteger(args[1]) == 3;
  const bool resp3 = *session.resp3;
  if (resp3) {
    WriteMapHeader(*reply, 7);
  } else {
    WriteArrayHeader(*reply, 14);
  }
  const std::pair<std::string_view, std::string_view> texts[] = {
      {"server", "redis"}, {"version", kPresentedRedisVersion}};
  for (const auto& [key, value] : texts) {
    WriteBulkString(*reply, key);
    WriteBulkString(*reply, value);
  }
  WriteBulkString(*reply, "proto");
  WriteInteger(*reply, resp3 ? 3 : 2);
  WriteBulkString(*reply, "id");
  WriteInteger(*reply, static_cast<int64_t>(session.id));
  WriteBulkString(*reply, "mode");
  WriteBulkString(*reply, "standalone");
  WriteBulkString(*reply, "role");
  WriteBulkString(*reply, "master");
  WriteBulkString(*reply, "modules");
  WriteArrayHeader(*reply, 0);
}

uint64_t Sum(const WorkerContext& context, const RelaxedCounter WorkerMetrics::*counter) {
  uint64_t total = 0;
  for (const WorkerMetrics* m : context.process->worker_metrics) total += (m->*counter).Get();
  return total;
}

uint64_t TotalCommands(const WorkerContext& context) {
  uint64_t total = Sum(context, &WorkerMetrics::unknown_commands);
  for (const WorkerMetrics* m : context.process->worker_metrics) {
    for (const auto& [cmd, counters] : m->by_command) total += counters.calls.Get();
  }
  return total;
}

void AppendField(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.push_back(':');
  out.append(value);
  out.append("\r\n");
}
void AppendField(std::string& out, std::string_view name, uint64_t value) {
  AppendField(out, name, std::to_string(value));
}

// slotgate's own INFO sections as INFO text (empty when none is asked for).
std::string LocalInfoSections(Args args, const WorkerContext& context) {
  const auto wants = [&](std::string_view section) {
    if (args.size() < 2) return true;
    for (size_t i = 1; i < args.size(); ++i) {
      if (EqualsIgnoreCase(args[i], section) || EqualsIgnoreCase(args[i], "all") ||
          EqualsIgnoreCase(args[i], "everything") || EqualsIgnoreCase(args[i], "default")) {
        return true;
      }
    }
    return false;
  };
  const Config& config = *context.config;
  const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::steady_clock::now() - context.process->started)
                          .count();
  std::string text;
  if (wants("server")) {
    text.append("# Server\r\n");
    AppendField(text, "redis_version", kPresentedRedisVersion);
    AppendField(text, "redis_mode", "standalone");
    AppendField(text, "slotgate_version", SLOTGATE_VERSION);
    AppendField(text, "process_id", static_cast<uint64_t>(getpid()));
    AppendField(text, "tcp_port", config.listen.port);
    AppendField(text, "uptime_in_seconds", static_cast<uint64_t>(uptime));
    AppendField(text, "uptime_in_days", static_cast<uint64_t>(uptime / 86400));
    AppendField(text, "workers", context.process->worker_metrics.size());
    text.append("\r\n");
  }
  if (wants("clients")) {
    text.append("# Clients\r\n");
    AppendField(text, "connected_clients",
                static_cast<uint64_t>(std::max<int64_t>(0, context.process->connected_clients)));
    AppendField(text, "maxclients", config.limits.max_clients);
    text.append("\r\n");
  }
  if (wants("stats")) {
    text.append("# Stats\r\n");
    AppendField(text, "total_connections_received",
                Sum(context, &WorkerMetrics::client_connections_accepted));
    AppendField(text, "total_commands_processed", TotalCommands(context));
    AppendField(text, "rejected_connections",
                Sum(context, &WorkerMetrics::client_connections_rejected));
    AppendField(text, "slotgate_moved_redirects", Sum(context, &WorkerMetrics::moved));
    AppendField(text, "slotgate_ask_redirects", Sum(context, &WorkerMetrics::ask));
    AppendField(text, "slotgate_tryagain_retries", Sum(context, &WorkerMetrics::tryagain));
    AppendField(text, "slotgate_backend_failures", Sum(context, &WorkerMetrics::backend_failures));
    text.append("\r\n");
  }
  if (wants("cluster")) {
    const SlotTable& table = *context.dispatcher->table();
    size_t served = 0;
    for (uint32_t slot = 0; slot < kSlotCount; ++slot) {
      served += table.ShardForSlot(static_cast<uint16_t>(slot)) != nullptr;
    }
    text.append("# Cluster\r\n");
    AppendField(text, "cluster_enabled", "0");
    AppendField(text, "slotgate_backend_mode", ToString(config.mode));
    AppendField(text, "slotgate_slot_table_version", table.version());
    AppendField(text, "slotgate_masters", table.serving().size());
    AppendField(text, "slotgate_slots_served", served);
    text.append("\r\n");
  }
  if (text.size() >= 2) text.resize(text.size() - 2);  // no blank line after the last section
  return text;
}

// The keyspace is the cluster's, so INFO asking for it waits for every master's count.
void Info(Args args, const WorkerContext& context, std::string* reply, LocalAnswer* answer) {
  std::string text = LocalInfoSections(args, context);
  if (!InfoWantsKeyspace(args)) {
    WriteBulkString(*reply, text);
    return;
  }
  const SlotTable& table = *context.dispatcher->table();
  if (table.serving().empty()) {  // no master known yet: an empty keyspace, as Redis shows one
    reply->append(MergeInfoKeyspace(text, {}));
    return;
  }
  WriteBulkString(*reply, text);
  answer->fan_out = PlanInfoKeyspace(table, std::move(text));
}

}  // namespace

LocalAnswer AnswerLocally(const CommandInfo& cmd, Args args, const LocalSession& session,
                          const WorkerContext& context, std::string* reply) {
  LocalAnswer answer;
  switch (cmd.kind) {
    case CommandKind::kPing:
      if (args.size() > 2) {
        WriteError(*reply, "ERR wrong number of arguments for 'ping' command");
      } else if (args.size() == 2) {
        WriteBulkString(*reply, args[1]);
      } else {
        WriteSimpleString(*reply, "PONG");
      }
      break;
    case CommandKind::kEcho:
      WriteBulkString(*reply, args[1]);
      break;
    case CommandKind::kQuit:
      WriteSimpleString(*reply, "OK");
      answer.close_after = true;
      break;
    case CommandKind::kSelect:
      Select(args, reply);
      break;
    case CommandKind::kHello:
      Hello(args, session, reply);
      break;
    case CommandKind::kAuth:
      Auth(args, session, reply);
      break;
    case CommandKind::kAclWhoami:
      WriteBulkString(*reply, (*session.user)->name);  // NOAUTH refused it before a login
      break;
    case CommandKind::kReset:
      *session.user = session.users->Initial();
      session.name->clear();
      session.registry->SetName(session.id, "");
      *session.resp3 = false;
      WriteSimpleString(*reply, "RESET");
      break;
    case CommandKind::kCommand:
      reply->append(context.commands->raw_reply());
      break;
    case CommandKind::kCommandCount:
      WriteInteger(*reply, static_cast<int64_t>(context.commands->size()));
      break;
    case CommandKind::kClient: {
      ClientCommandState state{session.id, session.name, *session.resp3, session.registry, {}, {}};
      AnswerClient(args, &state, reply);
      answer.reply_mode = state.reply_mode;
      answer.no_evict = state.no_evict;
      break;
    }
    case CommandKind::kInfo:
      Info(args, context, reply, &answer);
      break;
    case CommandKind::kReadOnly:
    case CommandKind::kReadWrite:
    case CommandKind::kAsking:
      WriteSimpleString(*reply, "OK");
      break;
    default: {
      std::string error = "ERR proxy: '";
      error.append(cmd.name);
      error.append("' is not available through slotgate yet");
      WriteError(*reply, error);
    }
  }
  return answer;
}

}  // namespace slotgate
