// Whether a peer's address is the loopback interface (127.0.0.0/8, ::1, or 127.x mapped into
// IPv6): protected mode lets only those clients in without a password, as Redis's does.
#pragma once

#include <sys/socket.h>

namespace slotgate {

bool IsLoopbackAddress(const sockaddr* address);

}  // namespace slotgate
