#include "tests/integration/support/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace slotgate::test {
namespace {

using Clock = std::chrono::steady_clock;

void CloseIfOpen(int* fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

}  // namespace

void DieWithParent(pid_t parent) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(1);  // the parent died before prctl took effect
}

int ExitCodeOf(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return -1;
}

std::string FindInPath(const std::string& name) {
  if (name.find('/') != std::string::npos) return access(name.c_str(), X_OK) == 0 ? name : "";
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

ChildResult RunChild(const std::vector<std::string>& argv, const ChildOptions& options) {
  ChildResult result;
  const std::string program = FindInPath(argv.at(0));
  if (program.empty()) {
    result.exit_code = 127;
    result.output = argv[0] + ": not found in PATH";
    return result;
  }
  int out[2];
  int in[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  if (pipe2(in, O_CLOEXEC) != 0) {
    close(out[0]);
    close(out[1]);
    throw std::runtime_error("pipe failed");
  }
  std::vector<std::string> args = argv;
  std::vector<char*> raw;
  for (std::string& a : args) raw.push_back(a.data());
  raw.push_back(nullptr);

  // A child that exits before reading all of its stdin must fail the write, not kill the test.
  signal(SIGPIPE, SIG_IGN);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    DieWithParent(parent);
    signal(SIGPIPE, SIG_DFL);  // an ignored signal would stay ignored across exec
    setpgid(0, 0);
    dup2(in[0], STDIN_FILENO);
    dup2(out[1], STDOUT_FILENO);
    dup2(out[1], STDERR_FILENO);
    if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) _exit(127);
    execv(program.c_str(), raw.data());
    _exit(127);
  }
  // Set it from both sides so the group exists before any kill below can name it.
  setpgid(pid, pid);
  close(out[1]);
  close(in[0]);
  int out_fd = out[0];
  int in_fd = in[1];
  fcntl(in_fd, F_SETFL, O_NONBLOCK);
  size_t written = 0;
  if (options.stdin_text.empty()) CloseIfOpen(&in_fd);

  const auto until = Clock::now() + options.deadline;
  while (out_fd >= 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
    if (left <= 0) {
      result.timed_out = true;
      break;
    }
    pollfd fds[2] = {{out_fd, POLLIN, 0}, {in_fd, POLLOUT, 0}};
    const int ready = poll(fds, in_fd >= 0 ? 2 : 1, static_cast<int>(left));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    if (in_fd >= 0 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
      const ssize_t n =
          write(in_fd, options.stdin_text.data() + written, options.stdin_text.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      if (n < 0 && errno != EAGAIN && errno != EINTR) written = options.stdin_text.size();
      if (written == options.stdin_text.size()) CloseIfOpen(&in_fd);
    }
    if (fds[0].revents & (POLLIN | POLLERR | POLLHUP)) {
      char buffer[65536];
      const ssize_t n = read(out_fd, buffer, sizeof(buffer));
      if (n > 0) {
        result.output.append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        CloseIfOpen(&out_fd);
      }
    }
  }
  CloseIfOpen(&out_fd);
  CloseIfOpen(&in_fd);

  int status = 0;
  if (result.timed_out) {
    kill(-pid, SIGKILL);
    waitpid(pid, &status, 0);
    result.exit_code = ExitCodeOf(status);
    return result;
  }
  // Output closed: the child is exiting. Wait for it, still within the deadline.
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (Clock::now() >= until) {
      result.timed_out = true;
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    pollfd none{-1, 0, 0};
    poll(&none, 0, 10);
  }
  result.exit_code = ExitCodeOf(status);
  return result;
}

std::string Describe(const ChildResult& result) {
  std::string head =
      result.timed_out ? "killed at its deadline" : "exit code " + std::to_string(result.exit_code);
  return head + "; output:\n" + result.output;
}

}  // namespace slotgate::test
