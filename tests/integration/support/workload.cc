#include "tests/integration/support/workload.h"

#include <chrono>

#include "tests/integration/support/local_cluster.h"
#include "tests/integration/support/redis_client.h"

namespace slotgate::test {

Workload::Workload(uint16_t port, int threads, int max_ops) {
  for (int t = 0; t < threads; ++t) {
    threads_.emplace_back([this, t, port, max_ops] { Run(t, port, max_ops); });
  }
}

Workload::~Workload() { Stop(); }

void Workload::Stop() {
  stop_ = true;
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

void Workload::Run(int thread, uint16_t port, int max_ops) {
  RedisClient client(port);
  std::map<std::string, std::string> mine;
  const auto record_error = [&](const std::string& what) {
    ++errors_;
    std::lock_guard lock(mutex_);
    if (first_errors_.size() < 10) first_errors_.push_back(what);
  };
  for (int i = 0; i < max_ops && !stop_; ++i) {
    const std::string key = "w" + std::to_string(thread) + ":" + std::to_string(i % 2000);
    const std::string value = std::to_string(i);
    const std::string set = client.CommandString({"SET", key, value});
    if (set == "OK") {
      mine[key] = value;
    } else {
      mine.erase(key);  // the write may or may not have happened: nothing to check
      record_error("SET " + key + ": " + set);
    }
    const std::string get = client.CommandString({"GET", key});
    if (get.starts_with("(error)")) record_error("GET " + key + ": " + get);
    ++operations_;
  }
  std::lock_guard lock(mutex_);
  acknowledged_.insert(mine.begin(), mine.end());
}

std::vector<std::string> Workload::FirstErrors() const {
  std::lock_guard lock(mutex_);
  return first_errors_;
}

std::map<std::string, std::string> Workload::Acknowledged() const {
  std::lock_guard lock(mutex_);
  return acknowledged_;
}

bool Workload::WaitForProgress(uint64_t count) {
  const uint64_t target = operations_.load() + count;
  return WaitFor([&] { return operations_.load() >= target; }, std::chrono::seconds(30));
}

}  // namespace slotgate::test
