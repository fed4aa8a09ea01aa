// Other programs (real Redis clients, redis-benchmark, redis-cli) run by tests as children with
// a time limit, their output captured, so a test can assert on their exit status and print
// what they said when it fails. A child that outlives its limit is killed, never waited on.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace slotgate::test {

struct ChildResult {
  int exit_code = -1;      // 128 + signal when a signal ended it; 127 when it could not start
  bool timed_out = false;  // killed (SIGKILL to its process group) at the deadline
  std::string output;      // stdout and stderr, interleaved as it wrote them
};

struct ChildOptions {
  std::chrono::milliseconds deadline{60000};
  std::string stdin_text;  // written to its stdin, which is then closed
  std::string cwd;         // "" keeps the test's own
};

// Runs argv[0] (a path, or a name looked up in PATH) with `argv`. The child leads its own
// process group, so at the deadline its helpers and threads go with it.
ChildResult RunChild(const std::vector<std::string>& argv, const ChildOptions& options = {});

// The full path of `name` in PATH, or "" when no executable of that name is there.
std::string FindInPath(const std::string& name);

// In a child right after fork: SIGKILL it when the test process dies, so a test killed at its
// CTest timeout leaves no server behind. `parent` is the pid before fork.
void DieWithParent(pid_t parent);

// A waitpid status as a shell reports it: the exit code, or 128 + the signal that ended it.
int ExitCodeOf(int wait_status);

// "exit code 1" / "killed at the 60000 ms deadline", then the output, for assertion messages.
std::string Describe(const ChildResult& result);

}  // namespace slotgate::test
