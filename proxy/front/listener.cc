#include "proxy/front/listener.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace slotgate {

Listener* Listener::Create(uv_loop_t* loop, OnConnection on_connection) {
  return new Listener(loop, std::move(on_connection));
}

Listener::Listener(uv_loop_t* loop, OnConnection on_connection)
    : on_connection_(std::move(on_connection)) {
  uv_tcp_init(loop, &tcp_);
  tcp_.data = this;
}

bool Listener::Listen(const Endpoint& endpoint, std::string* why) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* result = nullptr;
  const std::string port = std::to_string(endpoint.port);
  if (const int rc = getaddrinfo(endpoint.host.c_str(), port.c_str(), &hints, &result); rc != 0) {
    *why = "cannot resolve " + endpoint.ToString() + ": " + gai_strerror(rc);
    return false;
  }
  // libuv 1.44 has no SO_REUSEPORT flag: make the socket here and hand it over.
  const int fd = socket(result->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int on = 1;
  const bool bound = fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == 0 &&
                     setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) == 0 &&
                     bind(fd, result->ai_addr, result->ai_addrlen) == 0;
  freeaddrinfo(result);
  if (!bound) {
    *why = "cannot listen on " + endpoint.ToString() + ": " + std::strerror(errno);
    if (fd >= 0) close(fd);
    return false;
  }
  if (const int rc = uv_tcp_open(&tcp_, fd); rc != 0) {
    *why = "cannot listen on " + endpoint.ToString() + ": " + uv_strerror(rc);
    close(fd);
    return false;
  }
  const int rc = uv_listen(reinterpret_cast<uv_stream_t*>(&tcp_), 511,
                           [](uv_stream_t* server, int status) {
                             static_cast<Listener*>(server->data)->on_connection_(server, status);
                           });
  if (rc != 0) {
    *why = "cannot listen on " + endpoint.ToString() + ": " + uv_strerror(rc);
    return false;
  }
  return true;
}

void Listener::Close() {
  uv_close(reinterpret_cast<uv_handle_t*>(&tcp_),
           [](uv_handle_t* h) { delete static_cast<Listener*>(h->data); });
}

}  // namespace slotgate
