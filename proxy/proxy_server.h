// The whole running proxy: the control loop on the main thread (topology, signals), the
// workers, and the metrics endpoint. Run() returns the process exit code once SIGTERM or
// SIGINT has drained the workers.
#pragma once

#include "config/config.h"

namespace slotgate {

int RunProxy(const Config& config);

}  // namespace slotgate
