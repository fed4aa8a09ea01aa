// Collects config errors as they are found, so loading goes on after the first mistake and the
// operator sees every one of them, in file order.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace slotgate {

// 1-based; line 0 means "no position" (the error is about the whole file).
struct Position {
  int line = 0;
  int column = 0;
  bool known() const { return line > 0; }
};

// The first known position of the arguments, for errors that fall back to an enclosing key.
Position FirstKnown(std::initializer_list<Position> candidates);

class Diagnostics {
 public:
  explicit Diagnostics(std::string_view file) : file_(file) {}

  void Add(Position at, std::string reason);
  bool empty() const { return errors_.empty(); }

  // The errors sorted by position; errors at one position keep the order they were added in.
  std::vector<ConfigError> Take();

 private:
  std::string file_;
  std::vector<ConfigError> errors_;
};

}  // namespace slotgate
