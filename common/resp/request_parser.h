// Splits a client's byte stream into requests the way Redis's networking.c does
// (processMultibulkBuffer, processInlineBuffer), so slotgate frames every request exactly as the
// backend would and can forward an unchanged request as its original bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace slotgate {

enum class ParseStatus : uint8_t { kOk, kNeedMore, kProtocolError };

struct ParseLimits {
  size_t max_bulk_length = 512u << 20;     // Redis's proto-max-bulk-len
  size_t max_multibulk_length = 1u << 20;  // arguments in one request
  // Redis's PROTO_INLINE_MAX_SIZE: the longest inline line, and the longest `*<n>` / `$<n>`
  // line it waits for before giving up.
  size_t max_inline_length = 64u << 10;
};

struct Request {
  // Views into the caller's bytes, or into `inline_storage` for quoted inline arguments.
  std::vector<std::string_view> args;
  // The exact bytes of this request (without blank lines or `*0` before it).
  std::string_view raw;
  bool is_inline = false;
  // Unescaped quoted inline arguments. A vector rather than a string so that moving a Request
  // keeps `args` valid (no small-buffer storage); copying a Request does not. Reused between
  // parses, so it stops allocating once warmed up.
  std::vector<char> inline_storage;
};

// Parses one request at a time from a byte stream.
//
// Outcomes of Parse(in, &consumed, &req):
//  - kOk: `*consumed` covers exactly one request, plus any blank inline lines and `*0` / `*-1`
//    headers before it (Redis skips those without a reply; so does the parser, and `req.raw`
//    leaves them out). `req.args` and `req.raw` are views into `in`.
//  - kNeedMore: `in` holds no whole request yet. `*consumed` is the number of leading bytes that
//    held no request (blank lines, `*0`), usually 0; drop them like any consumed bytes. Call
//    again with the remaining bytes plus more: the parser remembers how far it got into a
//    partial request, so a 100 MB argument arriving in 16 KB reads costs O(total bytes).
//  - kProtocolError: error() holds Redis's reply text (see errors.h). Redis closes the
//    connection after it; the parser stays failed until Reset().
//
// Deliberate matches of Redis's quirks, so framing never differs from the backend's:
//  - the byte after '\r' in `*<n>\r\n` and `$<n>\r\n`, and the two bytes after a bulk payload,
//    are skipped without being checked to be "\n" / "\r\n";
//  - a NUL byte before the line end hides the line end (Redis uses strchr), so such a request
//    waits and then fails with the "too big" error of its line.
// Deliberate difference: Redis applies its 64 KB line limit to whatever one read() brought in;
// here the outcome depends only on the bytes, never on how they were split: a line fails when no
// terminator appears in its first max_inline_length + 1 bytes.
class RequestParser {
 public:
  explicit RequestParser(ParseLimits limits = {});

  ParseStatus Parse(std::string_view in, size_t* consumed, Request* out);
  std::string_view error() const { return error_; }
  // Forgets any partial request and a previous protocol error.
  void Reset();

 private:
  enum class Step : uint8_t { kRequest, kNothing, kNeedMore, kError };
  enum class Stage : uint8_t { kIdle, kInline, kCount, kBulks };

  Step ParseOne(std::string_view in, size_t* used, Request* out);
  Step ParseInline(std::string_view in, size_t* used, Request* out);
  Step ParseCount(std::string_view in, size_t* used);
  Step ParseBulks(std::string_view in, size_t* used, Request* out);
  Step Fail(std::string_view error);
  Step FailExpectedDollar(char got);
  void ResetProgress();

  ParseLimits limits_;
  bool failed_ = false;
  std::string_view error_;
  std::string error_storage_;  // for the one error text that embeds a byte

  // Progress through the partial request at the start of `in`, as offsets (the caller may move
  // its buffer between calls).
  Stage stage_ = Stage::kIdle;
  size_t search_from_ = 0;    // where the hunt for the current line's terminator resumes
  size_t pos_ = 0;            // kBulks: start of the next `$<len>` header or payload
  size_t args_left_ = 0;      // kBulks: arguments still to read
  int64_t bulk_length_ = -1;  // kBulks: payload length once its header is read
  size_t high_water_ = 0;     // size of `in` at the last kNeedMore
  std::vector<std::pair<size_t, size_t>> spans_;  // offset and length of each argument read
};

}  // namespace slotgate
