#include "tests/integration/support/proxy_load.h"

#include <optional>
#include <utility>

#include "common/slot.h"
#include "tests/integration/support/redis_client.h"
#include "tests/integration/support/redis_cluster.h"

namespace slotgate::test {
namespace {

constexpr size_t kMaxFailuresKept = 1000;

// A counter key in `key`'s own slot, so a test can tell whose slots a failure hit.
std::string CounterOf(const std::string& key) {
  return HashTag(key).size() == key.size() ? "{" + key + "}:n" : key + ":n";
}

}  // namespace

ProxyLoad::ProxyLoad(uint16_t port, std::vector<std::vector<std::string>> keys_per_thread) {
  for (std::vector<std::string>& keys : keys_per_thread) {
    threads_.emplace_back([this, port, mine = std::move(keys)] { Run(port, mine); });
  }
}

ProxyLoad::~ProxyLoad() { Stop(); }

void ProxyLoad::Stop() {
  stop_ = true;
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

bool ProxyLoad::WaitForProgress(uint64_t count, std::chrono::milliseconds deadline) {
  const uint64_t target = turns_.load() + count;
  return PollUntil([&] { return turns_.load() >= target; }, deadline);
}

void ProxyLoad::Fail(const std::string& key, std::string what,
                     std::chrono::steady_clock::time_point sent) {
  ++failure_count_;
  std::lock_guard lock(mutex_);
  if (failures_.size() < kMaxFailuresKept) failures_.push_back({key, std::move(what), sent});
}

void ProxyLoad::Run(uint16_t port, std::vector<std::string> keys) {
  std::map<std::string, Acked> mine;
  std::map<std::string, std::optional<long long>> counters;  // nullopt: unknown after a failure
  try {
    RedisClient client(port);
    for (uint64_t turn = 0; !stop_ && !keys.empty(); ++turn) {
      const std::string& key = keys[turn % keys.size()];
      const std::string value = std::to_string(turn);
      auto sent = std::chrono::steady_clock::now();
      const std::string set = client.CommandString({"SET", key, value});
      if (set == "OK") {
        mine[key] = {value, std::chrono::steady_clock::now()};
        sent = std::chrono::steady_clock::now();
        const std::string get = client.CommandString({"GET", key});
        if (get != "\"" + value + "\"")
          Fail(key, "GET " + key + ": got " + get + ", want " + value, sent);
      } else {
        mine.erase(key);
        Fail(key, "SET " + key + ": got " + set + ", want OK", sent);
      }
      if (turn % 4 == 0) {
        const std::string counter = CounterOf(key);
        sent = std::chrono::steady_clock::now();
        const std::string incr = client.CommandString({"INCR", counter});
        std::optional<long long>& count = counters.try_emplace(counter, 0).first->second;
        if (!count) {
          // Unknown since an earlier failure: only error replies still count.
          if (incr.starts_with("(error)")) Fail(counter, "INCR " + counter + ": got " + incr, sent);
        } else if (incr == "(integer) " + std::to_string(*count + 1)) {
          ++*count;
          mine[counter] = {std::to_string(*count), std::chrono::steady_clock::now()};
        } else {
          Fail(counter,
               "INCR " + counter + ": got " + incr + ", want " + std::to_string(*count + 1), sent);
          count.reset();
          mine.erase(counter);
        }
      }
      ++turns_;
    }
  } catch (const std::exception& e) {
    Fail("", std::string("client thread ended: ") + e.what(), std::chrono::steady_clock::now());
  }
  std::lock_guard lock(mutex_);
  for (auto& [key, acked] : mine) acknowledged_[key] = std::move(acked);
}

std::vector<LoadFailure> ProxyLoad::Failures() const {
  std::lock_guard lock(mutex_);
  return failures_;
}

std::map<std::string, ProxyLoad::Acked> ProxyLoad::Acknowledged() const {
  std::lock_guard lock(mutex_);
  return acknowledged_;
}

std::string Describe(const std::vector<LoadFailure>& failures, size_t n) {
  std::string out;
  for (size_t i = 0; i < failures.size() && i < n; ++i) {
    out += (i ? "; " : "") + failures[i].what;
  }
  if (failures.size() > n) out += "; ... " + std::to_string(failures.size() - n) + " more";
  return out;
}

}  // namespace slotgate::test
