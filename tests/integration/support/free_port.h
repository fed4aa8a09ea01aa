// Free loopback ports for test servers, chosen at run time so tests never collide with each
// other, with a developer's own servers, or with the quick start's fixed ports.
#pragma once

#include <cstdint>

namespace slotgate::test {

// A loopback TCP port nobody listens on now. With `cluster_bus`, port + 10000 (Redis Cluster's
// bus port) is free too. Ports below 20000 and the quick start's ports are never returned.
uint16_t FreePort(bool cluster_bus = false);

}  // namespace slotgate::test
