// Finds where one backend reply ends, for every RESP2 and RESP3 type, without copying or
// building values: slotgate forwards reply bytes as they came and only needs their length, their
// type byte and, for errors, the text that may say MOVED, ASK, TRYAGAIN or CLUSTERDOWN.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace slotgate {

enum class ScanStatus : uint8_t { kComplete, kNeedMore, kProtocolError };

struct ScannedReply {
  size_t length = 0;  // bytes of the whole reply, attributes before it included
  // Type byte of the reply itself: '+', '-', ':', '$', '*', '_', ',', '#', '!', '=', '(', '%',
  // '~' or '>' (a push, which is not an answer to any request).
  char first_byte = 0;
  size_t value_offset = 0;  // where the reply itself starts: 0 unless attributes ('|') precede it
  // The text of a '-' error without '-' and CRLF, or the payload of a '!' blob error; a view into
  // the scanned bytes. Empty for every other type.
  std::string_view error_line;

  bool is_error() const { return first_byte == '-' || first_byte == '!'; }
};

// Scans one reply at a time from a byte stream.
//
// Outcomes of Scan(in, &reply):
//  - kComplete: the reply occupies in[0, reply.length); the scanner is ready for the next one.
//  - kNeedMore: call again with the same bytes plus more. The scanner keeps its place (offset of
//    the next header, a stack of elements still owed by each open aggregate, the payload length
//    it waits for), so a reply arriving in many pieces costs O(total bytes).
//  - kProtocolError: the bytes are not RESP, or nest deeper than max_nesting. error() says why
//    (for logs); the scanner stays failed until Reset().
// RESP3 streamed strings and aggregates (`$?`, `*?`) are refused: Redis never sends them.
class ReplyScanner {
 public:
  // Above anything Redis sends: a script returning a table that contains itself makes Redis
  // nest about 8,000 arrays deep (its Lua stack limit) before its own error. The stack costs
  // 8 bytes per open aggregate, and only while a reply that deep is being scanned.
  static constexpr size_t kDefaultMaxNesting = 65536;

  // `max_nesting`: most aggregates open at once (attributes count); bounds the stack.
  explicit ReplyScanner(size_t max_nesting = kDefaultMaxNesting);

  ScanStatus Scan(std::string_view in, ScannedReply* out);
  void Reset();
  std::string_view error() const { return error_; }

 private:
  ScanStatus NeedMore(size_t in_size);
  ScanStatus Fail(std::string_view why);
  bool Reject(std::string_view why);  // Fail() for helpers that answer bool
  // Handles the header at pos_; false after Fail().
  bool OnHeader(char type, std::string_view text, size_t header_end);
  bool OpenAggregate(int64_t elements);
  void CompleteElement();

  size_t max_nesting_;
  std::string_view error_;
  bool failed_ = false;

  size_t pos_ = 0;            // next header, or the payload once bulk_length_ >= 0
  size_t search_from_ = 0;    // where the hunt for the next header's CR resumes
  int64_t bulk_length_ = -1;  // payload length of the bulk whose header was read
  size_t high_water_ = 0;     // size of `in` at the last kNeedMore
  // Elements still owed by each open aggregate; stack_[0] is the reply itself (owes one value,
  // plus one more per attribute in front of it).
  std::vector<int64_t> stack_;

  // The reply itself, once its header is read.
  char first_byte_ = 0;
  size_t value_offset_ = 0;
  size_t error_offset_ = 0;
  size_t error_length_ = 0;
};

}  // namespace slotgate
