#include "common/resp/redirect.h"

#include "common/resp/line.h"

namespace slotgate {
namespace {

// Digits only (no sign), within [min, max].
std::optional<uint16_t> ParseBounded(std::string_view text, int64_t min, int64_t max) {
  int64_t value = 0;
  if (text.empty() || text[0] == '-' || !resp_internal::ParseInt64(text, &value)) {
    return std::nullopt;
  }
  if (value < min || value > max) return std::nullopt;
  return static_cast<uint16_t>(value);
}

}  // namespace

std::string_view ErrorCode(std::string_view error_line) {
  return error_line.substr(0, error_line.find(' '));
}

std::optional<Redirect> ParseRedirect(std::string_view error_line) {
  Redirect redirect;
  const std::string_view code = ErrorCode(error_line);
  if (code == "MOVED") {
    redirect.kind = Redirect::kMoved;
  } else if (code == "ASK") {
    redirect.kind = Redirect::kAsk;
  } else {
    return std::nullopt;
  }
  if (code.size() == error_line.size()) return std::nullopt;
  const std::string_view rest = error_line.substr(code.size() + 1);
  const size_t space = rest.find(' ');
  if (space == rest.npos) return std::nullopt;
  const std::optional<uint16_t> slot = ParseBounded(rest.substr(0, space), 0, 16383);
  const std::string_view endpoint = rest.substr(space + 1);
  const size_t colon = endpoint.rfind(':');
  if (!slot || colon == endpoint.npos || endpoint.find(' ') != endpoint.npos) return std::nullopt;
  const std::optional<uint16_t> port = ParseBounded(endpoint.substr(colon + 1), 1, 65535);
  if (!port) return std::nullopt;
  std::string_view host = endpoint.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  redirect.slot = *slot;
  redirect.host = host;
  redirect.port = *port;
  return redirect;
}

}  // namespace slotgate
