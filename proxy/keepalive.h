// TCP keepalive with our own timing: the kernel's default (two hours idle) would let a peer
// that vanished without a FIN (a partition, a powered-off host) hold a connection for ever.
#pragma once

#include <uv.h>

namespace slotgate {

struct KeepAlive {
  unsigned idle_s;      // quiet time before the first probe
  unsigned interval_s;  // between unanswered probes
  unsigned probes;      // unanswered probes before the connection is declared dead
};

// Clients: Redis's own tcp-keepalive default is 300 s; a minute finds half-open clients sooner.
inline constexpr KeepAlive kClientKeepAlive{60, 10, 3};
// Backends: a blocked BLPOP or a subscription to a partitioned node fails within half a minute.
inline constexpr KeepAlive kBackendKeepAlive{10, 5, 3};

// Best effort: a socket that refuses an option keeps the kernel's value for it.
void EnableKeepAlive(uv_tcp_t* tcp, const KeepAlive& timing);

}  // namespace slotgate
