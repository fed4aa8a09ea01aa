// Client threads that keep writing and reading through slotgate while a test reshards or fails
// the cluster over under them. Every reply is checked against the thread's own model (a thread
// is the only writer of its keys), so a lost, stale or misrouted reply shows up as a failure,
// with the key and the time it happened so a test can tell which master's slots it hit.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace slotgate::test {

struct LoadFailure {
  std::string key;
  std::string what;                          // "SET k: got ..., want OK"
  std::chrono::steady_clock::time_point at;  // when the failing command was sent
};

class ProxyLoad {
 public:
  // One thread per entry of `keys_per_thread`; thread t cycles over its keys, each turn
  // SET key -> OK, GET key -> the value just set, and every fourth turn INCR of a counter in
  // the key's slot ("{key}:n", or key + ":n" when the key has a hash tag).
  ProxyLoad(uint16_t port, std::vector<std::vector<std::string>> keys_per_thread);
  ~ProxyLoad();
  ProxyLoad(const ProxyLoad&) = delete;
  ProxyLoad& operator=(const ProxyLoad&) = delete;

  // Ends the threads (each finishes its current command first) and joins them.
  void Stop();
  // Waits until `count` more turns completed across all threads; false after `deadline`.
  bool WaitForProgress(uint64_t count,
                       std::chrono::milliseconds deadline = std::chrono::seconds(30));

  uint64_t turns() const { return turns_.load(); }
  uint64_t failure_count() const { return failure_count_.load(); }
  // Every failure (the first 1000 of them), in the order they happened.
  std::vector<LoadFailure> Failures() const;
  // key -> value of every write slotgate acknowledged last for that key, with its time; writes
  // whose outcome is unknown (an error reply to SET or INCR) are left out. After Stop().
  struct Acked {
    std::string value;
    std::chrono::steady_clock::time_point at;
  };
  std::map<std::string, Acked> Acknowledged() const;

 private:
  void Run(uint16_t port, std::vector<std::string> keys);
  void Fail(const std::string& key, std::string what, std::chrono::steady_clock::time_point sent);

  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> turns_{0};
  std::atomic<uint64_t> failure_count_{0};
  mutable std::mutex mutex_;
  std::vector<LoadFailure> failures_;
  std::map<std::string, Acked> acknowledged_;
  std::vector<std::thread> threads_;
};

// "k1: got (error) ..., want OK; k2: ..." of the first `n` failures, for assertion messages.
std::string Describe(const std::vector<LoadFailure>& failures, size_t n = 10);

}  // namespace slotgate::test
