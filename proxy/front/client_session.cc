#include "proxy/front/client_session.h"

#include <algorithm>
#include <cstdio>

#include "common/commands/command_policy.h"
#include "common/errors.h"
#include "common/resp/writer.h"
#include "proxy/commands/composite_plans.h"
#include "proxy/commands/composite_request.h"
#include "proxy/commands/transaction_request.h"
#include "proxy/dispatch/request_dispatcher.h"
#include "proxy/front/local_commands.h"
#include "proxy/route/router.h"

namespace slotgate {
namespace {

constexpr size_t kReadChunk = 64 * 1024;
constexpr size_t kIdleBufferKeep = 64 * 1024;
// Reading pauses above these and resumes once both are below half of them.
constexpr size_t kMaxPendingRequests = 4096;
constexpr size_t kMaxUnwrittenBytes = 4 * 1024 * 1024;

template <typename T>
uv_handle_t* AsHandle(T* h) {
  return reinterpret_cast<uv_handle_t*>(h);
}

// Redis's "unknown command" text: the name, then up to 128 bytes of quoted arguments.
std::string UnknownCommandError(std::span<const std::string_view> args) {
  std::string quoted;
  for (size_t i = 1; i < args.size() && quoted.size() < 128; ++i) {
    const size_t room = 128 - quoted.size();
    quoted += "'";
    quoted.append(args[i].substr(0, room));
    quoted += "' ";
  }
  return "ERR unknown command '" + std::string(args[0].substr(0, 128)) +
         "', with args beginning with: " + quoted;
}

std::string UnknownSubcommandError(std::span<const std::string_view> args) {
  std::string container(args[0]);
  std::transform(container.begin(), container.end(), container.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return "ERR unknown subcommand '" + std::string(args[1].substr(0, 128)) + "'. Try " +
         container + " HELP.";
}

}  // namespace

void ClientSession::Accept(uv_stream_t* server, WorkerContext* context) {
  auto* session = new ClientSession(context);
  if (uv_accept(server, reinterpret_cast<uv_stream_t*>(&session->tcp_)) != 0) {
    session->Close();
    return;
  }
  context->metrics->client_connections_accepted.Add();
  if (context->process->connected_clients >
      static_cast<int64_t>(context->config->limits.max_clients)) {
    context->metrics->client_connections_rejected.Add();
    std::string reply;
    WriteError(reply, "ERR max number of clients reached");
    PendingRequest* pending = session->NewPending();
    session->queue_.push_back(pending);
    pending->close_after = true;
    session->AnswerNow(pending, reply);
    return;
  }
  uv_tcp_nodelay(&session->tcp_, 1);
  session->StartReading();
}

ClientSession::ClientSession(WorkerContext* context)
    : context_(context),
      id_(context->process->next_client_id++),
      parser_(ParseLimits{context->config->limits.max_bulk_length,
                          context->config->limits.max_multibulk_length,
                          context->config->limits.max_inline_length}),
      writer_(reinterpret_cast<uv_stream_t*>(&tcp_), this,
              [](uv_write_t* req, int status) {
                static_cast<ClientSession*>(req->data)->OnWritten(status);
              }),
      out_(writer_.queue()) {
  uv_tcp_init(context_->loop, &tcp_);
  tcp_.data = this;
  context_->sessions.insert(this);
  ++context_->process->connected_clients;
  last_active_ms_ = uv_now(context_->loop);
}

ClientSession::~ClientSession() {
  context_->sessions.erase(this);
  --context_->process->connected_clients;
  context_->metrics->client_connections_closed.Add();
}

void ClientSession::StartReading() {
  if (reading_ || closing_) return;
  reading_ = true;
  uv_read_start(
      reinterpret_cast<uv_stream_t*>(&tcp_),
      [](uv_handle_t* h, size_t, uv_buf_t* buf) {
        auto* self = static_cast<ClientSession*>(h->data);
        const std::span<char> space = self->in_.WritableSpace(kReadChunk);
        *buf = uv_buf_init(space.data(), static_cast<unsigned>(space.size()));
      },
      [](uv_stream_t* s, ssize_t nread, const uv_buf_t*) {
        static_cast<ClientSession*>(s->data)->OnRead(nread);
      });
}

void ClientSession::OnRead(ssize_t nread) {
  if (nread < 0) {
    Close();
    return;
  }
  in_.Commit(static_cast<size_t>(nread));
  last_active_ms_ = uv_now(context_->loop);
  ProcessInput();
}

void ClientSession::ProcessInput() {
  while (!input_stopped_ && !closing_ && !in_.empty() && queue_.size() < kMaxPendingRequests) {
    size_t consumed = 0;
    const ParseStatus status = parser_.Parse(in_.data(), &consumed, &request_);
    if (status == ParseStatus::kNeedMore) {
      in_.Consume(consumed);
      if (in_.size() > context_->config->limits.client_query_buffer_bytes) {
        AnswerAndStopReading("ERR proxy: query buffer limit reached");
      }
      break;
    }
    if (status == ParseStatus::kProtocolError) {
      context_->metrics->protocol_errors.Add();
      AnswerAndStopReading(parser_.error());
      break;
    }
    HandleRequest(request_);
    in_.Consume(consumed);
  }
  if (in_.empty()) in_.ReleaseIfEmpty(kIdleBufferKeep);
  UpdateReadPause();
}

// The stream cannot be resynchronised: answer `error` after what is owed, then close.
void ClientSession::AnswerAndStopReading(std::string_view error) {
  std::string reply;
  WriteError(reply, error);
  PendingRequest* pending = NewPending();
  queue_.push_back(pending);
  pending->close_after = true;
  input_stopped_ = true;
  AnswerNow(pending, reply);
}

PendingRequest* ClientSession::NewPending() {
  PendingRequest* pending;
  if (free_.empty()) {
    owned_.push_back(std::make_unique<PendingRequest>());
    pending = owned_.back().get();
  } else {
    pending = free_.back();
    free_.pop_back();
  }
  pending->Reset();
  pending->waiter = this;
  pending->started_ns = uv_hrtime();
  return pending;
}

void ClientSession::HandleRequest(const Request& request) {
  const std::span<const std::string_view> args(request.args);
  PendingRequest* pending = NewPending();
  queue_.push_back(pending);
  std::string reply;

  // Inside MULTI, a command refused before it could be queued fails the transaction, as in
  // Redis, so EXEC then answers EXECABORT.
  const auto refuse = [&](std::string_view error) {
    multi_failed_ = in_multi_;
    WriteError(reply, error);
    AnswerNow(pending, reply);
  };
  const CommandLookup lookup = context_->commands->Find(args);
  if (lookup.status == CommandLookup::Status::kUnknownCommand) {
    context_->metrics->unknown_commands.Add();
    return refuse(UnknownCommandError(args));
  }
  const CommandInfo& cmd = *lookup.command;
  pending->command = &cmd;
  if (lookup.status == CommandLookup::Status::kUnknownSubcommand) {
    return refuse(UnknownSubcommandError(args));
  }
  if (!cmd.ArityAllows(args.size())) {
    return refuse("ERR wrong number of arguments for '" + cmd.name + "' command");
  }
  if (cmd.policy == CommandPolicy::kTransaction) return HandleTransaction(cmd, pending);

  RouteContext route_context{context_->config->read_from, &key_positions_};
  const Route route = RouteRequest(*context_->dispatcher->table(), cmd, args, route_context);
  // QUIT and RESET act at once even inside MULTI, as in Redis; RESET also ends the block.
  if (cmd.name == "reset") ResetMulti();
  if (in_multi_ && cmd.name != "quit") return QueueInMulti(cmd, request, route, pending);
  switch (route.kind) {
    case Route::Kind::kLocal: {
      LocalSession session{id_, &name_, {}};
      pending->close_after = AnswerLocally(cmd, args, session, *context_, &reply).close_after;
      if (pending->close_after) input_stopped_ = true;
      return AnswerNow(pending, reply);
    }
    case Route::Kind::kError:
      WriteError(reply, route.error);
      return AnswerNow(pending, reply);
    case Route::Kind::kSplit:
    case Route::Kind::kFanOut: {
      CompositePlan plan =
          route.kind == Route::Kind::kSplit
              ? PlanSplit(cmd, args, key_positions_)
              : PlanFanOut(cmd, args, *context_->dispatcher->table());
      if (!plan.error.empty()) {
        WriteError(reply, plan.error);
        return AnswerNow(pending, reply);
      }
      ++outstanding_;
      CompositeRequest::Start(pending, std::move(plan.parts), plan.merge, plan.keys, plan.scan,
                              context_->dispatcher);
      return;
    }
    case Route::Kind::kAnyMaster:
    case Route::Kind::kSlot:
    case Route::Kind::kUnserved:
      break;
  }
  pending->slot = route.slot;
  pending->to_replica = route.to_replica;
  if (request.is_inline) {
    WriteCommand(pending->request, args);
  } else {
    pending->request.assign(request.raw);
  }
  ++outstanding_;
  context_->dispatcher->Dispatch(pending);
}

void ClientSession::HandleTransaction(const CommandInfo& cmd, PendingRequest* pending) {
  std::string reply;
  if (cmd.name == "multi") {
    if (in_multi_) {
      WriteError(reply, "ERR MULTI calls can not be nested");
    } else {
      in_multi_ = true;
      WriteSimpleString(reply, "OK");
    }
  } else if (cmd.name == "discard") {
    if (!in_multi_) {
      WriteError(reply, "ERR DISCARD without MULTI");
    } else {
      ResetMulti();
      WriteSimpleString(reply, "OK");
    }
  } else if (cmd.name == "exec") {
    if (!in_multi_) {
      WriteError(reply, "ERR EXEC without MULTI");
    } else if (multi_failed_) {
      ResetMulti();
      WriteError(reply, "EXECABORT Transaction discarded because of previous errors.");
    } else {
      std::vector<std::string> commands = std::move(multi_commands_);
      const int slot = multi_slot_;
      ResetMulti();
      ++outstanding_;
      TransactionRequest::Start(pending, std::move(commands), slot, context_->dispatcher);
      return;
    }
  } else if (in_multi_ && cmd.name == "watch") {
    WriteError(reply, "ERR WATCH inside MULTI is not allowed");
  } else if (cmd.name == "unwatch" && !in_multi_) {
    WriteSimpleString(reply, "OK");  // slotgate holds no watch to release
  } else if (cmd.name == "unwatch") {
    multi_commands_.emplace_back();
    WriteCommand(multi_commands_.back(), {"UNWATCH"});
    WriteSimpleString(reply, "QUEUED");
  } else {
    WriteError(reply, "ERR proxy: WATCH is not available through slotgate yet");
  }
  AnswerNow(pending, reply);
}

void ClientSession::QueueInMulti(const CommandInfo& cmd, const Request& request,
                                 const Route& route, PendingRequest* pending) {
  std::string reply;
  const auto fail = [&](std::string_view error) {
    multi_failed_ = true;
    WriteError(reply, error);
    AnswerNow(pending, reply);
  };
  switch (route.kind) {
    case Route::Kind::kError:
      return fail(route.error);
    case Route::Kind::kSplit:
      return fail(errors::kCrossSlot);
    case Route::Kind::kFanOut:
      return fail("ERR proxy: '" + cmd.name + "' runs on every node and cannot be part of MULTI");
    case Route::Kind::kLocal:
      if (cmd.name != "ping" && cmd.name != "echo") {
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
  multi_commands_.emplace_back();
  if (request.is_inline) {
    WriteCommand(multi_commands_.back(), std::span<const std::string_view>(request.args));
  } else {
    multi_commands_.back().assign(request.raw);
  }
  WriteSimpleString(reply, "QUEUED");
  AnswerNow(pending, reply);
}

void ClientSession::ResetMulti() {
  in_multi_ = false;
  multi_failed_ = false;
  multi_slot_ = -1;
  multi_commands_.clear();
}

void ClientSession::AnswerNow(PendingRequest* pending, std::string_view reply) {
  ++outstanding_;
  OnRequestDone(pending, reply);
}

void ClientSession::OnRequestDone(PendingRequest* request, std::string_view reply) {
  --outstanding_;
  const uint64_t elapsed = uv_hrtime() - request->started_ns;
  context_->metrics->RecordLatency(elapsed);
  if (request->command) {
    const auto counters = context_->metrics->by_command.find(request->command);
    if (counters != context_->metrics->by_command.end()) {
      counters->second.calls.Add();
      if (!reply.empty() && (reply[0] == '-' || reply[0] == '!')) counters->second.errors.Add();
    }
  }
  if (!closing_ && !queue_.empty() && queue_.front() == request) {
    // In order: straight to the socket buffer, no copy into the request.
    out_.Append(reply);
    if (request->close_after) close_when_written_ = true;
    queue_.pop_front();
    free_.push_back(request);
    DrainQueue();
  } else {
    request->reply.assign(reply);
    request->done = true;
    DrainQueue();
  }
  MaybeDelete();
}

void ClientSession::DrainQueue() {
  while (!queue_.empty() && queue_.front()->done) {
    PendingRequest* front = queue_.front();
    queue_.pop_front();
    if (!closing_ && !close_when_written_) {
      out_.Append(front->reply);
      if (front->close_after) close_when_written_ = true;
    }
    free_.push_back(front);
  }
  if (closing_) return;
  // A client that does not read its replies is dropped at the limit, as Redis drops clients
  // over their output buffer limit, before it can exhaust memory.
  if (writer_.unwritten() > context_->config->limits.client_output_buffer_bytes) {
    Close();
    return;
  }
  if (!out_.empty()) context_->scheduler->Schedule(this);
  UpdateReadPause();
}

void ClientSession::Flush() {
  if (closing_ || writer_.writing()) return;
  if (out_.empty()) {
    if (close_when_written_ && queue_.empty()) Close();
    return;
  }
  StartWrite();
}

void ClientSession::StartWrite() {
  int error = 0;
  switch (writer_.Write(&error)) {
    case StreamWriter::Result::kFailed:
      return Close();
    case StreamWriter::Result::kAllWritten:
      return AfterWrite();
    case StreamWriter::Result::kInProgress:
      return;
  }
}

void ClientSession::OnWritten(int status) {
  writer_.Written();
  if (closing_) {
    MaybeDelete();
    return;
  }
  if (status != 0) {
    Close();
    return;
  }
  if (!out_.empty()) return StartWrite();
  AfterWrite();
}

// Everything queued is written: close if that was the last owed reply, else maybe read again.
void ClientSession::AfterWrite() {
  if (close_when_written_ && queue_.empty()) {
    Close();
    return;
  }
  UpdateReadPause();
}

void ClientSession::UpdateReadPause() {
  if (closing_ || input_stopped_) {
    if (reading_ && !closing_) {
      uv_read_stop(reinterpret_cast<uv_stream_t*>(&tcp_));
      reading_ = false;
    }
    return;
  }
  const size_t unwritten = writer_.unwritten();
  if (reading_ && (queue_.size() >= kMaxPendingRequests || unwritten >= kMaxUnwrittenBytes)) {
    uv_read_stop(reinterpret_cast<uv_stream_t*>(&tcp_));
    reading_ = false;
  } else if (!reading_ && queue_.size() < kMaxPendingRequests / 2 &&
             unwritten < kMaxUnwrittenBytes / 2) {
    StartReading();
    // Requests already read while paused are parsed now, not on the next read.
    if (!in_.empty()) ProcessInput();
  }
}

void ClientSession::Drain() {
  input_stopped_ = true;
  close_when_written_ = true;
  UpdateReadPause();
  if (!writer_.writing() && out_.empty() && queue_.empty()) Close();
}

void ClientSession::Close() {
  if (closing_) return;
  closing_ = true;
  reading_ = false;
  uv_close(AsHandle(&tcp_),
           [](uv_handle_t* h) { static_cast<ClientSession*>(h->data)->OnHandleClosed(); });
}

void ClientSession::OnHandleClosed() {
  handle_closed_ = true;
  MaybeDelete();
}

void ClientSession::MaybeDelete() {
  // Requests still at a backend or waiting for a retry will call back: stay until they have.
  if (!handle_closed_ || outstanding_ > 0 || writer_.writing()) return;
  delete this;
}

}  // namespace slotgate
