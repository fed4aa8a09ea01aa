#include "common/resp/request_parser.h"

#include <algorithm>

#include "common/errors.h"
#include "common/resp/inline_split.h"
#include "common/resp/line.h"

namespace slotgate {

using resp_internal::FindTerminatorOrNul;
using resp_internal::ParseInt64;

RequestParser::RequestParser(ParseLimits limits) : limits_(limits) {}

void RequestParser::Reset() {
  failed_ = false;
  error_ = {};
  ResetProgress();
}

void RequestParser::ResetProgress() {
  stage_ = Stage::kIdle;
  search_from_ = 0;
  pos_ = 0;
  args_left_ = 0;
  bulk_length_ = -1;
  high_water_ = 0;
  spans_.clear();
}

ParseStatus RequestParser::Parse(std::string_view in, size_t* consumed, Request* out) {
  *consumed = 0;
  if (failed_) return ParseStatus::kProtocolError;
  // Fewer bytes than last time means the caller did not keep them: start the request over
  // rather than trust offsets past the end.
  if (in.size() < high_water_) ResetProgress();
  size_t skipped = 0;
  for (;;) {
    size_t used = 0;
    switch (ParseOne(in.substr(skipped), &used, out)) {
      case Step::kRequest:
        *consumed = skipped + used;
        ResetProgress();
        return ParseStatus::kOk;
      case Step::kNothing:
        skipped += used;
        ResetProgress();
        continue;
      case Step::kNeedMore:
        // Progress offsets are relative to in[skipped]; the caller drops the skipped bytes,
        // and one that does not still gets a correct (if slower) parse from a fresh start.
        if (skipped > 0) ResetProgress();
        high_water_ = in.size() - skipped;
        *consumed = skipped;
        return ParseStatus::kNeedMore;
      case Step::kError:
        *consumed = skipped;
        return ParseStatus::kProtocolError;
    }
  }
}

RequestParser::Step RequestParser::ParseOne(std::string_view in, size_t* used, Request* out) {
  if (stage_ == Stage::kIdle) {
    if (in.empty()) return Step::kNeedMore;
    stage_ = in[0] == '*' ? Stage::kCount : Stage::kInline;
    search_from_ = stage_ == Stage::kCount ? 1 : 0;
  }
  if (stage_ == Stage::kInline) return ParseInline(in, used, out);
  if (stage_ == Stage::kCount) {
    const Step step = ParseCount(in, used);
    if (step != Step::kRequest) return step;  // kRequest here means "go on to the arguments"
  }
  return ParseBulks(in, used, out);
}

// processInlineBuffer: one line up to "\n" (a "\r" before it is dropped), split like
// sdssplitargs. A line with no arguments is skipped.
RequestParser::Step RequestParser::ParseInline(std::string_view in, size_t* used, Request* out) {
  const size_t end = std::min(in.size(), limits_.max_inline_length + 1);
  const size_t nl = FindTerminatorOrNul(in, search_from_, end, '\n');
  if (nl == end || in[nl] != '\n') {
    if (in.size() > limits_.max_inline_length) return Fail(errors::kTooBigInline);
    search_from_ = nl;  // at a NUL this stays put: the line end is hidden for good
    return Step::kNeedMore;
  }
  const size_t line_end = (nl > 0 && in[nl - 1] == '\r') ? nl - 1 : nl;
  if (!SplitInlineArgs(in.substr(0, line_end), &out->args, &out->inline_storage)) {
    return Fail(errors::kUnbalancedQuotes);
  }
  *used = nl + 1;
  if (out->args.empty()) return Step::kNothing;
  out->raw = in.substr(0, nl + 1);
  out->is_inline = true;
  return Step::kRequest;
}

// The `*<n>\r` line of processMultibulkBuffer. Returns kRequest when arguments follow.
RequestParser::Step RequestParser::ParseCount(std::string_view in, size_t* used) {
  const size_t end = std::min(in.size(), limits_.max_inline_length + 1);
  const size_t cr = FindTerminatorOrNul(in, search_from_, end, '\r');
  if (cr == end || in[cr] != '\r') {
    if (in.size() > limits_.max_inline_length) return Fail(errors::kTooBigMultibulkCount);
    search_from_ = cr;
    return Step::kNeedMore;
  }
  if (cr + 1 >= in.size()) {
    search_from_ = cr;
    return Step::kNeedMore;
  }
  int64_t count = 0;
  if (!ParseInt64(in.substr(1, cr - 1), &count) ||
      (count > 0 && static_cast<uint64_t>(count) > limits_.max_multibulk_length)) {
    return Fail(errors::kInvalidMultibulkLength);
  }
  if (count <= 0) {  // Redis resets the client and reads on, with no reply
    *used = cr + 2;
    return Step::kNothing;
  }
  stage_ = Stage::kBulks;
  args_left_ = static_cast<size_t>(count);
  pos_ = cr + 2;
  search_from_ = pos_;
  bulk_length_ = -1;
  spans_.clear();
  // As Redis does with argv: trust a huge count only as far as arguments actually arrive.
  spans_.reserve(std::min<size_t>(args_left_, 1024));
  return Step::kRequest;
}

// The `$<len>\r\n<payload>\r\n` arguments of processMultibulkBuffer.
RequestParser::Step RequestParser::ParseBulks(std::string_view in, size_t* used, Request* out) {
  while (args_left_ > 0) {
    if (bulk_length_ < 0) {
      const size_t end = std::min(in.size(), pos_ + limits_.max_inline_length + 1);
      const size_t cr = FindTerminatorOrNul(in, std::max(search_from_, pos_), end, '\r');
      if (cr == end || in[cr] != '\r') {
        if (in.size() - pos_ > limits_.max_inline_length) return Fail(errors::kTooBigBulkCount);
        search_from_ = cr;
        return Step::kNeedMore;
      }
      if (cr + 1 >= in.size()) {
        search_from_ = cr;
        return Step::kNeedMore;
      }
      if (in[pos_] != '$') return FailExpectedDollar(in[pos_]);
      int64_t length = 0;
      if (!ParseInt64(in.substr(pos_ + 1, cr - pos_ - 1), &length) || length < 0 ||
          static_cast<uint64_t>(length) > limits_.max_bulk_length) {
        return Fail(errors::kInvalidBulkLength);
      }
      bulk_length_ = length;
      pos_ = cr + 2;
    }
    const size_t length = static_cast<size_t>(bulk_length_);
    if (in.size() - pos_ < length + 2) return Step::kNeedMore;
    spans_.emplace_back(pos_, length);
    pos_ += length + 2;
    search_from_ = pos_;
    bulk_length_ = -1;
    --args_left_;
  }
  out->args.clear();
  for (const auto& [offset, length] : spans_) out->args.push_back(in.substr(offset, length));
  out->raw = in.substr(0, pos_);
  out->is_inline = false;
  *used = pos_;
  return Step::kRequest;
}

RequestParser::Step RequestParser::Fail(std::string_view error) {
  failed_ = true;
  error_ = error;
  ResetProgress();
  return Step::kError;
}

// addReplyErrorFormat builds this text with printf, keeps it up to the first NUL (it is read back
// as a C string) and turns CR and LF into spaces so the error stays one line.
RequestParser::Step RequestParser::FailExpectedDollar(char got) {
  const std::string_view format = errors::kExpectedDollarFormat;
  const size_t at = format.find("%c");
  error_storage_.assign(format.substr(0, at));
  if (got != '\0') {
    error_storage_.push_back(got == '\r' || got == '\n' ? ' ' : got);
    error_storage_.append(format.substr(at + 2));
  }
  return Fail(error_storage_);
}

}  // namespace slotgate
