// A real redis-server child process on a free loopback port, for integration tests: started
// with the options a test asks for, ready when it answers PING, stopped (by its PID) when the
// object goes away, its files removed.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace slotgate::test {

struct RedisServerOptions {
  bool cluster_enabled = false;
  std::vector<std::string> extra_args;  // further redis-server options, e.g. {"--maxmemory", "1mb"}
};

class RedisServer {
 public:
  explicit RedisServer(RedisServerOptions options = {});
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  uint16_t port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }

  // Ends the process with `signal` and reaps it (SIGKILL after a deadline if it lingers).
  void Stop(int signal = 15);
  // Starts it again on the same port with the same data directory.
  void Start();

 private:
  void WaitUntilReady(std::chrono::milliseconds deadline);

  RedisServerOptions options_;
  uint16_t port_ = 0;
  std::string dir_;
  pid_t pid_ = -1;
};

}  // namespace slotgate::test
