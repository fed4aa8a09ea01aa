#include "common/acl/glob.h"

namespace slotgate {
namespace {

class Matcher {
 public:
  // `give_up`: set once a `*` found no match for the rest of the pattern anywhere in the rest
  // of the text; an earlier `*` trying a longer run cannot succeed then (keeps it linear-ish).
  static bool Match(std::string_view pattern, std::string_view text, bool* give_up) {
    size_t p = 0;
    size_t t = 0;
    // Past the end reads as NUL, as Redis reads its NUL-terminated pattern.
    const auto at = [&](size_t i) { return i < pattern.size() ? pattern[i] : '\0'; };
    while (p < pattern.size() && t < text.size()) {
      switch (pattern[p]) {
        case '*': {
          while (p + 1 < pattern.size() && pattern[p + 1] == '*') ++p;
          if (p + 1 == pattern.size()) return true;
          for (; t < text.size(); ++t) {
            if (Match(pattern.substr(p + 1), text.substr(t), give_up)) return true;
            if (*give_up) return false;
          }
          *give_up = true;
          return false;
        }
        case '?':
          ++t;
          break;
        case '[': {
          ++p;
          const bool negate = at(p) == '^';
          if (negate) ++p;
          bool match = false;
          while (true) {
            if (at(p) == '\\' && pattern.size() - p >= 2) {
              ++p;
              if (pattern[p] == text[t]) match = true;
            } else if (at(p) == ']') {
              break;
            } else if (p >= pattern.size()) {
              --p;  // an unterminated class ends at the pattern's last byte
              break;
            } else if (pattern.size() - p >= 3 && pattern[p + 1] == '-') {
              int start = pattern[p];
              int end = pattern[p + 2];
              if (start > end) std::swap(start, end);
              const int c = text[t];
              p += 2;
              if (c >= start && c <= end) match = true;
            } else if (pattern[p] == text[t]) {
              match = true;
            }
            ++p;
          }
          if (negate) match = !match;
          if (!match) return false;
          ++t;
          break;
        }
        case '\\':
          if (pattern.size() - p >= 2) ++p;
          [[fallthrough]];
        default:
          if (pattern[p] != text[t]) return false;
          ++t;
          break;
      }
      ++p;
      if (t == text.size()) {
        while (at(p) == '*' && p < pattern.size()) ++p;
        break;
      }
    }
    return p >= pattern.size() && t == text.size();
  }
};

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text) {
  bool give_up = false;
  return Matcher::Match(pattern, text, &give_up);
}

}  // namespace slotgate
