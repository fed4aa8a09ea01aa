// Byte-level primitives shared by the request parser, the reply scanner and the value decoder, so
// the three read numbers and lines by one set of rules: Redis's string2ll for numbers, strict
// CRLF for replies. Internal to common/resp; not part of the codec's public API.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace slotgate::resp_internal {

// Redis's string2ll rules, which decide what the server accepts as a length: an optional '-',
// no '+', no spaces, no leading zeros ("0" alone is fine, "-0" is not), at most 20 characters,
// and the value fits in int64.
inline bool ParseInt64(std::string_view text, int64_t* value) {
  if (text.empty() || text.size() >= 21) return false;
  if (text.size() == 1 && text[0] == '0') {
    *value = 0;
    return true;
  }
  size_t i = 0;
  const bool negative = text[0] == '-';
  if (negative && ++i == text.size()) return false;
  if (text[i] < '1' || text[i] > '9') return false;
  uint64_t v = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return false;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - digit) / 10) return false;
    v = v * 10 + digit;
  }
  if (negative) {
    if (v > static_cast<uint64_t>(INT64_MAX) + 1) return false;
    *value = static_cast<int64_t>(0 - v);  // two's complement; exact for INT64_MIN too
  } else {
    if (v > static_cast<uint64_t>(INT64_MAX)) return false;
    *value = static_cast<int64_t>(v);
  }
  return true;
}

// Redis looks for line ends with strchr() on its NUL-terminated query buffer, so a NUL byte
// before the terminator hides it for good. Returns the index of the first `terminator` or NUL
// in in[from, end), or `end` when there is neither.
inline size_t FindTerminatorOrNul(std::string_view in, size_t from, size_t end, char terminator) {
  for (size_t i = from; i < end; ++i) {
    if (in[i] == terminator || in[i] == '\0') return i;
  }
  return end;
}

enum class LineStatus : uint8_t { kOk, kNeedMore, kBad };

// One reply header: the type byte, the text after it, and where the next byte starts.
struct Header {
  char type = 0;
  std::string_view text;
  size_t end = 0;  // offset just past the CRLF
};

// Reads the CRLF-terminated header line whose type byte is at in[pos]. `*search_from` is where
// the hunt for '\r' resumes (in/out), so a long line arriving in pieces is scanned once.
// kBad: a '\r' not followed by '\n', which no RESP line contains.
inline LineStatus ReadHeader(std::string_view in, size_t pos, size_t* search_from, Header* out) {
  if (pos >= in.size()) return LineStatus::kNeedMore;
  size_t from = *search_from > pos + 1 ? *search_from : pos + 1;
  if (from > in.size()) from = in.size();
  const void* cr = std::memchr(in.data() + from, '\r', in.size() - from);
  if (cr == nullptr) {
    *search_from = in.size();
    return LineStatus::kNeedMore;
  }
  const size_t r = static_cast<size_t>(static_cast<const char*>(cr) - in.data());
  if (r + 1 >= in.size()) {
    *search_from = r;
    return LineStatus::kNeedMore;
  }
  if (in[r + 1] != '\n') return LineStatus::kBad;
  out->type = in[pos];
  out->text = in.substr(pos + 1, r - pos - 1);
  out->end = r + 2;
  return LineStatus::kOk;
}

// Longest header line a length or count can have: type byte, 20 characters, CRLF.
inline constexpr size_t kMaxLengthHeader = 1 + 20 + 2;

}  // namespace slotgate::resp_internal
