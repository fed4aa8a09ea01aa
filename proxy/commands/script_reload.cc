#include "proxy/commands/script_reload.h"

#include <cstdint>
#include <optional>
#include <string>

#include "common/commands/command_policy.h"
#include "common/resp/redirect.h"
#include "common/resp/request_parser.h"
#include "common/resp/writer.h"
#include "proxy/dispatch/pending_request.h"
#include "proxy/dispatch/request_dispatcher.h"

namespace slotgate {
namespace {


// The request's arguments. Whatever reaches a backend was written as a RESP multibulk (inline
// requests are rewritten before dispatch), so this parses it back; false if it somehow is not.
bool ParseArgs(const std::string& bytes, Request* out) {
  RequestParser parser;
  size_t used = 0;
  return parser.Parse(bytes, &used, out) == ParseStatus::kOk;
}

// SCRIPT LOAD answers the SHA-1 as a 40-byte bulk string; empty for any other shape.
std::string_view ShaOfLoadReply(std::string_view reply, const ScannedReply& info) {
  constexpr std::string_view kHeader = "$40\r\n";
  reply.remove_prefix(info.value_offset);
  if (reply.size() != kHeader.size() + 40 + 2 || !reply.starts_with(kHeader)) return {};
  return reply.substr(kHeader.size(), 40);
}

// Loads the script where the NOSCRIPT came from and re-sends the request right behind it on
// the same connection: the node runs a connection's commands in order, so the script is there
// when the request arrives. The load's own reply is dropped; if it failed, the request answers
// NOSCRIPT again and that reaches the client.
bool ReloadAndResend(const std::string& body, RequestDispatcher* dispatcher,
                     PendingRequest* request, const Endpoint& node) {
  const bool read_only = request->to_replica && !request->has_redirect_target;
  BackendConnection* connection = dispatcher->ConnectionFor(*request, node, read_only);
  if (!connection) return false;
  std::string load;
  WriteCommand(load, {"SCRIPT", "LOAD", body});
  connection->Send(load, nullptr);
  if (request->send_asking) {
    // ASKING holds for the next command only, so it goes between the load and the request.
    std::string asking;
    WriteCommand(asking, {"ASKING"});
    connection->Send(asking, nullptr);
  }
  connection->Send(request->request, request);
  return true;
}

}  // namespace

bool OnScriptReply(ScriptMemory& memory, RequestDispatcher* dispatcher, PendingRequest* request,
                   std::string_view reply, const ScannedReply& info,
                   const std::function<const Endpoint*()>& node) {
  if (!request->command) return false;
  const CommandKind kind = request->command->kind;
  if (kind != CommandKind::kEval && kind != CommandKind::kEvalSha &&
      kind != CommandKind::kScriptLoad && kind != CommandKind::kScriptFlush) {
    return false;
  }

  if (info.is_error()) {
    if (kind != CommandKind::kEvalSha || request->script_reloaded ||
        ErrorCode(info.error_line) != "NOSCRIPT") {
      return false;
    }
    Request args;
    if (!ParseArgs(request->request, &args) || args.args.size() < 2) return false;
    const std::optional<std::string> body = memory.Find(args.args[1]);
    if (!body) return false;
    const Endpoint* target = node();
    if (!target) return false;
    request->script_reloaded = true;  // once per request: a second NOSCRIPT reaches the client
    return ReloadAndResend(*body, dispatcher, request, *target);
  }

  Request args;
  switch (kind) {
    case CommandKind::kEval:
      if (ParseArgs(request->request, &args) && args.args.size() >= 2) {
        memory.RememberBody(args.args[1]);
      }
      break;
    case CommandKind::kScriptLoad:
      if (ParseArgs(request->request, &args) && args.args.size() == 3) {
        const std::string_view sha = ShaOfLoadReply(reply, info);
        if (sha.empty()) {
          memory.RememberBody(args.args[2]);
        } else {
          memory.Remember(sha, args.args[2]);
        }
      }
      break;
    case CommandKind::kScriptFlush:
      memory.Clear();
      break;
    default:
      break;
  }
  return false;
}

}  // namespace slotgate
