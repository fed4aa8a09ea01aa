#include "proxy/front/local_commands.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>

#include "common/errors.h"
#include "common/resp/writer.h"
#include "proxy/dispatch/request_dispatcher.h"

namespace slotgate {
namespace {

using Args = std::span<const std::string_view>;

// The Redis version slotgate presents: the one whose command table it ships.
constexpr std::string_view kPresentedRedisVersion = "7.0.15";

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<long long> ParseInteger(std::string_view text) {
  long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// Redis refuses client names with spaces, newlines or other bytes outside '!'..'~'.
bool ValidClientName(std::string_view name) {
  return std::all_of(name.begin(), name.end(), [](char c) { return c >= '!' && c <= '~'; });
}

void Select(Args args, std::string* reply) {
  const std::optional<long long> db = ParseInteger(args[1]);
  if (!db || *db < INT32_MIN || *db > INT32_MAX) {
    WriteError(*reply, "ERR value is not an integer or out of range");
  } else if (*db != 0) {
    WriteError(*reply, errors::kSelectNotAllowed);
  } else {
    WriteSimpleString(*reply, "OK");
  }
}

void Hello(Args args, const LocalSession& session, std::string* reply) {
  if (args.size() >= 2) {
    const std::optional<long long> version = ParseInteger(args[1]);
    if (!version) {
      WriteError(*reply, "ERR Protocol version is not an integer or out of range");
      return;
    }
    // RESP3 needs RESP3 backend connections; until slotgate keeps them, only RESP2.
    if (*version != 2) {
      WriteError(*reply, "NOPROTO unsupported protocol version");
      return;
    }
  }
  for (size_t i = 2; i < args.size(); ++i) {
    const bool more = i + 1 < args.size();
    if (EqualsIgnoreCase(args[i], "AUTH") && i + 2 < args.size()) {
      WriteError(*reply, "WRONGPASS invalid username-password pair or user is disabled.");
      return;
    }
    if (EqualsIgnoreCase(args[i], "SETNAME") && more) {
      if (!ValidClientName(args[i + 1])) {
        WriteError(*reply,
                   "ERR Client names cannot contain spaces, newlines or special characters.");
        return;
      }
      session.name->assign(args[i + 1]);
      ++i;
      continue;
    }
    std::string error = "ERR Syntax error in HELLO option '";
    error.append(args[i]);
    error.append("'");
    WriteError(*reply, error);
    return;
  }
  WriteArrayHeader(*reply, 14);
  const std::pair<std::string_view, std::string_view> texts[] = {
      {"server", "redis"}, {"version", kPresentedRedisVersion}};
  for (const auto& [key, value] : texts) {
    WriteBulkString(*reply, key);
    WriteBulkString(*reply, value);
  }
  WriteBulkString(*reply, "proto");
  WriteInteger(*reply, 2);
  WriteBulkString(*reply, "id");
  WriteInteger(*reply, static_cast<int64_t>(session.id));
  WriteBulkString(*reply, "mode");
  WriteBulkString(*reply, "standalone");
  WriteBulkString(*reply, "role");
  WriteBulkString(*reply, "master");
  WriteBulkString(*reply, "modules");
  WriteArrayHeader(*reply, 0);
}

void Client(Args args, const LocalSession& session, std::string* reply) {
  const std::string_view sub = args[1];
  if (EqualsIgnoreCase(sub, "SETNAME")) {
    if (!ValidClientName(args[2])) {
      WriteError(*reply, "ERR Client names cannot contain spaces, newlines or special characters.");
      return;
    }
    session.name->assign(args[2]);
    WriteSimpleString(*reply, "OK");
  } else if (EqualsIgnoreCase(sub, "GETNAME")) {
    if (session.name->empty()) {
      WriteNullBulk(*reply);
    } else {
      WriteBulkString(*reply, *session.name);
    }
  } else if (EqualsIgnoreCase(sub, "ID")) {
    WriteInteger(*reply, static_cast<int64_t>(session.id));
  } else {
    std::string error = "ERR proxy: CLIENT ";
    for (const char c : sub) error.push_back(static_cast<char>(std::toupper(c)));
    error.append(" is not available through slotgate");
    WriteError(*reply, error);
  }
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

void Info(Args args, const WorkerContext& context, std::string* reply) {
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
    AppendField(text, "slotgate_masters", table.shards().size());
    AppendField(text, "slotgate_slots_served", served);
    text.append("\r\n");
  }
  if (text.size() >= 2) text.resize(text.size() - 2);  // no blank line after the last section
  WriteBulkString(*reply, text);
}

}  // namespace

LocalAnswer AnswerLocally(const CommandInfo& cmd, Args args, const LocalSession& session,
                          const WorkerContext& context, std::string* reply) {
  LocalAnswer answer;
  const std::string_view name = cmd.name;
  if (name == "ping") {
    if (args.size() > 2) {
      WriteError(*reply, "ERR wrong number of arguments for 'ping' command");
    } else if (args.size() == 2) {
      WriteBulkString(*reply, args[1]);
    } else {
      WriteSimpleString(*reply, "PONG");
    }
  } else if (name == "echo") {
    WriteBulkString(*reply, args[1]);
  } else if (name == "quit") {
    WriteSimpleString(*reply, "OK");
    answer.close_after = true;
  } else if (name == "select") {
    Select(args, reply);
  } else if (name == "hello") {
    Hello(args, session, reply);
  } else if (name == "auth") {
    WriteError(*reply,
               "ERR AUTH <password> called without any password configured for the default "
               "user. Are you sure your configuration is correct?");
  } else if (name == "reset") {
    session.name->clear();
    WriteSimpleString(*reply, "RESET");
  } else if (name == "command") {
    reply->append(context.commands->raw_reply());
  } else if (name == "command|count") {
    WriteInteger(*reply, static_cast<int64_t>(context.commands->size()));
  } else if (name.starts_with("client|")) {
    Client(args, session, reply);
  } else if (name == "info") {
    Info(args, context, reply);
  } else if (name == "readonly" || name == "readwrite" || name == "asking") {
    WriteSimpleString(*reply, "OK");
  } else {
    std::string error = "ERR proxy: '";
    error.append(cmd.name);
    error.append("' is not available through slotgate yet");
    WriteError(*reply, error);
  }
  return answer;
}

}  // namespace slotgate
