// The slotgate binary as a child process for integration tests: its YAML written to a temp
// folder, its log captured, ready once it answers PING, stopped with SIGTERM (its exit code
// reported) when the test is done.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace slotgate::test {

class SlotgateRunner {
 public:
  // `backend_yaml` is the `backend:` section's body (already indented by two spaces); the rest
  // of the config (listen, metrics, workers, timeouts) is filled in here.
  explicit SlotgateRunner(const std::string& backend_yaml, const std::string& extra_yaml = "");
  ~SlotgateRunner();
  SlotgateRunner(const SlotgateRunner&) = delete;
  SlotgateRunner& operator=(const SlotgateRunner&) = delete;

  uint16_t port() const { return port_; }
  uint16_t metrics_port() const { return metrics_port_; }
  // SIGTERM, then waits; returns the exit status (or -1 when it had to be killed).
  int Stop();
  std::string Log() const;
  // The body of GET /metrics.
  std::string Metrics() const;

  // A cluster-mode backend section naming `seeds`.
  static std::string ClusterBackend(const std::vector<std::string>& seeds);

 private:
  std::string dir_;
  uint16_t port_ = 0;
  uint16_t metrics_port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace slotgate::test
