// What fault tests need around the servers they hurt: a command whose failure is a value to
// compare rather than an exception, whether slotgate still runs, a stopped process that is
// continued whatever the test's outcome, and a key on a given master.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <vector>

#include "tests/integration/support/redis_client.h"
#include "tests/integration/support/slotgate_process.h"

namespace slotgate::test {

// The reply as ReplyToString renders it, or "(no reply: why)" when the connection fails or no
// reply comes in time.
std::string CommandOrWhy(RedisClient& client, const std::vector<std::string>& args);

// Whether the slotgate child still runs: SlotgateProcess only learns of its exit when it stops
// it, so the kernel is asked (a dead child stays a zombie until it is reaped).
bool Alive(const SlotgateProcess& proxy);

// The first key named prefix + number whose slot `node` owns (`owners`: slot -> node index);
// throws when `node` owns no slot.
std::string KeyOwnedBy(const std::vector<size_t>& owners, size_t node, const std::string& prefix);

// SIGCONT to a stopped process when the test ends, whatever failed before.
class ContinueOnExit {
 public:
  explicit ContinueOnExit(pid_t pid) : pid_(pid) {}
  ~ContinueOnExit() { Continue(); }
  void Continue();
  ContinueOnExit(const ContinueOnExit&) = delete;
  ContinueOnExit& operator=(const ContinueOnExit&) = delete;

 private:
  pid_t pid_;
};

}  // namespace slotgate::test
