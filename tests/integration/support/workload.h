// Clients writing and reading through slotgate while a test changes the cluster under them:
// each thread SETs its own keys and reads them back, counting every error reply, and remembers
// every acknowledged write so the test can check afterwards that none was lost.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace slotgate::test {

class Workload {
 public:
  // Starts `threads` clients on slotgate's `port`; each stops after `max_ops` operations or Stop().
  Workload(uint16_t port, int threads, int max_ops = 1'000'000);
  ~Workload();

  void Stop();
  uint64_t operations() const { return operations_.load(); }
  uint64_t errors() const { return errors_.load(); }
  std::vector<std::string> FirstErrors() const;
  // key -> value of every write slotgate acknowledged with +OK.
  std::map<std::string, std::string> Acknowledged() const;
  // Waits until at least `count` more operations have completed (or a 30 s deadline).
  bool WaitForProgress(uint64_t count);

 private:
  void Run(int thread, uint16_t port, int max_ops);

  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> operations_{0};
  std::atomic<uint64_t> errors_{0};
  mutable std::mutex mutex_;
  std::vector<std::string> first_errors_;
  std::map<std::string, std::string> acknowledged_;
  std::vector<std::thread> threads_;
};

}  // namespace slotgate::test
