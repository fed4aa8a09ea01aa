// A decoded RESP reply as a tree, for the few replies slotgate reads rather than forwards: COMMAND
// at startup and CLUSTER SHARDS / CLUSTER SLOTS for topology. Not for the request path: it copies
// every string.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace slotgate {

struct RespValue {
  enum class Type : uint8_t {
    kSimpleString,
    kError,
    kInteger,
    kBulkString,
    kNull,
    kArray,
    kMap,
    kSet,
    kPush,
    kDouble,
    kBoolean,
    kBigNumber,
    kVerbatim,
    kBlobError
  };
  Type type = Type::kNull;
  // Strings, errors, big numbers, verbatim text (without its "txt:" prefix), a double's text.
  std::string str;
  int64_t integer = 0;  // kInteger; kBoolean as 0 or 1
  double dbl = 0;       // kDouble
  // Aggregates. A map is flattened: key, value, key, value.
  std::vector<RespValue> elements;

  // A bulk string, simple string or verbatim string.
  bool is_string() const {
    return type == Type::kBulkString || type == Type::kSimpleString || type == Type::kVerbatim;
  }
  bool is_error() const { return type == Type::kError || type == Type::kBlobError; }
  bool is_aggregate() const {
    return type == Type::kArray || type == Type::kMap || type == Type::kSet || type == Type::kPush;
  }
  // The value after the first string key equal to `key`, in a map or in a RESP2 array of
  // alternating keys and values (how CLUSTER SHARDS and COMMAND key specs arrive in RESP2).
  // nullptr when absent or when this is neither.
  const RespValue* MapGet(std::string_view key) const;
};

bool operator==(const RespValue& a, const RespValue& b);

enum class DecodeStatus : uint8_t { kOk, kNeedMore, kProtocolError };

inline constexpr size_t kMaxDecodeNesting = 64;

// Decodes one whole reply from the start of `in`. kOk: `*consumed` bytes made the value. Attributes
// are skipped. More than kMaxDecodeNesting aggregates open at once, or a malformed integer, double,
// boolean or verbatim string, is kProtocolError. Stateless: each call rescans `in`.
DecodeStatus DecodeValue(std::string_view in, size_t* consumed, RespValue* out);

// Writes `value` back as RESP (verbatim strings as "txt"). For tests and locally built replies.
void WriteValue(std::string& out, const RespValue& value);

}  // namespace slotgate
