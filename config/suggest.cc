#include "config/suggest.h"

#include <algorithm>
#include <numeric>

#include "config/quote.h"

namespace slotgate {
namespace {

// Words longer than any key cannot be typos of one; skipping them bounds the work on junk input.
constexpr size_t kMaxWordForSuggestion = 64;

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      const size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::optional<std::string_view> ClosestMatch(std::string_view word,
                                             const std::vector<std::string_view>& candidates) {
  if (word.empty() || word.size() > kMaxWordForSuggestion) return std::nullopt;
  // One edit per three letters, at most three: 'lisen' -> 'listen', but 'foo' is not 'to'.
  const size_t allowed = std::clamp<size_t>(word.size() / 3, 1, 3);
  std::optional<std::string_view> best;
  size_t best_distance = allowed + 1;
  for (std::string_view candidate : candidates) {
    const size_t distance = EditDistance(word, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::string OneOf(const std::vector<std::string_view>& names) {
  std::string out = "one of: ";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += names[i];
  }
  return out;
}

std::string UnknownKeyReason(std::string_view key, Section section) {
  const std::vector<std::string_view> keys = KeysOf(section);
  std::string reason = "unknown key " + Quote(key);
  if (const auto match = ClosestMatch(key, keys)) {
    return reason + " (did you mean " + Quote(*match) + "?)";
  }
  // A known key at the wrong level: say where it goes rather than offering a lookalike.
  for (Section other : {Section::kTop, Section::kBackend, Section::kTimeouts, Section::kLimits}) {
    if (other == section || other == Section::kTop) continue;
    const std::vector<std::string_view> other_keys = KeysOf(other);
    if (std::find(other_keys.begin(), other_keys.end(), key) != other_keys.end()) {
      return reason + " (it belongs under " + Quote(PathOf(other)) + ")";
    }
  }
  if (section != Section::kTop) {
    const std::vector<std::string_view> top = KeysOf(Section::kTop);
    if (std::find(top.begin(), top.end(), key) != top.end()) {
      return reason + " (it belongs at the top level)";
    }
  }
  return reason + " (expected " + OneOf(keys) + ")";
}

}  // namespace slotgate
