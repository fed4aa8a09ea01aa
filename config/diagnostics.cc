#include "config/diagnostics.h"

#include <algorithm>
#include <tuple>
#include <utility>

namespace slotgate {

Position FirstKnown(std::initializer_list<Position> candidates) {
  for (const Position& p : candidates) {
    if (p.known()) return p;
  }
  return {};
}

void Diagnostics::Add(Position at, std::string reason) {
  errors_.push_back(ConfigError{file_, at.line, at.column, std::move(reason)});
}

std::vector<ConfigError> Diagnostics::Take() {
  std::stable_sort(errors_.begin(), errors_.end(), [](const ConfigError& a, const ConfigError& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
  return std::move(errors_);
}

}  // namespace slotgate
