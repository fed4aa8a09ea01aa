// Every error text slotgate sends to a client, in one place, so the wording stays Redis's own
// wherever the meaning is Redis's. Texts carry no leading '-' and no CRLF: the RESP writer adds
// them. Texts that embed a value are printf-style formats, as in Redis's sources.
#pragma once

#include <string_view>

namespace slotgate::errors {

// Request framing (Redis networking.c). Redis closes the connection after each of these.
inline constexpr std::string_view kTooBigInline = "ERR Protocol error: too big inline request";
inline constexpr std::string_view kUnbalancedQuotes =
    "ERR Protocol error: unbalanced quotes in request";
inline constexpr std::string_view kInvalidMultibulkLength =
    "ERR Protocol error: invalid multibulk length";
inline constexpr std::string_view kInvalidBulkLength = "ERR Protocol error: invalid bulk length";
inline constexpr std::string_view kTooBigMultibulkCount =
    "ERR Protocol error: too big mbulk count string";
inline constexpr std::string_view kTooBigBulkCount = "ERR Protocol error: too big bulk count string";
// Format: the offending byte.
inline constexpr std::string_view kExpectedDollarFormat = "ERR Protocol error: expected '$', got '%c'";

// Cluster rules (Redis cluster.c).
inline constexpr std::string_view kCrossSlot =
    "CROSSSLOT Keys in request don't hash to the same slot";
inline constexpr std::string_view kClusterDownUnbound = "CLUSTERDOWN Hash slot not served";
inline constexpr std::string_view kSelectNotAllowed = "ERR SELECT is not allowed in cluster mode";

}  // namespace slotgate::errors
