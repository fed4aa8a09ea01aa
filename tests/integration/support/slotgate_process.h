// slotgate as the proxy tests see it: a child process started from a YAML config written to a
// temp folder, ready once it answers PING, its stderr captured in a file, its /metrics readable,
// and its exit code reported when SIGTERM stops it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace slotgate::test {

class RedisCluster;

// Builds slotgate's YAML (keys as in deploy/slotgate.yaml). `listen` and `metrics` are filled in
// by SlotgateProcess with free ports; Metrics(false) leaves `metrics` out, as a user who never
// set it runs slotgate.
class SlotgateConfig {
 public:
  // mode: cluster, every node of `cluster` a seed.
  static SlotgateConfig ForCluster(const RedisCluster& cluster);
  // mode: static; `slots` maps a server address to its ranges, e.g. {"127.0.0.1:1", "0-5460"}.
  static SlotgateConfig ForStatic(std::vector<std::pair<std::string, std::string>> slots);

  // A seed address on a free port nobody listens on, put first in `seeds`; returns it.
  std::string AddDeadSeed();
  SlotgateConfig& Seeds(std::vector<std::string> seeds);
  // backend.slots: address -> ranges as YAML flow text ("0-100, 200"), in the given order.
  SlotgateConfig& Slots(std::vector<std::pair<std::string, std::string>> slots);
  SlotgateConfig& Workers(int workers);
  SlotgateConfig& LogLevel(std::string level);
  // One key of `timeouts:` or `limits:`, e.g. Timeout("redirect_deadline_ms", "10000").
  SlotgateConfig& Timeout(std::string key, std::string value);
  SlotgateConfig& Limit(std::string key, std::string value);
  // backend.read_from: master, prefer-replica or replica.
  SlotgateConfig& ReadFrom(std::string where);
  // A key of `backend:` written as is, e.g. Backend("username", "slotgate").
  SlotgateConfig& Backend(std::string key, std::string value);
  // A top-level key written as is, e.g. Top("admin_commands", "false").
  SlotgateConfig& Top(std::string key, std::string value);
  // Whether the `metrics:` line is written (default true).
  SlotgateConfig& Metrics(bool on);
  bool metrics() const { return metrics_; }

  std::string ToYaml(uint16_t port, uint16_t metrics_port) const;

 private:
  std::string mode_ = "cluster";
  std::string read_from_;
  std::vector<std::string> seeds_;
  std::vector<std::pair<std::string, std::string>> slots_;
  int workers_ = 2;
  bool metrics_ = true;
  std::string log_level_ = "info";
  std::vector<std::pair<std::string, std::string>> timeouts_;
  std::vector<std::pair<std::string, std::string>> limits_;
  std::vector<std::pair<std::string, std::string>> top_;
  std::vector<std::pair<std::string, std::string>> backend_;
};

class SlotgateProcess {
 public:
  static constexpr std::chrono::milliseconds kStartDeadline{20000};

  // Throws (with the log) unless slotgate answers PING within kStartDeadline.
  explicit SlotgateProcess(const SlotgateConfig& config);
  ~SlotgateProcess();
  SlotgateProcess(const SlotgateProcess&) = delete;
  SlotgateProcess& operator=(const SlotgateProcess&) = delete;

  uint16_t port() const { return port_; }
  uint16_t metrics_port() const { return metrics_port_; }  // 0 when metrics are off
  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }
  const std::string& config_path() const { return config_path_; }

  // SIGTERM, then SIGKILL once `grace` passed. The exit code; 128 + signal when a signal ended
  // it (137 when it had to be killed); -1 when it was not running.
  int Stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

  // Everything slotgate wrote to stdout and stderr so far.
  std::string Log() const;
  // The body of GET /metrics on the metrics port ("" when it does not answer, or metrics are off).
  std::string Metrics() const;
  // The value of the sample whose name (with labels, if any) is exactly `sample`; nothing when
  // metrics are off.
  std::optional<double> Metric(const std::string& sample) const;

 private:
  std::string dir_;
  std::string config_path_;
  uint16_t port_ = 0;
  uint16_t metrics_port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace slotgate::test
