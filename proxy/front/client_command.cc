#include "proxy/front/client_command.h"

#include <algorithm>

#include "common/resp/writer.h"
#include "common/text.h"

namespace slotgate {
namespace {

using Args = std::span<const std::string_view>;

void List(Args args, const ClientCommandState& state, std::string* reply) {
  ClientFilter filter;
  for (size_t i = 2; i < args.size(); ++i) {
    if (EqualsIgnoreCase(args[i], "TYPE") && i + 1 < args.size()) {
      const std::string_view type = args[++i];
      if (EqualsIgnoreCase(type, "normal")) {
        filter.pubsub = false;
      } else if (EqualsIgnoreCase(type, "pubsub")) {
        filter.pubsub = true;
      } else if (EqualsIgnoreCase(type, "master") || EqualsIgnoreCase(type, "replica") ||
                 EqualsIgnoreCase(type, "slave")) {
        filter.ids.push_back(0);  // slotgate has no replication clients: nothing matches
      } else {
        WriteError(*reply, "ERR Unknown client type '" + std::string(type) + "'");
        return;
      }
    } else if (EqualsIgnoreCase(args[i], "ID") && i + 1 < args.size()) {
      while (++i < args.size()) {
        const std::optional<long long> id = ParseStrictInteger(args[i]);
        if (!id || *id <= 0) {
          WriteError(*reply, "ERR Invalid client ID");
          return;
        }
        filter.ids.push_back(static_cast<uint64_t>(*id));
      }
    } else {
      WriteError(*reply, "ERR syntax error");
      return;
    }
  }
  const std::string text = state.registry->List(filter);
  if (state.resp3) {
    WriteVerbatim(*reply, "txt", text);
  } else {
    WriteBulkString(*reply, text);
  }
}

bool OnOrOff(std::string_view arg) {
  return EqualsIgnoreCase(arg, "on") || EqualsIgnoreCase(arg, "off");
}

}  // namespace

bool ValidClientName(std::string_view name) {
  return std::all_of(name.begin(), name.end(), [](char c) { return c >= '!' && c <= '~'; });
}

void AnswerClient(Args args, ClientCommandState* state, std::string* reply) {
  const std::string_view sub = args[1];
  if (EqualsIgnoreCase(sub, "SETNAME")) {
    if (!ValidClientName(args[2])) {
      WriteError(*reply, "ERR Client names cannot contain spaces, newlines or special characters.");
      return;
    }
    state->name->assign(args[2]);
    state->registry->SetName(state->id, *state->name);
    WriteSimpleString(*reply, "OK");
  } else if (EqualsIgnoreCase(sub, "GETNAME")) {
    if (!state->name->empty()) {
      WriteBulkString(*reply, *state->name);
    } else if (state->resp3) {
      WriteNull(*reply);
    } else {
      WriteNullBulk(*reply);
    }
  } else if (EqualsIgnoreCase(sub, "ID")) {
    WriteInteger(*reply, static_cast<int64_t>(state->id));
  } else if (EqualsIgnoreCase(sub, "INFO")) {
    const std::string line = state->registry->Describe(state->id);
    if (state->resp3) {
      WriteVerbatim(*reply, "txt", line);
    } else {
      WriteBulkString(*reply, line);
    }
  } else if (EqualsIgnoreCase(sub, "LIST")) {
    List(args, *state, reply);
  } else if (EqualsIgnoreCase(sub, "NO-EVICT")) {
    // Exempts the client from limits.client_memory_bytes, as from Redis's maxmemory-clients.
    if (args.size() != 3 || !OnOrOff(args[2])) {
      WriteError(*reply, "ERR syntax error");
    } else {
      state->no_evict = EqualsIgnoreCase(args[2], "ON");
      WriteSimpleString(*reply, "OK");
    }
  } else if (EqualsIgnoreCase(sub, "REPLY") && args.size() == 3) {
    if (EqualsIgnoreCase(args[2], "ON")) {
      state->reply_mode = ReplyMode::kOn;
      WriteSimpleString(*reply, "OK");
    } else if (EqualsIgnoreCase(args[2], "OFF")) {
      state->reply_mode = ReplyMode::kOff;
    } else if (EqualsIgnoreCase(args[2], "SKIP")) {
      state->reply_mode = ReplyMode::kSkip;
    } else {
      WriteError(*reply, "ERR syntax error");
    }
  } else {
    std::string error = "ERR proxy: CLIENT ";
    for (const char c : sub) error.push_back(static_cast<char>(std::toupper(c)));
    error.append(" is not available through slotgate");
    WriteError(*reply, error);
  }
}

}  // namespace slotgate
