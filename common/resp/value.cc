#include "common/resp/value.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "common/resp/line.h"
#include "common/resp/reply_scanner.h"
#include "common/resp/writer.h"

namespace slotgate {

using resp_internal::Header;
using resp_internal::LineStatus;
using resp_internal::ParseInt64;
using resp_internal::ReadHeader;
using Type = RespValue::Type;

namespace {

// RESP3 doubles: "inf", "-inf", "nan", or a decimal with an optional sign and exponent.
bool ParseDouble(std::string_view text, double* value) {
  if (text == "inf" || text == "+inf") {
    *value = std::numeric_limits<double>::infinity();
    return true;
  }
  if (text == "-inf") {
    *value = -std::numeric_limits<double>::infinity();
    return true;
  }
  if (text == "nan" || text == "-nan") {
    *value = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  if (text.empty() || !(text[0] == '-' || (text[0] >= '0' && text[0] <= '9'))) return false;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), *value);
  return result.ec == std::errc() && result.ptr == text.data() + text.size();
}

bool IsBigNumber(std::string_view text) {
  if (!text.empty() && text[0] == '-') text.remove_prefix(1);
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Builds the tree from bytes the scanner has already framed as one whole reply, so every read
// here finds its bytes; the checks left are about content, not framing.
class Decoder {
 public:
  explicit Decoder(std::string_view in) : in_(in) {}

  bool Read(RespValue* out, size_t nesting) {
    Header h;
    size_t search_from = 0;
    if (ReadHeader(in_, pos_, &search_from, &h) != LineStatus::kOk) return false;
    pos_ = h.end;
    *out = RespValue();
    switch (h.type) {
      case '+':
        return SetString(out, Type::kSimpleString, h.text);
      case '-':
        return SetString(out, Type::kError, h.text);
      case '(':
        return IsBigNumber(h.text) && SetString(out, Type::kBigNumber, h.text);
      case ':':
        out->type = Type::kInteger;
        return ParseInt64(h.text, &out->integer);
      case '_':
        return h.text.empty();
      case '#':
        out->type = Type::kBoolean;
        out->integer = h.text == "t" ? 1 : 0;
        return h.text == "t" || h.text == "f";
      case ',':
        out->type = Type::kDouble;
        return ParseDouble(h.text, &out->dbl) && SetString(out, Type::kDouble, h.text);
      case '$':
        return ReadBlob(out, Type::kBulkString, h.text);
      case '!':
        return ReadBlob(out, Type::kBlobError, h.text);
      case '=':
        if (!ReadBlob(out, Type::kVerbatim, h.text)) return false;
        if (out->str.size() < 4 || out->str[3] != ':') return false;
        out->str.erase(0, 4);
        return true;
      case '*':
        return ReadAggregate(out, Type::kArray, h.text, 1, nesting);
      case '~':
        return ReadAggregate(out, Type::kSet, h.text, 1, nesting);
      case '>':
        return ReadAggregate(out, Type::kPush, h.text, 1, nesting);
      case '%':
        return ReadAggregate(out, Type::kMap, h.text, 2, nesting);
      case '|':
        return SkipAttribute(h.text, nesting) && Read(out, nesting);
      default:
        return false;
    }
  }

  size_t pos() const { return pos_; }

 private:
  static bool SetString(RespValue* out, Type type, std::string_view text) {
    out->type = type;
    out->str.assign(text);
    return true;
  }

  bool ReadBlob(RespValue* out, Type type, std::string_view length_text) {
    int64_t length = 0;
    if (!ParseInt64(length_text, &length)) return false;
    if (length == -1 && type == Type::kBulkString) return true;  // RESP2 null bulk
    if (length < 0 || in_.size() - pos_ < static_cast<size_t>(length) + 2) return false;
    SetString(out, type, in_.substr(pos_, static_cast<size_t>(length)));
    pos_ += static_cast<size_t>(length) + 2;
    return true;
  }

  bool ReadAggregate(RespValue* out, Type type, std::string_view count_text, int64_t per_entry,
                     size_t nesting) {
    int64_t count = 0;
    if (!ParseInt64(count_text, &count)) return false;
    if (count == -1 && type == Type::kArray) return true;  // RESP2 null array
    // Every element takes at least three bytes, so a count the bytes cannot hold is a lie.
    if (count < 0 || static_cast<uint64_t>(count) > in_.size() / 3) return false;
    if (nesting >= kMaxDecodeNesting) return false;
    out->type = type;
    out->elements.resize(static_cast<size_t>(count * per_entry));
    for (RespValue& element : out->elements) {
      if (!Read(&element, nesting + 1)) return false;
    }
    return true;
  }

  bool SkipAttribute(std::string_view count_text, size_t nesting) {
    RespValue ignored;
    int64_t pairs = 0;
    if (!ParseInt64(count_text, &pairs) || pairs < 0) return false;
    if (static_cast<uint64_t>(pairs) > in_.size() / 6) return false;
    if (nesting >= kMaxDecodeNesting) return false;
    for (int64_t i = 0; i < pairs * 2; ++i) {
      if (!Read(&ignored, nesting + 1)) return false;
    }
    return true;
  }

  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace

const RespValue* RespValue::MapGet(std::string_view key) const {
  if (type != Type::kMap && type != Type::kArray) return nullptr;
  for (size_t i = 0; i + 1 < elements.size(); i += 2) {
    if (elements[i].is_string() && elements[i].str == key) return &elements[i + 1];
  }
  return nullptr;
}

bool operator==(const RespValue& a, const RespValue& b) {
  if (a.type != b.type || a.str != b.str || a.integer != b.integer || a.elements != b.elements) {
    return false;
  }
  return a.dbl == b.dbl || (std::isnan(a.dbl) && std::isnan(b.dbl));
}

DecodeStatus DecodeValue(std::string_view in, size_t* consumed, RespValue* out) {
  *consumed = 0;
  // The scanner frames the reply (and enforces the nesting limit) so the decoder can recurse
  // over bytes known to be whole.
  ReplyScanner scanner(kMaxDecodeNesting);
  ScannedReply framed;
  switch (scanner.Scan(in, &framed)) {
    case ScanStatus::kNeedMore:
      return DecodeStatus::kNeedMore;
    case ScanStatus::kProtocolError:
      return DecodeStatus::kProtocolError;
    case ScanStatus::kComplete:
      break;
  }
  Decoder decoder(in.substr(0, framed.length));
  if (!decoder.Read(out, 0) || decoder.pos() != framed.length) {
    return DecodeStatus::kProtocolError;
  }
  *consumed = framed.length;
  return DecodeStatus::kOk;
}

void WriteValue(std::string& out, const RespValue& value) {
  switch (value.type) {
    case Type::kSimpleString:
      return WriteSimpleString(out, value.str);
    case Type::kError:
      return WriteError(out, value.str);
    case Type::kInteger:
      return WriteInteger(out, value.integer);
    case Type::kBulkString:
      return WriteBulkString(out, value.str);
    case Type::kNull:
      return WriteNull(out);
    case Type::kDouble:
      return WriteDouble(out, value.dbl);
    case Type::kBoolean:
      return WriteBoolean(out, value.integer != 0);
    case Type::kBigNumber:
      return WriteBigNumber(out, value.str);
    case Type::kVerbatim:
      return WriteVerbatim(out, "txt", value.str);
    case Type::kBlobError:
      return WriteBlobError(out, value.str);
    case Type::kArray:
      WriteArrayHeader(out, value.elements.size());
      break;
    case Type::kMap:
      WriteMapHeader(out, value.elements.size() / 2);
      break;
    case Type::kSet:
      WriteSetHeader(out, value.elements.size());
      break;
    case Type::kPush:
      WritePushHeader(out, value.elements.size());
      break;
  }
  for (const RespValue& element : value.elements) WriteValue(out, element);
}

}  // namespace slotgate
