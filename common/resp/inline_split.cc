#include "common/resp/inline_split.h"

#include <cstddef>

namespace slotgate {
namespace {

// C isspace() in the "C" locale: what sdssplitargs skips between arguments and accepts after a
// closing quote.
bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// What ends an unquoted argument: a narrower set than IsBlank, so "a\vb" is one argument.
bool EndsUnquoted(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

char Unescape(char c) {
  switch (c) {
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'b':
      return '\b';
    case 'a':
      return '\a';
    default:
      return c;  // \\ \" and any other escaped byte stand for themselves
  }
}

// Reads a quoted section starting at the quote at line[*i] and appends its bytes to `out`.
// A closing quote always ends the argument (it must be followed by a blank or the line end).
bool ReadQuoted(std::string_view line, size_t* i, std::vector<char>* out) {
  const size_t n = line.size();
  const char quote = line[*i];
  size_t p = *i + 1;
  for (;;) {
    if (p >= n) return false;  // unterminated
    const char c = line[p];
    if (quote == '"' && c == '\\' && p + 3 < n && line[p + 1] == 'x' && IsHex(line[p + 2]) &&
        IsHex(line[p + 3])) {
      out->push_back(static_cast<char>(HexValue(line[p + 2]) * 16 + HexValue(line[p + 3])));
      p += 4;
    } else if (quote == '"' && c == '\\' && p + 1 < n) {
      out->push_back(Unescape(line[p + 1]));
      p += 2;
    } else if (quote == '\'' && c == '\\' && p + 1 < n && line[p + 1] == '\'') {
      out->push_back('\'');
      p += 2;
    } else if (c == quote) {
      if (p + 1 < n && !IsBlank(line[p + 1])) return false;
      *i = p + 1;
      return true;
    } else {
      out->push_back(c);
      ++p;
    }
  }
}

}  // namespace

bool SplitInlineArgs(std::string_view line, std::vector<std::string_view>* args,
                     std::vector<char>* storage) {
  args->clear();
  storage->clear();
  line = line.substr(0, line.find('\0'));
  if (storage->capacity() < line.size()) storage->reserve(line.size());
  const size_t n = line.size();
  size_t i = 0;
  for (;;) {
    while (i < n && IsBlank(line[i])) ++i;
    if (i == n) return true;
    const size_t start = i;
    while (i < n && !EndsUnquoted(line[i]) && line[i] != '"' && line[i] != '\'') ++i;
    if (i == n || EndsUnquoted(line[i])) {
      args->push_back(line.substr(start, i - start));  // no quotes: a view into the line
      continue;
    }
    // A quote inside or at the start of the argument: "ab\"c d\"" is one argument, `abc d`.
    const size_t out_start = storage->size();
    storage->insert(storage->end(), line.begin() + start, line.begin() + i);
    if (!ReadQuoted(line, &i, storage)) return false;
    args->emplace_back(storage->data() + out_start, storage->size() - out_start);
  }
}

}  // namespace slotgate
