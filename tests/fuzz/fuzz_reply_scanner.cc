// Feeds arbitrary bytes to the reply scanner whole, split at a point taken from the data, and
// (for short inputs) one byte at a time; all must frame the same replies. Where the value
// decoder accepts a reply, it must agree with the scanner on its length.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "common/resp/redirect.h"
#include "common/resp/reply_scanner.h"
#include "common/resp/value.h"

namespace {

using slotgate::DecodeStatus;
using slotgate::ReplyScanner;
using slotgate::RespValue;
using slotgate::ScannedReply;
using slotgate::ScanStatus;

struct Frame {
  size_t length;
  char first_byte;
  size_t value_offset;
  std::string error_line;
  bool operator==(const Frame&) const = default;
};

struct Outcome {
  std::vector<Frame> frames;
  ScanStatus last = ScanStatus::kNeedMore;
  bool operator==(const Outcome&) const = default;
};

void Check(bool ok) {
  if (!ok) std::abort();
}

Outcome Run(std::string_view data, const std::vector<size_t>& cuts, bool decode) {
  ReplyScanner scanner;
  Outcome outcome;
  std::string buffer;
  size_t fed = 0;
  for (size_t i = 0; i <= cuts.size(); ++i) {
    const size_t upto = i < cuts.size() ? cuts[i] : data.size();
    buffer.append(data.substr(fed, upto - fed));
    fed = upto;
    for (;;) {
      ScannedReply r;
      outcome.last = scanner.Scan(buffer, &r);
      if (outcome.last != ScanStatus::kComplete) break;
      Check(r.length > 0 && r.length <= buffer.size() && r.value_offset < r.length);
      Check(r.error_line.empty() || r.is_error());
      if (decode) {
        RespValue v;
        size_t used = 0;
        if (slotgate::DecodeValue(buffer, &used, &v) == DecodeStatus::kOk) Check(used == r.length);
      }
      (void)slotgate::ParseRedirect(r.error_line);
      outcome.frames.push_back({r.length, r.first_byte, r.value_offset, std::string(r.error_line)});
      buffer.erase(0, r.length);
    }
    if (outcome.last == ScanStatus::kProtocolError) {
      RespValue v;
      size_t used = 0;
      if (decode) Check(slotgate::DecodeValue(buffer, &used, &v) != DecodeStatus::kOk);
      break;
    }
  }
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  const std::string_view data(reinterpret_cast<const char*>(bytes), size);
  const Outcome whole = Run(data, {}, true);
  const size_t cut = size == 0 ? 0 : (bytes[size - 1] * 257u) % (size + 1);
  Check(Run(data, {cut}, false) == whole);
  if (size <= 512) {
    std::vector<size_t> every;
    for (size_t i = 1; i < size; ++i) every.push_back(i);
    Check(Run(data, every, false) == whole);
  }
  return 0;
}
