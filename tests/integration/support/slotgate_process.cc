#include "tests/integration/support/slotgate_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/integration/support/child_process.h"
#include "tests/integration/support/free_port.h"
#include "tests/integration/support/raw_socket.h"
#include "tests/integration/support/redis_client.h"
#include "tests/integration/support/redis_cluster.h"

namespace slotgate::test {
namespace {

using Clock = std::chrono::steady_clock;

// GET `path` over HTTP/1.0 from 127.0.0.1:`port`; the body, or "" on any failure.
std::string HttpGet(uint16_t port, const std::string& path) {
  try {
    RawSocket socket(port);
    socket.Send("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    const std::string response = socket.ReadUntilClosed();
    const size_t body = response.find("\r\n\r\n");
    return body == std::string::npos ? "" : response.substr(body + 4);
  } catch (const std::exception&) {
    return "";  // nothing listens there (yet)
  }
}

std::string FlowList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out + "]";
}

}  // namespace

SlotgateConfig SlotgateConfig::ForCluster(const RedisCluster& cluster) {
  SlotgateConfig config;
  config.seeds_ = cluster.Addresses();
  return config;
}

SlotgateConfig SlotgateConfig::ForStatic(std::vector<std::pair<std::string, std::string>> slots) {
  SlotgateConfig config;
  config.mode_ = "static";
  config.slots_ = std::move(slots);
  return config;
}

std::string SlotgateConfig::AddDeadSeed() {
  const std::string dead = "127.0.0.1:" + std::to_string(FreePort());
  seeds_.insert(seeds_.begin(), dead);
  return dead;
}

SlotgateConfig& SlotgateConfig::Seeds(std::vector<std::string> seeds) {
  seeds_ = std::move(seeds);
  return *this;
}

SlotgateConfig& SlotgateConfig::Slots(std::vector<std::pair<std::string, std::string>> slots) {
  slots_ = std::move(slots);
  return *this;
}

SlotgateConfig& SlotgateConfig::Workers(int workers) {
  workers_ = workers;
  return *this;
}

SlotgateConfig& SlotgateConfig::LogLevel(std::string level) {
  log_level_ = std::move(level);
  return *this;
}

SlotgateConfig& SlotgateConfig::Timeout(std::string key, std::string value) {
  timeouts_.emplace_back(std::move(key), std::move(value));
  return *this;
}

SlotgateConfig& SlotgateConfig::Limit(std::string key, std::string value) {
  limits_.emplace_back(std::move(key), std::move(value));
  return *this;
}

SlotgateConfig& SlotgateConfig::Backend(std::string key, std::string value) {
  backend_.emplace_back(std::move(key), std::move(value));
  return *this;
}

SlotgateConfig& SlotgateConfig::ReadFrom(std::string where) {
  read_from_ = std::move(where);
  return *this;
}

SlotgateConfig& SlotgateConfig::Top(std::string key, std::string value) {
  top_.emplace_back(std::move(key), std::move(value));
  return *this;
}

SlotgateConfig& SlotgateConfig::Metrics(bool on) {
  metrics_ = on;
  return *this;
}

std::string SlotgateConfig::ToYaml(uint16_t port, uint16_t metrics_port) const {
  std::ostringstream yaml;
  yaml << "listen: 127.0.0.1:" << port << "\n";
  if (metrics_) yaml << "metrics: 127.0.0.1:" << metrics_port << "\n";
  yaml << "workers: " << workers_ << "\n"
       << "log_level: " << log_level_ << "\n";
  for (const auto& [key, value] : top_) yaml << key << ": " << value << "\n";
  yaml << "backend:\n"
       << "  mode: " << mode_ << "\n";
  if (!read_from_.empty()) yaml << "  read_from: " << read_from_ << "\n";
  for (const auto& [key, value] : backend_) yaml << "  " << key << ": " << value << "\n";
  if (!seeds_.empty()) yaml << "  seeds: " << FlowList(seeds_) << "\n";
  if (!slots_.empty()) {
    yaml << "  slots:\n";
    for (const auto& [node, ranges] : slots_) yaml << "    " << node << ": [" << ranges << "]\n";
  }
  if (!timeouts_.empty()) {
    yaml << "timeouts:\n";
    for (const auto& [key, value] : timeouts_) yaml << "  " << key << ": " << value << "\n";
  }
  if (!limits_.empty()) {
    yaml << "limits:\n";
    for (const auto& [key, value] : limits_) yaml << "  " << key << ": " << value << "\n";
  }
  return yaml.str();
}

SlotgateProcess::SlotgateProcess(const SlotgateConfig& config) {
  char dir_template[] = "/tmp/slotgate-test-process-XXXXXX";
  if (!mkdtemp(dir_template)) throw std::runtime_error("mkdtemp failed");
  dir_ = dir_template;
  port_ = FreePort();
  metrics_port_ = config.metrics() ? FreePort() : 0;
  config_path_ = dir_ + "/slotgate.yaml";
  std::ofstream(config_path_) << config.ToYaml(port_, metrics_port_);
  const std::string log_path = dir_ + "/slotgate.log";

  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    DieWithParent(parent);
    const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (log >= 0) {
      dup2(log, STDOUT_FILENO);
      dup2(log, STDERR_FILENO);
    }
    execl(SLOTGATE_BINARY, SLOTGATE_BINARY, "--config", config_path_.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  const auto until = Clock::now() + kStartDeadline;
  while (Clock::now() < until) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("slotgate exited at start with " +
                               std::to_string(ExitCodeOf(status)) + ":\n" + Log());
    }
    if (RedisClient::Ping(port_)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Stop(std::chrono::seconds(1));
  throw std::runtime_error("slotgate did not answer PING in time:\n" + Log());
}

SlotgateProcess::~SlotgateProcess() {
  Stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

int SlotgateProcess::Stop(std::chrono::milliseconds grace) {
  if (!running()) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  const auto until = Clock::now() + grace;
  while (Clock::now() < until) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return ExitCodeOf(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return ExitCodeOf(status);
}

std::string SlotgateProcess::Log() const {
  std::ifstream in(dir_ + "/slotgate.log");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string SlotgateProcess::Metrics() const {
  return metrics_port_ == 0 ? "" : HttpGet(metrics_port_, "/metrics");
}

std::optional<double> SlotgateProcess::Metric(const std::string& sample) const {
  std::istringstream lines(Metrics());
  std::string line;
  while (std::getline(lines, line)) {
    if (line.size() > sample.size() && line.starts_with(sample) && line[sample.size()] == ' ') {
      return std::stod(line.substr(sample.size() + 1));
    }
  }
  return std::nullopt;
}

}  // namespace slotgate::test
