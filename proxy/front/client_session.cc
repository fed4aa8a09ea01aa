#include "proxy/front/client_session.h"

#include <netinet/in.h>

#include <algorithm>
#include <cstdio>

#include "common/commands/command_policy.h"
#include "common/errors.h"
#include "common/loopback.h"
#include "common/resp/writer.h"
#include "common/slot.h"
#include "common/text.h"
#include "proxy/commands/composite_plans.h"
#include "proxy/commands/composite_request.h"
#include "proxy/commands/transaction_request.h"
#include "proxy/dispatch/request_dispatcher.h"
#include "proxy/front/local_commands.h"
#include "proxy/keepalive.h"
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
  return "ERR unknown subcommand '" + std::string(args[1].substr(0, 128)) + "'. Try " + container +
         " HELP.";
}

}  // namespace

// Redis's protected-mode reply, in slotgate's terms.
constexpr std::string_view kProtectedModeDenial =
    "DENIED slotgate is running in protected mode because no password is needed to log in "
    "(no auth.users, or a `default` user with nopass). In this mode connections are only "
    "accepted from the loopback interface. To let other clients in, configure users with "
    "passwords in the `auth` section, or set `protected_mode: false` if the network is trusted.";

bool ClientSession::FromLoopback() {
  sockaddr_storage address{};
  int length = sizeof(address);
  return uv_tcp_getpeername(&tcp_, reinterpret_cast<sockaddr*>(&address), &length) == 0 &&
         IsLoopbackAddress(reinterpret_cast<const sockaddr*>(&address));
}

int ClientSession::Accept(uv_stream_t* server, WorkerContext* context) {
  auto* session = new ClientSession(context);
  if (const int rc = uv_accept(server, reinterpret_cast<uv_stream_t*>(&session->tcp_)); rc != 0) {
    session->Close();
    return rc;
  }
  context->metrics->client_connections_accepted.Add();
  if (context->process->connected_clients >
      static_cast<int64_t>(context->config->limits.max_clients)) {
    context->metrics->client_connections_rejected.Add();
    std::string reply;
    WriteError(reply, "ERR max number of clients reached");
    PendingRequest* pending = session->NewPending();
    pending->close_after = true;
    session->AnswerNow(pending, reply);
    return 0;
  }
  if (context->config->protected_mode && context->process->users->DefaultNeedsNoPassword() &&
      !session->FromLoopback()) {
    context->metrics->client_connections_rejected.Add();
    std::string reply;
    WriteError(reply, kProtectedModeDenial);
    PendingRequest* pending = session->NewPending();
    pending->close_after = true;
    session->AnswerNow(pending, reply);
    return 0;
  }
  uv_tcp_nodelay(&session->tcp_, 1);
  EnableKeepAlive(&session->tcp_, kClientKeepAlive);
  session->Register();
  session->StartReading();
  return 0;
}

namespace {

std::string AddressText(const sockaddr_storage& address) {
  char host[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address);
    uv_ip6_name(v6, host, sizeof(host));
    return "[" + std::string(host) + "]:" + std::to_string(ntohs(v6->sin6_port));
  }
  const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address);
  uv_ip4_name(v4, host, sizeof(host));
  return std::string(host) + ":" + std::to_string(ntohs(v4->sin_port));
}

}  // namespace

void ClientSession::Register() {
  record_ = context_->process->clients.Add(id_);
  record_->user.store(user_ ? &user_->name : nullptr, std::memory_order_relaxed);
  sockaddr_storage address{};
  int length = sizeof(address);
  if (uv_tcp_getpeername(&tcp_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    record_->addr = AddressText(address);
  }
  length = sizeof(address);
  if (uv_tcp_getsockname(&tcp_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    record_->laddr = AddressText(address);
  }
  uv_os_fd_t fd = -1;
  if (uv_fileno(reinterpret_cast<uv_handle_t*>(&tcp_), &fd) == 0) record_->fd = fd;
}

// The fields CLIENT LIST shows that change only with a command's effect.
void ClientSession::UpdateRecord() {
  if (!record_) return;
  record_->multi.store(transaction_.in_multi() ? static_cast<int32_t>(transaction_.queued()) : -1,
                       std::memory_order_relaxed);
  record_->resp.store(resp3_ ? 3 : 2, std::memory_order_relaxed);
  record_->user.store(user_ ? &user_->name : nullptr, std::memory_order_relaxed);
  if (subscriptions_) {
    record_->channels.store(static_cast<uint32_t>(subscriptions_->channel_count()));
    record_->patterns.store(static_cast<uint32_t>(subscriptions_->pattern_count()));
    record_->shard_channels.store(static_cast<uint32_t>(subscriptions_->shard_count()));
  }
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
  read_from_ = context_->config->read_from;
  user_ = context_->process->users->Initial();
  lane_.client_id = id_;
  uv_tcp_init(context_->loop, &tcp_);
  tcp_.data = this;
  context_->sessions.insert(this);
  ++context_->process->connected_clients;
  last_active_ms_ = uv_now(context_->loop);
}

ClientSession::~ClientSession() {
  context_->sessions.erase(this);
  Unregister();
}

// Gone for CLIENT LIST, INFO and max_clients once closed, as in Redis, even while replies to
// its requests are still on their way back (the object waits for them).
void ClientSession::Unregister() {
  if (unregistered_) return;
  unregistered_ = true;
  if (record_) context_->process->clients.Remove(id_);
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
  // Loop time and the registry's clock are both CLOCK_MONOTONIC in milliseconds.
  if (record_) record_->last_active_ms.store(last_active_ms_, std::memory_order_relaxed);
  ProcessInput();
}

void ClientSession::ProcessInput() {
  processing_ = true;
  while (!blocked_on_ && !input_stopped_ && !closing_ && !in_.empty() &&
         replies_.size() < kMaxPendingRequests) {
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
  processing_ = false;
  if (blocked_on_ && in_.size() > context_->config->limits.client_query_buffer_bytes) {
    AnswerAndStopReading("ERR proxy: query buffer limit reached");
  }
  if (in_.empty()) in_.ReleaseIfEmpty(kIdleBufferKeep);
  UpdateReadPause();
}

// The stream cannot be resynchronised: answer `error` after what is owed, then close.
void ClientSession::AnswerAndStopReading(std::string_view error) {
  std::string reply;
  WriteError(reply, error);
  PendingRequest* pending = NewPending();
  pending->close_after = true;
  input_stopped_ = true;
  AnswerNow(pending, reply);
}

void ClientSession::AnswerError(PendingRequest* pending, std::string_view error) {
  std::string reply;
  WriteError(reply, error);
  AnswerNow(pending, reply);
}

PendingRequest* ClientSession::NewPending() {
  PendingRequest* pending = replies_.Push();
  pending->waiter = this;
  pending->lane = &lane_;
  pending->seq = lane_.next_seq++;
  pending->started_ns = uv_hrtime();
  pending->resp3 = resp3_;
  return pending;
}

std::string ClientSession::AccessDenied(const CommandInfo& cmd,
                                        std::span<const std::string_view> args) const {
  if (!context_->process->users->enforced()) return {};
  if (!user_) return cmd.Has(kCmdNoAuth) ? std::string() : "NOAUTH Authentication required.";
  switch (user_->rights.Check(cmd, args)) {
    case AclVerdict::kAllowed:
      return {};
    case AclVerdict::kDeniedCommand:
      return "NOPERM this user has no permissions to run the '" + cmd.name + "' command";
    case AclVerdict::kDeniedKey:
      return "NOPERM this user has no permissions to access one of the keys used as arguments";
    case AclVerdict::kDeniedChannel:
      return "NOPERM this user has no permissions to access one of the channels used as "
             "arguments";
  }
  return {};
}

void ClientSession::HandleRequest(const Request& request) {
  const std::span<const std::string_view> args(request.args);
  PendingRequest* pending = NewPending();
  std::string reply;
  if (replies_off_ || skip_next_reply_) {
    pending->silent = true;
    skip_next_reply_ = false;
  }

  // Inside MULTI, a command refused before it could be queued fails the transaction, as in
  // Redis, so EXEC then answers EXECABORT.
  const auto refuse = [&](std::string_view error) {
    transaction_.Refused();
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
  if (record_) record_->last_command.store(&cmd, std::memory_order_relaxed);
  if (lookup.status == CommandLookup::Status::kUnknownSubcommand) {
    return refuse(UnknownSubcommandError(args));
  }
  if (!cmd.ArityAllows(args.size())) {
    return refuse("ERR wrong number of arguments for '" + cmd.name + "' command");
  }
  if (const std::string denied = AccessDenied(cmd, args); !denied.empty()) {
    if (cmd.kind != CommandKind::kExec) return refuse(denied);
    // A refused EXEC discards the block, as Redis's execCommandAbort does.
    if (const std::optional<Endpoint> node = transaction_.Reset()) SendUnwatch(*node);
    UpdateRecord();
    WriteError(reply, "EXECABORT Transaction discarded because of: " + denied);
    return AnswerNow(pending, reply);
  }
  if (InSubscribedMode() && cmd.policy != CommandPolicy::kPubSub &&
      cmd.kind != CommandKind::kPing && cmd.kind != CommandKind::kQuit &&
      cmd.kind != CommandKind::kReset) {
    return refuse("ERR Can't execute '" + cmd.name +
                  "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed "
                  "in this context");
  }
  if (cmd.policy == CommandPolicy::kTransaction) return HandleTransaction(cmd, args, pending);
  if (cmd.policy == CommandPolicy::kPubSub && !transaction_.in_multi()) {
    return Subscribe(cmd, args, pending);
  }
  if (InSubscribedMode() && cmd.kind == CommandKind::kPing) {
    // Subscribed RESP2 clients get PING's answer as a message-shaped array.
    WriteArrayHeader(reply, 2);
    WriteBulkString(reply, "pong");
    WriteBulkString(reply, args.size() > 1 ? args[1] : std::string_view());
    return AnswerNow(pending, reply);
  }

  RouteContext route_context{read_from_, &key_positions_, context_->config->admin_commands};
  const Route route = RouteRequest(*context_->dispatcher->table(), cmd, args, route_context);
  // QUIT and RESET act at once even inside MULTI, as in Redis; RESET also ends the block.
  if (cmd.kind == CommandKind::kReset) {
    replies_off_ = skip_next_reply_ = pending->silent = false;  // RESET itself is answered
    if (subscriptions_) subscriptions_->Clear();
    if (const std::optional<Endpoint> node = transaction_.Reset()) SendUnwatch(*node);
    UpdateRecord();
    read_from_ = context_->config->read_from;
  }
  if (!transaction_.in_multi() &&
      (cmd.kind == CommandKind::kReadOnly || cmd.kind == CommandKind::kReadWrite)) {
    // A cluster client's READONLY asks for replica reads; without a replica the master serves.
    read_from_ = cmd.kind == CommandKind::kReadWrite                ? ReadFrom::kMaster
                 : context_->config->read_from == ReadFrom::kMaster ? ReadFrom::kPreferReplica
                                                                    : context_->config->read_from;
  }
  if (transaction_.in_multi() && cmd.kind != CommandKind::kQuit) {
    const std::string queued = transaction_.Queue(cmd, request, route);
    UpdateRecord();
    return AnswerNow(pending, queued);
  }
  switch (route.kind) {
    case Route::Kind::kLocal: {
      LocalSession session{
          id_,   &name_, &resp3_, &context_->process->clients, context_->process->users.get(),
          &user_};
      LocalAnswer answer = AnswerLocally(cmd, args, session, *context_, &reply);
      if (answer.fan_out) {  // INFO with the keyspace: every master's counts, merged
        ++outstanding_;
        return CompositeRequest::Start(pending, std::move(*answer.fan_out), context_->dispatcher);
      }
      pending->close_after = answer.close_after;
      if (pending->close_after) input_stopped_ = true;
      if (answer.no_evict) no_evict_ = *answer.no_evict;
      if (answer.reply_mode) {
        replies_off_ = *answer.reply_mode == ReplyMode::kOff;
        skip_next_reply_ = *answer.reply_mode == ReplyMode::kSkip;
        pending->silent = *answer.reply_mode != ReplyMode::kOn;
      }
      if (cmd.kind == CommandKind::kHello || cmd.kind == CommandKind::kReset ||
          cmd.kind == CommandKind::kAuth) {
        UpdateRecord();
      }
      return AnswerNow(pending, reply);
    }
    case Route::Kind::kError:
      WriteError(reply, route.error);
      return AnswerNow(pending, reply);
    case Route::Kind::kSplit:
    case Route::Kind::kFanOut: {
      CompositePlan plan = route.kind == Route::Kind::kSplit
                               ? PlanSplit(cmd, args, key_positions_)
                               : PlanFanOut(cmd, args, *context_->dispatcher->table());
      if (!plan.error.empty()) {
        WriteError(reply, plan.error);
        return AnswerNow(pending, reply);
      }
      if (cmd.kind == CommandKind::kScriptExists && AllScriptsRemembered(args.subspan(2))) {
        // A script slotgate remembers runs wherever EVALSHA lands: it loads it on NOSCRIPT.
        WriteArrayHeader(reply, args.size() - 2);
        for (size_t i = 2; i < args.size(); ++i) WriteInteger(reply, 1);
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
  Send(cmd, request, route, pending);
}

namespace {

// XREAD and XREADGROUP block only when asked to; without BLOCK they are ordinary reads.
bool AsksToBlock(const CommandInfo& cmd, std::span<const std::string_view> args) {
  if (cmd.kind != CommandKind::kStreamRead) return true;
  for (size_t i = 1; i < args.size(); ++i) {
    if (EqualsIgnoreCase(args[i], "STREAMS")) return false;
    if (EqualsIgnoreCase(args[i], "BLOCK")) return true;
  }
  return false;
}

}  // namespace

void ClientSession::Send(const CommandInfo& cmd, const Request& request, const Route& route,
                         PendingRequest* pending) {
  const std::span<const std::string_view> args(request.args);
  pending->slot = route.slot;
  pending->to_replica = route.to_replica;
  if (request.is_inline) {
    WriteCommand(pending->request, args);
  } else {
    pending->request.assign(request.raw);
  }
  if (cmd.policy == CommandPolicy::kBlocking) {
    if (cmd.kind == CommandKind::kWait) {
      // WAIT counts the replicas that caught up with the last write of the connection it
      // arrives on, so it goes on the shared connection that carried the client's last write.
      // It holds that connection while it waits: its timeout is capped so that one client's
      // WAIT cannot stall the others for longer.
      const uint64_t cap = std::max<uint64_t>(1, context_->config->timeouts.backend_request_ms / 2);
      const std::optional<long long> timeout = ParseStrictInteger(args[2]);
      if (timeout && *timeout >= 0 && (*timeout == 0 || static_cast<uint64_t>(*timeout) > cap)) {
        pending->request.clear();
        WriteCommand(pending->request, {"WAIT", args[1], std::to_string(cap)});
      }
      pending->slot = last_write_slot_;
      blocked_on_ = pending;
    } else if (AsksToBlock(cmd, args)) {
      pending->dedicated = Dedicated();
      pending->to_replica = false;
      blocked_on_ = pending;
    }
  }
  if (route.kind == Route::Kind::kSlot && cmd.Has(kCmdWrite)) last_write_slot_ = route.slot;
  ++outstanding_;
  context_->dispatcher->Dispatch(pending);
}

void ClientSession::Subscribe(const CommandInfo& cmd, std::span<const std::string_view> args,
                              PendingRequest* pending) {
  if (!subscriptions_) {
    subscriptions_ = std::make_unique<Subscriptions>(context_->pool, context_->dispatcher, this);
    context_->subscriptions.insert(subscriptions_.get());
  }
  ++outstanding_;
  subscriptions_->Handle(cmd, args, pending, resp3_);
  UpdateRecord();
}

void ClientSession::Push(std::string_view frame) {
  if (closing_) return;
  replies_.Append(frame, &out_);
  AfterReplies();
}

size_t ClientSession::OutputLimit() const {
  return subscriptions_ && subscriptions_->active()
             ? context_->config->limits.pubsub_output_buffer_bytes
             : context_->config->limits.client_output_buffer_bytes;
}

bool ClientSession::AllScriptsRemembered(std::span<const std::string_view> shas) {
  return std::all_of(shas.begin(), shas.end(), [&](std::string_view sha) {
    return context_->process->scripts.Find(sha).has_value();
  });
}

DedicatedConnections* ClientSession::Dedicated() {
  if (!dedicated_) {
    dedicated_ = std::make_unique<DedicatedConnections>(
        context_->pool, [this](const Endpoint& node) { transaction_.OnConnectionLost(node); });
  }
  return dedicated_.get();
}

void ClientSession::HandleTransaction(const CommandInfo& cmd,
                                      std::span<const std::string_view> args,
                                      PendingRequest* pending) {
  ClientTransaction::Outcome outcome = transaction_.Handle(cmd, args, resp3_);
  if (outcome.unwatch_at) SendUnwatch(*outcome.unwatch_at);
  UpdateRecord();
  switch (outcome.kind) {
    case ClientTransaction::Outcome::Kind::kReply:
      return AnswerNow(pending, outcome.reply);
    case ClientTransaction::Outcome::Kind::kSendWatch:
      // On the client's own connection to the keys' node: EXEC must come on the same one.
      pending->slot = outcome.slot;
      pending->dedicated = Dedicated();
      WriteCommand(pending->request, args);
      watch_request_ = pending;
      blocked_on_ = pending;
      ++outstanding_;
      return context_->dispatcher->Dispatch(pending);
    case ClientTransaction::Outcome::Kind::kExec:
      if (outcome.watch_node) pending->dedicated = Dedicated();
      // A later WAIT counts the replicas that caught up with the block's writes.
      pending->slot = outcome.slot;
      if (outcome.slot >= 0) last_write_slot_ = outcome.slot;
      ++outstanding_;
      return TransactionRequest::Start(pending, std::move(outcome.commands), outcome.slot,
                                       std::move(outcome.watch_node), context_->dispatcher);
  }
}

void ClientSession::SendUnwatch(const Endpoint& node) {
  if (!dedicated_) return;
  if (BackendConnection* connection = dedicated_->Find(node, false, false)) {
    std::string unwatch;
    WriteCommand(unwatch, {"UNWATCH"});
    connection->Send(unwatch, nullptr);
  }
}

void ClientSession::AnswerNow(PendingRequest* pending, std::string_view reply) {
  ++outstanding_;
  OnRequestDone(pending, reply);
}

void ClientSession::OnRequestDone(PendingRequest* request, std::string_view reply) {
  --outstanding_;
  bool resume = false;
  if (request == blocked_on_) {
    blocked_on_ = nullptr;
    resume = true;
  }
  if (request == watch_request_) {
    watch_request_ = nullptr;
    transaction_.OnWatchAnswered(reply == "+OK\r\n", dedicated_->last_node(), request->slot);
  }
  const uint64_t elapsed = uv_hrtime() - request->started_ns;
  context_->metrics->RecordLatency(elapsed);
  if (request->command) {
    const auto counters = context_->metrics->by_command.find(request->command);
    if (counters != context_->metrics->by_command.end()) {
      counters->second.calls.Add();
      if (!reply.empty() && (reply[0] == '-' || reply[0] == '!')) counters->second.errors.Add();
    }
  }
  replies_.Complete(request, reply, closing_ ? nullptr : &out_);
  if (replies_.closing_reply_written()) close_when_written_ = true;
  AfterReplies();
  // Requests read while blocked run now; from inside ProcessInput its own loop goes on.
  if (resume && !processing_ && !closing_) ProcessInput();
  MaybeDelete();
}

void ClientSession::AfterReplies() {
  if (closing_) return;
  // A client that does not read its replies is dropped at the limit, as Redis drops clients
  // over their output buffer limit, before it can exhaust memory.
  if (record_) record_->output_bytes.store(OwedBytes(), std::memory_order_relaxed);
  if (OwedBytes() > OutputLimit()) {
    Close();
    return;
  }
  if (!out_.empty()) context_->scheduler->Schedule(this);
  UpdateReadPause();
}

void ClientSession::Flush() {
  if (closing_ || writer_.writing()) return;
  if (out_.empty()) {
    if (close_when_written_ && replies_.empty()) Close();
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
  if (record_) record_->output_bytes.store(OwedBytes(), std::memory_order_relaxed);
  if (close_when_written_ && replies_.empty()) {
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
  const size_t unwritten = OwedBytes();
  if (reading_ && (replies_.size() >= kMaxPendingRequests || unwritten >= kMaxUnwrittenBytes)) {
    uv_read_stop(reinterpret_cast<uv_stream_t*>(&tcp_));
    reading_ = false;
  } else if (!reading_ && replies_.size() < kMaxPendingRequests / 2 &&
             unwritten < kMaxUnwrittenBytes / 2) {
    StartReading();
    // Requests already read while paused are parsed now, not on the next read.
    if (!in_.empty()) ProcessInput();
  }
}

size_t ClientSession::MemoryBytes() const {
  // Bytes held, not the read buffer's capacity: an idle client's buffer is mostly untouched
  // pages, and counting it would make every idle client look 64 KB large.
  return in_.size() + OwedBytes() + transaction_.queued_bytes();
}

void ClientSession::Drain() {
  input_stopped_ = true;
  close_when_written_ = true;
  UpdateReadPause();
  if (!writer_.writing() && out_.empty() && replies_.empty()) Close();
}

void ClientSession::Close() {
  if (closing_) return;
  closing_ = true;
  reading_ = false;
  Unregister();
  // Nothing of this client's is sent from now on; what is at a node comes back and is dropped.
  context_->dispatcher->Cancel(&lane_);
  // A blocked command or a watch held at a node is released with the client.
  if (dedicated_) dedicated_->CloseAll("client closed");
  if (subscriptions_) {
    context_->subscriptions.erase(subscriptions_.get());
    subscriptions_->Clear();
  }
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
