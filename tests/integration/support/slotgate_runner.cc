#include "tests/integration/support/slotgate_runner.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/integration/support/free_port.h"
#include "tests/integration/support/redis_client.h"

namespace slotgate::test {

SlotgateRunner::SlotgateRunner(const std::string& backend_yaml, const std::string& extra_yaml) {
  char dir_template[] = "/tmp/slotgate-test-proxy-XXXXXX";
  if (!mkdtemp(dir_template)) throw std::runtime_error("mkdtemp failed");
  dir_ = dir_template;
  port_ = FreePort();
  metrics_port_ = FreePort();
  const std::string config = dir_ + "/slotgate.yaml";
  std::ofstream(config) << "listen: 127.0.0.1:" << port_ << "\n"
                        << "metrics: 127.0.0.1:" << metrics_port_ << "\n"
                        << "workers: 2\n"
                        << "log_level: debug\n"
                        << "backend:\n"
                        << backend_yaml << extra_yaml;
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    const int log = open((dir_ + "/slotgate.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(log, STDOUT_FILENO);
    dup2(log, STDERR_FILENO);
    execl(SLOTGATE_BINARY, SLOTGATE_BINARY, "--config", config.c_str(), nullptr);
    _exit(127);
  }
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < until) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("slotgate exited at start:\n" + Log());
    }
    if (RedisClient::Ping(port_)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("slotgate did not answer PING in time:\n" + Log());
}

SlotgateRunner::~SlotgateRunner() {
  Stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

int SlotgateRunner::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < until) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
  return -1;
}

std::string SlotgateRunner::Log() const {
  std::ifstream in(dir_ + "/slotgate.log");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string SlotgateRunner::Metrics() const {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(metrics_port_);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string body;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    const std::string request =
        "GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
      timeval timeout{5, 0};
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
      char buffer[65536];
      ssize_t n;
      while ((n = read(fd, buffer, sizeof(buffer))) > 0) body.append(buffer, static_cast<size_t>(n));
    }
  }
  close(fd);
  return body;
}

std::string SlotgateRunner::ClusterBackend(const std::vector<std::string>& seeds) {
  std::string yaml = "  mode: cluster\n  seeds: [";
  for (size_t i = 0; i < seeds.size(); ++i) yaml += (i ? ", " : "") + seeds[i];
  return yaml + "]\n";
}

}  // namespace slotgate::test
