#include "proxy/keepalive.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace slotgate {

void EnableKeepAlive(uv_tcp_t* tcp, const KeepAlive& timing) {
  uv_tcp_keepalive(tcp, 1, timing.idle_s);  // SO_KEEPALIVE and TCP_KEEPIDLE
  uv_os_fd_t fd = -1;
  if (uv_fileno(reinterpret_cast<uv_handle_t*>(tcp), &fd) != 0) return;
  const int interval = static_cast<int>(timing.interval_s);
  const int probes = static_cast<int>(timing.probes);
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof(interval));
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &probes, sizeof(probes));
}

}  // namespace slotgate
