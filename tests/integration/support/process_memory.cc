#include "tests/integration/support/process_memory.h"

#include <sys/resource.h>

#include <fstream>
#include <string>

namespace slotgate::test {
namespace {

// A "Name:   1234 kB" line of /proc/<pid>/status, in bytes; 0 when absent.
uint64_t StatusBytes(pid_t pid, const std::string& name) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with(name + ":")) return std::stoull(line.substr(name.size() + 1)) * 1024;
  }
  return 0;
}

}  // namespace

uint64_t ResidentBytes(pid_t pid) { return StatusBytes(pid, "VmRSS"); }

uint64_t PeakResidentBytes(pid_t pid) { return StatusBytes(pid, "VmHWM"); }

bool ResetPeakResident(pid_t pid) {
  std::ofstream clear_refs("/proc/" + std::to_string(pid) + "/clear_refs");
  clear_refs << "5";
  clear_refs.flush();
  return clear_refs.good();
}

uint64_t RaiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur != limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return limit.rlim_cur == RLIM_INFINITY ? UINT64_MAX : static_cast<uint64_t>(limit.rlim_cur);
}

}  // namespace slotgate::test
