// What the process must settle before it serves anyone: a client that hangs up while slotgate
// writes to it must cost that client only (SIGPIPE would end the whole process), and
// `max_clients` needs file descriptors the default soft limit does not give.
#pragma once

#include <cstdint>

namespace slotgate {

// Ignores SIGPIPE: a write to a closed socket then fails with EPIPE on that socket alone.
void IgnoreBrokenPipes();

// Makes freed client buffers go back to the system. glibc's malloc otherwise raises its mmap
// threshold to the largest block freed (a dropped client's buffer of several MB) and then
// keeps about twice that much freed memory in the worker's arena: RSS stays high long after
// the client that caused it is gone.
void ReturnFreedMemory();

// Raises the soft RLIMIT_NOFILE to what `max_clients` clients need (each may also hold a
// backend connection of its own), up to the hard limit; logs a warning when the hard limit is
// lower than that. Returns the soft limit in force afterwards.
uint64_t RaiseFileLimit(uint32_t max_clients);

}  // namespace slotgate
