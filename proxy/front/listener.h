// A worker's own listening socket. Every worker binds the same address with SO_REUSEPORT, so
// the kernel spreads new connections over the workers and no accept lock is shared.
#pragma once

#include <uv.h>

#include <functional>
#include <string>

#include "config/config.h"

namespace slotgate {

class Listener {
 public:
  // `status` < 0: accepting failed (EMFILE, ENFILE, ENOMEM...); nothing is waiting to accept.
  using OnConnection = std::function<void(uv_stream_t* server, int status)>;

  // Heap-allocated; deletes itself after Close().
  static Listener* Create(uv_loop_t* loop, OnConnection on_connection);
  // Binds and listens; on failure returns false and sets `why`.
  bool Listen(const Endpoint& endpoint, std::string* why);
  void Close();

 private:
  Listener(uv_loop_t* loop, OnConnection on_connection);
  ~Listener() = default;

  uv_tcp_t tcp_;
  OnConnection on_connection_;
};

}  // namespace slotgate
