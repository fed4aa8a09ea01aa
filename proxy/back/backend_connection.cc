#include "proxy/back/backend_connection.h"

#include <netinet/in.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <set>
#include <vector>

#include "common/resp/writer.h"
#include "proxy/keepalive.h"

namespace slotgate {
namespace {

constexpr size_t kReadChunk = 64 * 1024;
constexpr size_t kIdleBufferKeep = 256 * 1024;
std::atomic<uint64_t> next_serial{1};

template <typename T>
uv_handle_t* AsHandle(T* h) {
  return reinterpret_cast<uv_handle_t*>(h);
}

}  // namespace

BackendConnection* BackendConnection::Create(uv_loop_t* loop, FlushScheduler* scheduler,
                                             const Endpoint& endpoint,
                                             const BackendOptions& options, Owner* owner) {
  auto* connection = new BackendConnection(loop, scheduler, endpoint, options, owner);
  connection->Connect();
  return connection;
}

BackendConnection::BackendConnection(uv_loop_t* loop, FlushScheduler* scheduler, Endpoint endpoint,
                                     BackendOptions options, Owner* owner)
    : loop_(loop),
      scheduler_(scheduler),
      endpoint_(std::move(endpoint)),
      options_(options),
      owner_(owner),
      serial_(next_serial.fetch_add(1, std::memory_order_relaxed)),
      writer_(reinterpret_cast<uv_stream_t*>(&tcp_), this, [](uv_write_t* req, int status) {
        static_cast<BackendConnection*>(req->data)->OnWritten(status);
      }) {
  uv_tcp_init(loop_, &tcp_);
  uv_timer_init(loop_, &timer_);
  tcp_.data = this;
  timer_.data = this;
  connect_req_.data = this;
  resolve_req_.data = this;
  open_handles_ = 2;
  SendSetup();
}

// Who slotgate is comes first, then the protocol and READONLY; one queued entry per command,
// since each has its own reply.
void BackendConnection::SendSetup() {
  const BackendCredentials* credentials = options_.credentials;
  if (options_.node_credentials) {
    for (const NodeCredentials& node : *options_.node_credentials) {
      if (node.node == endpoint_) credentials = &node.credentials;
    }
  }
  const bool auth = credentials && !credentials->password.empty();
  std::string command;
  if (options_.resp3 && auth) {
    const std::string_view user = credentials->username.empty()
                                      ? std::string_view("default")
                                      : std::string_view(credentials->username);
    WriteCommand(command, {"HELLO", "3", "AUTH", user, credentials->password});
  } else if (options_.resp3) {
    WriteCommand(command, {"HELLO", "3"});
  } else if (auth && credentials->username.empty()) {
    WriteCommand(command, {"AUTH", credentials->password});
  } else if (auth) {
    WriteCommand(command, {"AUTH", credentials->username, credentials->password});
  }
  if (!command.empty()) Send(command, &setup_check_);
  if (options_.read_only) {
    command.clear();
    WriteCommand(command, {"READONLY"});
    Send(command, nullptr);
  }
}

void BackendConnection::SetupCheck::OnBackendReply(std::string_view, const ScannedReply& info) {
  if (info.first_byte == '-') connection_->RefuseSetup(info.error_line);
}

void BackendConnection::RefuseSetup(std::string_view error) {
  if (options_.auth_failures) options_.auth_failures->Add();
  // Once per node: a wrong password refuses every reconnect, every worker's too.
  static std::mutex mutex;
  static std::set<std::string> logged;
  const std::string node = endpoint_.ToString();
  {
    std::lock_guard lock(mutex);
    if (logged.insert(node).second) {
      spdlog::error("{} refused slotgate's credentials (backend.username, backend.password_*): {}",
                    node, error);
    }
  }
  setup_refused_ = true;
  Close(node + " refused slotgate's credentials: " + std::string(error));
}

BackendConnection::~BackendConnection() = default;

void BackendConnection::Connect() {
  uv_timer_start(
      &timer_, [](uv_timer_t* t) { static_cast<BackendConnection*>(t->data)->OnTimer(); },
      options_.connect_timeout_ms, 0);
  sockaddr_storage address{};
  auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
  if (uv_ip4_addr(endpoint_.host.c_str(), endpoint_.port, v4) == 0 ||
      uv_ip6_addr(endpoint_.host.c_str(), endpoint_.port, v6) == 0) {
    OnResolved(0, reinterpret_cast<sockaddr*>(&address));
    return;
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  resolving_ = true;
  const std::string port = std::to_string(endpoint_.port);
  const int rc = uv_getaddrinfo(
      loop_, &resolve_req_,
      [](uv_getaddrinfo_t* req, int status, addrinfo* result) {
        auto* self = static_cast<BackendConnection*>(req->data);
        self->resolving_ = false;
        if (self->closing_) {
          uv_freeaddrinfo(result);
          if (self->open_handles_ == 0) delete self;  // the handles closed first
          return;
        }
        self->OnResolved(status, status == 0 && result ? result->ai_addr : nullptr);
        uv_freeaddrinfo(result);
      },
      endpoint_.host.c_str(), port.c_str(), &hints);
  if (rc != 0) {
    resolving_ = false;
    OnResolved(rc, nullptr);
  }
}

void BackendConnection::OnResolved(int status, const sockaddr* address) {
  if (status != 0 || !address) {
    Close(std::string("cannot resolve ") + endpoint_.ToString() + ": " + uv_strerror(status));
    return;
  }
  const int rc = uv_tcp_connect(&connect_req_, &tcp_, address, [](uv_connect_t* req, int s) {
    static_cast<BackendConnection*>(req->data)->OnConnected(s);
  });
  if (rc != 0) {
    Close(std::string("cannot connect to ") + endpoint_.ToString() + ": " + uv_strerror(rc));
  }
}

void BackendConnection::OnConnected(int status) {
  if (closing_) return;
  if (status != 0) {
    Close(std::string("cannot connect to ") + endpoint_.ToString() + ": " + uv_strerror(status));
    return;
  }
  connected_ = true;
  owner_->OnBackendConnected(this);
  uv_timer_stop(&timer_);
  uv_tcp_nodelay(&tcp_, 1);
  EnableKeepAlive(&tcp_, kBackendKeepAlive);
  uv_read_start(
      reinterpret_cast<uv_stream_t*>(&tcp_),
      [](uv_handle_t* h, size_t, uv_buf_t* buf) {
        auto* self = static_cast<BackendConnection*>(h->data);
        const std::span<char> space = self->in_.WritableSpace(kReadChunk);
        *buf = uv_buf_init(space.data(), static_cast<unsigned>(space.size()));
      },
      [](uv_stream_t* s, ssize_t nread, const uv_buf_t*) {
        static_cast<BackendConnection*>(s->data)->OnRead(nread);
      });
  if (options_.request_timeout_ms > 0) {
    // Checked often enough that a request is answered within a tenth of its deadline late.
    const uint64_t period = std::clamp<uint64_t>(options_.request_timeout_ms / 10, 1, 100);
    uv_timer_start(
        &timer_, [](uv_timer_t* t) { static_cast<BackendConnection*>(t->data)->OnTimer(); }, period,
        period);
  }
  if (!writer_.queue().empty()) scheduler_->Schedule(this);
}

void BackendConnection::Send(std::string_view request, ReplyHandler* handler) {
  if (closing_) {
    if (handler) handler->OnBackendFailure(BackendFailure::kNotSent, close_reason_);
    return;
  }
  if (writer_.unwritten() > options_.max_queued_bytes && handler) {
    // The node does not read (stopped, or far slower than its clients): keep no more for it.
    handler->OnBackendFailure(BackendFailure::kNotSent, std::to_string(writer_.unwritten()) +
                                                            " bytes wait to be written to " +
                                                            endpoint_.ToString() +
                                                            " (limits.backend_queue_bytes)");
    return;
  }
  writer_.queue().Append(request);
  if (!stream_handler_) {
    in_flight_.push_back({handler, uv_now(loop_), false});
    ++unsent_;
    if (handler) ++waiting_;
  }
  if (connected_) scheduler_->Schedule(this);
}

void BackendConnection::Flush() {
  if (closing_ || !connected_ || writer_.writing() || writer_.queue().empty()) return;
  StartWrite();
}

void BackendConnection::StartWrite() {
  for (size_t i = in_flight_.size() - unsent_; i < in_flight_.size(); ++i) {
    in_flight_[i].sent = true;
  }
  unsent_ = 0;
  int error = 0;
  if (writer_.Write(&error) == StreamWriter::Result::kFailed) {
    Close(std::string("write to ") + endpoint_.ToString() + " failed: " + uv_strerror(error));
  }
}

void BackendConnection::OnWritten(int status) {
  writer_.Written();
  if (closing_) return;
  if (status != 0) {
    Close(std::string("write to ") + endpoint_.ToString() + " failed: " + uv_strerror(status));
    return;
  }
  if (!writer_.queue().empty()) StartWrite();
}

void BackendConnection::OnRead(ssize_t nread) {
  if (nread < 0) {
    Close(nread == UV_EOF ? "connection closed by " + endpoint_.ToString()
                          : "read from " + endpoint_.ToString() +
                                " failed: " + uv_strerror(static_cast<int>(nread)));
    return;
  }
  in_.Commit(static_cast<size_t>(nread));
  HandleReplies();
  if (!closing_) in_.ReleaseIfEmpty(kIdleBufferKeep);
}

void BackendConnection::HandleReplies() {
  while (!closing_ && !in_.empty()) {
    ScannedReply reply;
    const ScanStatus status = scanner_.Scan(in_.data(), &reply);
    if (status == ScanStatus::kNeedMore) return;
    if (status == ScanStatus::kProtocolError) {
      Close("protocol error from " + endpoint_.ToString() + ": " + std::string(scanner_.error()));
      return;
    }
    const std::string_view bytes = in_.data().substr(0, reply.length);
    if (stream_handler_) {
      stream_handler_->OnBackendReply(bytes, reply);
      in_.Consume(reply.length);
      continue;
    }
    if (reply.first_byte == '>') {  // a push is not an answer to any request
      in_.Consume(reply.length);
      continue;
    }
    if (in_flight_.empty() || !in_flight_.front().sent) {
      Close("unexpected reply from " + endpoint_.ToString());
      return;
    }
    const InFlight entry = in_flight_.front();
    in_flight_.pop_front();
    if (entry.handler) {
      --waiting_;
      entry.handler->OnBackendReply(bytes, reply);
    }
    in_.Consume(reply.length);
  }
  CloseIfDrained();
}

void BackendConnection::NotifyWhenIdle() {
  notify_idle_ = true;
  CloseIfDrained();
}

void BackendConnection::Drain() {
  draining_ = true;
  CloseIfDrained();
}

// A draining connection goes once nobody waits on it; a one-shot one once it has answered.
void BackendConnection::CloseIfDrained() {
  if (closing_ || waiting_ > 0) return;
  if (notify_idle_ && !draining_) {
    notify_idle_ = false;
    owner_->OnBackendIdle(this);
  } else if (draining_) {
    Close("drained: " + endpoint_.ToString() + " takes no new requests on it");
  } else if (options_.one_shot && in_flight_.empty() && writer_.queue().empty()) {
    Close("answered");
  }
}

void BackendConnection::OnTimer() {
  if (closing_) return;
  if (!connected_) {
    Close("connecting to " + endpoint_.ToString() + " timed out");
    return;
  }
  ExpireOverdue();
}

// Answers every request past its deadline (the oldest come first in the FIFO) and keeps its
// entry, so the late reply is still matched and dropped.
void BackendConnection::ExpireOverdue() {
  const uint64_t now = uv_now(loop_);
  std::vector<ReplyHandler*> overdue;
  for (InFlight& entry : in_flight_) {
    if (now - entry.queued_at_ms < options_.request_timeout_ms) break;
    if (!entry.handler) continue;
    overdue.push_back(entry.handler);
    entry.handler = nullptr;
    --waiting_;
  }
  if (overdue.empty()) return;
  draining_ = true;
  const std::string reason = "no reply from " + endpoint_.ToString() + " within " +
                             std::to_string(options_.request_timeout_ms) + " ms";
  spdlog::debug("backend connection draining: {} ({} requests answered with an error)", reason,
                overdue.size());
  for (ReplyHandler* handler : overdue)
    handler->OnBackendFailure(BackendFailure::kTimedOut, reason);
  CloseIfDrained();
}

void BackendConnection::Close(std::string_view why) {
  if (closing_) return;
  closing_ = true;
  close_reason_ = why;
  spdlog::debug("backend connection closed: {} ({} requests in flight)", why, in_flight_.size());
  owner_->OnBackendClosed(this);
  if (stream_handler_) stream_handler_->OnBackendFailure(BackendFailure::kLost, close_reason_);
  // Fail in order; handlers may send elsewhere, never here (closing_ refuses).
  waiting_ = 0;
  while (!in_flight_.empty()) {
    const InFlight entry = in_flight_.front();
    in_flight_.pop_front();
    if (entry.handler) {
      const bool may_have_run = entry.sent && !setup_refused_;
      entry.handler->OnBackendFailure(
          may_have_run ? BackendFailure::kLost : BackendFailure::kNotSent, close_reason_);
    }
  }
  if (resolving_) uv_cancel(reinterpret_cast<uv_req_t*>(&resolve_req_));
  const auto on_closed = [](uv_handle_t* h) {
    static_cast<BackendConnection*>(h->data)->OnHandleClosed();
  };
  uv_close(AsHandle(&tcp_), on_closed);
  uv_close(AsHandle(&timer_), on_closed);
}

void BackendConnection::OnHandleClosed() {
  if (--open_handles_ > 0 || resolving_) return;
  delete this;
}

}  // namespace slotgate
