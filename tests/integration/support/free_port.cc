#include "tests/integration/support/free_port.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <set>
#include <stdexcept>

namespace slotgate::test {
namespace {

bool CanBind(uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

// The first port the kernel hands out to outgoing connections (ip_local_port_range): a
// listening port above it can be taken by any client socket between the check and the bind.
int EphemeralLow() {
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 32768;
  range >> low;
  return low;
}

// The quick start's ports (slotgate 6380, metrics 9380, the cluster 7001-7006 and its bus
// ports 17001-17006) stay free for a developer's own cluster.
bool IsQuickStartPort(int port) {
  return port == 6380 || port == 9380 || (port >= 7001 && port <= 7006) ||
         (port >= 17001 && port <= 17006);
}

}  // namespace

uint16_t FreePort(bool cluster_bus) {
  // Random ports from 10000 up to below the ephemeral range (with a cluster node's bus port,
  // port + 10000, below it too), remembering those handed out so two servers of one test
  // never get the same.
  static std::mt19937 rng(std::random_device{}());
  static std::set<uint16_t> handed_out;
  static const int kHighest = EphemeralLow() - 1 - 10000;  // room for the bus port
  std::uniform_int_distribution<int> pick(10000, std::max(10001, kHighest));
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const auto port = static_cast<uint16_t>(pick(rng));
    if (handed_out.count(port) || (cluster_bus && handed_out.count(port + 10000))) continue;
    if (IsQuickStartPort(port) || IsQuickStartPort(port + 10000)) continue;
    if (!CanBind(port) || (cluster_bus && !CanBind(static_cast<uint16_t>(port + 10000)))) continue;
    handed_out.insert(port);
    if (cluster_bus) handed_out.insert(static_cast<uint16_t>(port + 10000));
    return port;
  }
  throw std::runtime_error("no free loopback port found");
}

}  // namespace slotgate::test
