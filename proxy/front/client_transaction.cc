#include "proxy/front/client_transaction.h"

#include "common/commands/command_policy.h"
#include "common/errors.h"
#include "common/resp/writer.h"
#include "common/slot.h"

namespace slotgate {
namespace {

using Outcome = ClientTransaction::Outcome;

Outcome Reply(std::string reply) {
  Outcome outcome;
  outcome.reply = std::move(reply);
  return outcome;
}

Outcome Error(std::string_view text) {
  std::string reply;
  WriteError(reply, text);
  return Reply(std::move(reply));
}

Outcome Ok() { return Reply("+OK\r\n"); }

}  // namespace

Outcome ClientTransaction::Handle(const CommandInfo& cmd, std::span<const std::string_view> args,
                                  bool resp3) {
  switch (cmd.kind) {
    case CommandKind::kMulti:
      if (in_multi_) return Error("ERR MULTI calls can not be nested");
      in_multi_ = true;
      multi_slot_ = watch_slot_;  // the block runs where the watch is
      return Ok();
    case CommandKind::kDiscard: {
      if (!in_multi_) return Error("ERR DISCARD without MULTI");
      ResetMulti();
      Outcome outcome = Ok();
      outcome.unwatch_at = EndWatch(/*tell_node=*/true);
      return outcome;
    }
    case CommandKind::kExec: {
      if (!in_multi_) return Error("ERR EXEC without MULTI");
      if (multi_failed_) {
        ResetMulti();
        Outcome outcome = Error("EXECABORT Transaction discarded because of previous errors.");
        outcome.unwatch_at = EndWatch(/*tell_node=*/true);
        return outcome;
      }
      if (watch_lost_) {
        ResetMulti();
        EndWatch(/*tell_node=*/false);
        return Reply(resp3 ? "_\r\n" : "*-1\r\n");
      }
      Outcome outcome;
      outcome.kind = Outcome::Kind::kExec;
      outcome.commands = std::move(commands_);
      outcome.slot = multi_slot_;
      outcome.watch_node = watch_node_;
      ResetMulti();
      EndWatch(/*tell_node=*/false);  // EXEC ends the watch at the node
      return outcome;
    }
    case CommandKind::kWatch: {
      if (in_multi_) return Error("ERR WATCH inside MULTI is not allowed");
      // The node checks watched keys per connection, so they must share a slot, and the slot
      // of any earlier WATCH: one connection, to that slot's owner.
      const uint16_t slot = KeySlot(args[1]);
      for (size_t i = 2; i < args.size(); ++i) {
        if (KeySlot(args[i]) != slot) return Error(errors::kCrossSlot);
      }
      if (watch_slot_ >= 0 && watch_slot_ != slot) return Error(errors::kCrossSlot);
      Outcome outcome;
      outcome.kind = Outcome::Kind::kSendWatch;
      outcome.slot = slot;
      return outcome;
    }
    case CommandKind::kUnwatch:
      if (in_multi_) {  // queued, as Redis does
        commands_.emplace_back();
        WriteCommand(commands_.back(), {"UNWATCH"});
        return Reply("+QUEUED\r\n");
      } else {
        Outcome outcome = Ok();
        outcome.unwatch_at = EndWatch(/*tell_node=*/true);
        return outcome;
      }
    default:
      return Error("ERR proxy: '" + cmd.name + "' is not a transaction command");
  }
}

std::string ClientTransaction::Queue(const CommandInfo& cmd, const Request& request,
                                     const Route& route) {
  std::string reply;
  const auto fail = [&](std::string_view error) {
    multi_failed_ = true;
    WriteError(reply, error);
    return reply;
  };
  switch (route.kind) {
    case Route::Kind::kError:
      return fail(route.error);
    case Route::Kind::kSplit:
      return fail(errors::kCrossSlot);
    case Route::Kind::kFanOut:
      return fail("ERR proxy: '" + cmd.name + "' runs on every node and cannot be part of MULTI");
    case Route::Kind::kLocal:
      if (cmd.kind != CommandKind::kPing && cmd.kind != CommandKind::kEcho) {
        return fail("ERR proxy: '" + cmd.name + "' cannot be part of MULTI through slotgate");
      }
      break;
    case Route::Kind::kSlot:
    case Route::Kind::kUnserved:
      if (multi_slot_ >= 0 && multi_slot_ != route.slot) return fail(errors::kCrossSlot);
      multi_slot_ = route.slot;
      break;
    case Route::Kind::kAnyMaster:
      break;
  }
  commands_.emplace_back();
  if (request.is_inline) {
    WriteCommand(commands_.back(), std::span<const std::string_view>(request.args));
  } else {
    commands_.back().assign(request.raw);
  }
  return "+QUEUED\r\n";
}

size_t ClientTransaction::queued_bytes() const {
  size_t bytes = 0;
  for (const std::string& command : commands_) bytes += command.size();
  return bytes;
}

std::optional<Endpoint> ClientTransaction::Reset() {
  ResetMulti();
  return EndWatch(/*tell_node=*/true);
}

void ClientTransaction::OnWatchAnswered(bool ok, const Endpoint& node, int slot) {
  if (!ok) return;
  if (watch_node_ && *watch_node_ != node) watch_lost_ = true;  // the slot moved meanwhile
  watch_node_ = node;
  watch_slot_ = slot;
}

void ClientTransaction::OnConnectionLost(const Endpoint& node) {
  if (watch_node_ && *watch_node_ == node) watch_lost_ = true;
}

std::optional<Endpoint> ClientTransaction::EndWatch(bool tell_node) {
  std::optional<Endpoint> unwatch_at;
  if (tell_node && !watch_lost_) unwatch_at = watch_node_;
  watch_slot_ = -1;
  watch_node_.reset();
  watch_lost_ = false;
  return unwatch_at;
}

void ClientTransaction::ResetMulti() {
  in_multi_ = false;
  multi_failed_ = false;
  multi_slot_ = -1;
  commands_.clear();
}

}  // namespace slotgate
