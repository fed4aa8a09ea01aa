#include "tests/integration/support/redis_server.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "tests/integration/support/child_process.h"
#include "tests/integration/support/free_port.h"
#include "tests/integration/support/redis_client.h"

namespace slotgate::test {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPollInterval = std::chrono::milliseconds(10);

}  // namespace

RedisServer::RedisServer(RedisServerOptions options) : options_(std::move(options)) {
  port_ = FreePort(options_.cluster_enabled);
  char dir_template[] = "/tmp/slotgate-test-redis-XXXXXX";
  if (!mkdtemp(dir_template)) throw std::runtime_error("mkdtemp failed");
  dir_ = dir_template;
  Start();
}

RedisServer::~RedisServer() {
  Stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void RedisServer::Start() {
  if (running()) return;
  std::vector<std::string> args = {
      SLOTGATE_REDIS_SERVER, "--port", std::to_string(port_), "--bind", "127.0.0.1",
      "--dir", dir_, "--logfile", dir_ + "/redis.log", "--save", "", "--appendonly", "no",
      "--daemonize", "no"};
  if (options_.cluster_enabled) {
    args.insert(args.end(), {"--cluster-enabled", "yes", "--cluster-config-file",
                             dir_ + "/nodes.conf", "--cluster-node-timeout", "2000"});
  }
  args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());

  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    DieWithParent(parent);
    execv(argv[0], argv.data());
    _exit(127);
  }
  WaitUntilReady(std::chrono::seconds(10));
}

void RedisServer::WaitUntilReady(std::chrono::milliseconds deadline) {
  const auto until = Clock::now() + deadline;
  while (Clock::now() < until) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("redis-server exited at start; see " + dir_ + "/redis.log");
    }
    if (RedisClient::Ping(port_)) return;
    std::this_thread::sleep_for(kPollInterval);
  }
  throw std::runtime_error("redis-server on port " + std::to_string(port_) +
                           " did not answer PING in time");
}

void RedisServer::Stop(int signal) {
  if (!running()) return;
  kill(pid_, signal);
  const auto until = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < until) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

}  // namespace slotgate::test
