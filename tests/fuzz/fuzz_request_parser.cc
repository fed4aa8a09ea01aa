// Feeds arbitrary bytes to the request parser whole, split at a point taken from the data, and
// (for short inputs) one byte at a time; all three must agree, and every view must stay inside
// the bytes it came from.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "common/resp/request_parser.h"

namespace {

using slotgate::ParseLimits;
using slotgate::ParseStatus;
using slotgate::Request;
using slotgate::RequestParser;

struct Outcome {
  std::vector<std::vector<std::string>> requests;
  std::vector<std::string> raws;
  ParseStatus last = ParseStatus::kNeedMore;
  std::string error;
  bool operator==(const Outcome&) const = default;
};

void Check(bool ok) {
  if (!ok) std::abort();
}

bool Inside(std::string_view part, std::string_view whole) {
  return part.empty() ||
         (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

bool Inside(std::string_view part, const std::vector<char>& storage) {
  return Inside(part, std::string_view(storage.data(), storage.size()));
}

Outcome Run(std::string_view data, const std::vector<size_t>& cuts, const ParseLimits& limits) {
  RequestParser parser(limits);
  Request req;
  Outcome outcome;
  std::string buffer;
  size_t fed = 0;
  for (size_t i = 0; i <= cuts.size(); ++i) {
    const size_t upto = i < cuts.size() ? cuts[i] : data.size();
    buffer.append(data.substr(fed, upto - fed));
    fed = upto;
    for (;;) {
      size_t used = 0;
      outcome.last = parser.Parse(buffer, &used, &req);
      Check(used <= buffer.size());
      if (outcome.last == ParseStatus::kProtocolError) {
        outcome.error = std::string(parser.error());
        Check(!outcome.error.empty());
        return outcome;
      }
      if (outcome.last == ParseStatus::kOk) {
        Check(used > 0 && !req.args.empty());
        Check(Inside(req.raw, std::string_view(buffer).substr(0, used)));
        Check(req.raw.data() + req.raw.size() == buffer.data() + used);
        std::vector<std::string> args;
        for (std::string_view a : req.args) {
          Check(Inside(a, req.raw) || (req.is_inline && Inside(a, req.inline_storage)));
          args.emplace_back(a);
        }
        outcome.requests.push_back(std::move(args));
        outcome.raws.emplace_back(req.raw);
      }
      buffer.erase(0, used);
      if (outcome.last == ParseStatus::kNeedMore) break;
    }
  }
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size == 0) return 0;
  // Small limits, so the fuzzer reaches every "too big" path with short inputs.
  ParseLimits limits;
  limits.max_bulk_length = 64 + bytes[0] % 64;
  limits.max_multibulk_length = 16;
  limits.max_inline_length = 32 + bytes[0] % 32;
  const std::string_view data(reinterpret_cast<const char*>(bytes) + 1, size - 1);

  const Outcome whole = Run(data, {}, limits);
  const size_t cut = data.empty() ? 0 : (bytes[0] * 131u) % (data.size() + 1);
  Check(Run(data, {cut}, limits) == whole);
  if (data.size() <= 512) {
    std::vector<size_t> every;
    for (size_t i = 1; i < data.size(); ++i) every.push_back(i);
    Check(Run(data, every, limits) == whole);
  }
  return 0;
}
