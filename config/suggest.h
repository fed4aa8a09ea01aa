// Turns a misspelt or misplaced key into a helpful error ("did you mean 'listen'?"), because a
// config typo otherwise silently becomes a default value in many YAML-driven programs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/schema.h"

namespace slotgate {

// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo.
std::optional<std::string_view> ClosestMatch(std::string_view word,
                                             const std::vector<std::string_view>& candidates);

// "unknown key 'lisen' (did you mean 'listen'?)", "... (it belongs under 'backend')", or
// "... (expected one of: a, b, c)".
std::string UnknownKeyReason(std::string_view key, Section section);

// "one of: a, b, c".
std::string OneOf(const std::vector<std::string_view>& names);

}  // namespace slotgate
