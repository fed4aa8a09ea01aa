#include "tests/integration/support/free_port.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

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

}  // namespace

uint16_t FreePort(bool cluster_bus) {
  // Random ports in 20000-44999 (the bus port stays below 55000, under the kernel's ephemeral
  // range), remembering those handed out so two servers of one test never get the same.
  static std::mt19937 rng(std::random_device{}());
  static std::set<uint16_t> handed_out;
  std::uniform_int_distribution<int> pick(20000, 44999);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const auto port = static_cast<uint16_t>(pick(rng));
    if (handed_out.count(port) || (cluster_bus && handed_out.count(port + 10000))) continue;
    if (!CanBind(port) || (cluster_bus && !CanBind(static_cast<uint16_t>(port + 10000)))) continue;
    handed_out.insert(port);
    if (cluster_bus) handed_out.insert(static_cast<uint16_t>(port + 10000));
    return port;
  }
  throw std::runtime_error("no free loopback port found");
}

}  // namespace slotgate::test
