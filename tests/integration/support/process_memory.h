// What memory tests read of a process: its resident set now and at its peak (from
// /proc/<pid>/status), and the file-descriptor limit a test needs to open thousands of
// connections itself.
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace slotgate::test {

// VmRSS of `pid` in bytes; 0 when it cannot be read (the process is gone).
uint64_t ResidentBytes(pid_t pid);
// VmHWM of `pid` in bytes: the largest VmRSS since it started or since ResetPeakResident.
uint64_t PeakResidentBytes(pid_t pid);
// Sets VmHWM of `pid` to its VmRSS now (writes 5 to /proc/<pid>/clear_refs); false when the
// kernel refuses, in which case VmHWM still counts from the start of the process.
bool ResetPeakResident(pid_t pid);

// Raises this process's soft RLIMIT_NOFILE to its hard limit (children started later inherit
// it); returns the soft limit it has afterwards, 0 when it cannot be read.
uint64_t RaiseOpenFileLimit();

}  // namespace slotgate::test
