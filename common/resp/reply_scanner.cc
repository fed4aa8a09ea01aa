#include "common/resp/reply_scanner.h"

#include "common/resp/line.h"

namespace slotgate {

using resp_internal::Header;
using resp_internal::kMaxLengthHeader;
using resp_internal::LineStatus;
using resp_internal::ParseInt64;
using resp_internal::ReadHeader;

namespace {

// Every RESP2 and RESP3 type byte except the streamed-string chunk ';' and end '.'.
bool IsKnownType(char c) {
  return c != '\0' && std::string_view("+-:$*_,#!=(%~>|").find(c) != std::string_view::npos;
}

// Types whose header line is a length or a count, hence short.
bool HasLengthHeader(char c) {
  return c != '\0' && std::string_view("$!=*%~>|").find(c) != std::string_view::npos;
}

}  // namespace

ReplyScanner::ReplyScanner(size_t max_nesting) : max_nesting_(max_nesting) {
  stack_.reserve(8);
  Reset();
}

void ReplyScanner::Reset() {
  failed_ = false;
  error_ = {};
  pos_ = 0;
  search_from_ = 0;
  bulk_length_ = -1;
  high_water_ = 0;
  stack_.assign(1, 1);
  first_byte_ = 0;
  value_offset_ = 0;
  error_offset_ = 0;
  error_length_ = 0;
}

ScanStatus ReplyScanner::NeedMore(size_t in_size) {
  high_water_ = in_size;
  return ScanStatus::kNeedMore;
}

ScanStatus ReplyScanner::Fail(std::string_view why) {
  failed_ = true;
  error_ = why;
  return ScanStatus::kProtocolError;
}

bool ReplyScanner::Reject(std::string_view why) {
  Fail(why);
  return false;
}

ScanStatus ReplyScanner::Scan(std::string_view in, ScannedReply* out) {
  if (failed_) return ScanStatus::kProtocolError;
  // Fewer bytes than last time: the caller did not keep them, so start over rather than trust
  // offsets past the end.
  if (in.size() < high_water_) Reset();
  while (!stack_.empty()) {
    if (bulk_length_ >= 0) {
      const size_t length = static_cast<size_t>(bulk_length_);
      if (in.size() - pos_ < length + 2) return NeedMore(in.size());
      if (in[pos_ + length] != '\r' || in[pos_ + length + 1] != '\n') {
        return Fail("bulk payload not followed by CRLF");
      }
      pos_ += length + 2;
      bulk_length_ = -1;
      CompleteElement();
      continue;
    }
    if (pos_ >= in.size()) return NeedMore(in.size());
    const char type = in[pos_];
    if (!IsKnownType(type)) return Fail("unknown reply type byte");
    Header header;
    switch (ReadHeader(in, pos_, &search_from_, &header)) {
      case LineStatus::kOk:
        break;
      case LineStatus::kNeedMore:
        if (HasLengthHeader(type) && in.size() - pos_ > kMaxLengthHeader) {
          return Fail("length line too long");
        }
        return NeedMore(in.size());
      case LineStatus::kBad:
        return Fail("CR not followed by LF");
    }
    if (!OnHeader(type, header.text, header.end)) return ScanStatus::kProtocolError;
  }
  out->length = pos_;
  out->first_byte = first_byte_;
  out->value_offset = value_offset_;
  out->error_line = in.substr(error_offset_, error_length_);
  Reset();
  return ScanStatus::kComplete;
}

bool ReplyScanner::OnHeader(char type, std::string_view text, size_t header_end) {
  const bool is_reply_itself = stack_.size() == 1 && type != '|';
  if (is_reply_itself) {
    first_byte_ = type;
    value_offset_ = pos_;
    if (type == '-') {
      error_offset_ = pos_ + 1;
      error_length_ = text.size();
    }
  }
  pos_ = header_end;
  search_from_ = header_end;
  int64_t n = 0;
  switch (type) {
    case '+':
    case '-':
    case ':':
    case ',':
    case '(':
      CompleteElement();
      return true;
    case '_':
      if (!text.empty()) return Reject("null with a payload");
      CompleteElement();
      return true;
    case '#':
      if (text != "t" && text != "f") return Reject("boolean not t or f");
      CompleteElement();
      return true;
    case '$':
    case '!':
    case '=':
      if (!ParseInt64(text, &n) || n < -1 || (n == -1 && type != '$')) {
        return Reject("invalid bulk length");
      }
      if (n == -1) {
        CompleteElement();
        return true;
      }
      if (is_reply_itself && type == '!') {
        error_offset_ = pos_;
        error_length_ = static_cast<size_t>(n);
      }
      bulk_length_ = n;
      return true;
    default:
      break;
  }
  // Aggregates: '*' '~' '>' count elements, '%' and '|' count pairs.
  if (!ParseInt64(text, &n) || n < -1 || (n == -1 && type != '*')) {
    return Reject("invalid aggregate length");
  }
  if (type == '%' || type == '|') {
    if (n > INT64_MAX / 2) return Reject("invalid aggregate length");
    n *= 2;
  }
  // An attribute describes the value after it, and the pair counts as one element.
  if (type == '|') ++stack_.back();
  if (n <= 0) {  // empty, or a RESP2 null array
    CompleteElement();
    return true;
  }
  return OpenAggregate(n);
}

bool ReplyScanner::OpenAggregate(int64_t elements) {
  if (stack_.size() > max_nesting_) return Reject("aggregates nested too deep");
  stack_.push_back(elements);
  return true;
}

// One element of the innermost open aggregate is done; an aggregate whose last element is done
// is itself a done element of its parent.
void ReplyScanner::CompleteElement() {
  while (!stack_.empty() && --stack_.back() == 0) stack_.pop_back();
}

}  // namespace slotgate
