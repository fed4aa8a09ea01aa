#include "proxy/process_setup.h"

#include <spdlog/spdlog.h>
#include <malloc.h>
#include <sys/resource.h>

#include <algorithm>
#include <csignal>

namespace slotgate {
namespace {

// Listeners, the loops' own descriptors, shared backend connections, logs and metrics.
constexpr uint64_t kFixedDescriptors = 1024;
constexpr int kLargeBlockBytes = 64 * 1024;

}  // namespace

void IgnoreBrokenPipes() { std::signal(SIGPIPE, SIG_IGN); }

void ReturnFreedMemory() {
  // Blocks from 64 KB up (large values, a client's reply buffer) are mapped on their own and
  // unmapped when freed; the arena's free top is trimmed past 64 KB. Fixed values also turn
  // glibc's dynamic raising off.
  mallopt(M_MMAP_THRESHOLD, kLargeBlockBytes);
  mallopt(M_TRIM_THRESHOLD, kLargeBlockBytes);
}

uint64_t RaiseFileLimit(uint32_t max_clients) {
  // A client's socket, plus at most one backend connection of its own (a blocking command, a
  // WATCH or a subscription) on average.
  const uint64_t wanted = uint64_t{max_clients} * 2 + kFixedDescriptors;
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < wanted) {
    const rlim_t raised = limit.rlim_max == RLIM_INFINITY
                              ? static_cast<rlim_t>(wanted)
                              : std::min<rlim_t>(limit.rlim_max, static_cast<rlim_t>(wanted));
    rlimit next = limit;
    next.rlim_cur = raised;
    if (raised > limit.rlim_cur && setrlimit(RLIMIT_NOFILE, &next) == 0) limit = next;
  }
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < wanted) {
    spdlog::warn(
        "max_clients {} needs about {} file descriptors but the limit is {}: clients past it "
        "are refused at accept; raise the hard limit (ulimit -Hn, systemd LimitNOFILE=) or "
        "lower limits.max_clients",
        max_clients, wanted, static_cast<uint64_t>(limit.rlim_cur));
  }
  return limit.rlim_cur == RLIM_INFINITY ? UINT64_MAX : static_cast<uint64_t>(limit.rlim_cur);
}

}  // namespace slotgate
