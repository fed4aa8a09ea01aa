#include "tests/integration/support/fault_helpers.h"

#include <signal.h>

#include <exception>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

#include "common/slot.h"

namespace slotgate::test {

std::string CommandOrWhy(RedisClient& client, const std::vector<std::string>& args) {
  try {
    return client.CommandString(args);
  } catch (const std::exception& e) {
    return std::string("(no reply: ") + e.what() + ")";
  }
}

bool Alive(const SlotgateProcess& proxy) {
  if (!proxy.running()) return false;
  std::ifstream stat("/proc/" + std::to_string(proxy.pid()) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const size_t paren = text.rfind(')');
  if (paren == std::string::npos || paren + 2 >= text.size()) return false;
  const char state = text[paren + 2];
  return state != 'Z' && state != 'X';
}

std::string KeyOwnedBy(const std::vector<size_t>& owners, size_t node, const std::string& prefix) {
  // A node owning even one slot is hit within a few hundred thousand names; one that owns
  // none (or a table that could not be read) is a broken test, said at once.
  for (int i = 0; i < 10'000'000; ++i) {
    const std::string key = prefix + std::to_string(i);
    if (owners[KeySlot(key)] == node) return key;
  }
  throw std::runtime_error("no key named " + prefix + "N is owned by node " +
                           std::to_string(node));
}

void ContinueOnExit::Continue() {
  if (pid_ > 0) kill(pid_, SIGCONT);
  pid_ = -1;
}

}  // namespace slotgate::test
