#include "config/config.h"

namespace slotgate {

std::string ConfigError::ToString() const {
  if (line <= 0) return file + ": " + reason;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + reason;
}

std::string_view ToString(BackendMode mode) {
  switch (mode) {
    case BackendMode::kCluster:
      return "cluster";
    case BackendMode::kStatic:
      return "static";
  }
  return "?";
}

std::string_view ToString(ReadFrom read_from) {
  switch (read_from) {
    case ReadFrom::kMaster:
      return "master";
    case ReadFrom::kPreferReplica:
      return "prefer-replica";
    case ReadFrom::kReplica:
      return "replica";
  }
  return "?";
}

}  // namespace slotgate
