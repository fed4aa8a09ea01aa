#include "common/resp/writer.h"

#include <charconv>
#include <cmath>

namespace slotgate {
namespace {

void AppendNumber(std::string& out, int64_t value) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof(digits), value);
  out.append(digits, result.ptr);
}

// A type byte, a number and CRLF: every length and count header.
void WriteHeader(std::string& out, char type, int64_t value) {
  out.push_back(type);
  AppendNumber(out, value);
  out.append("\r\n");
}

void WriteHeader(std::string& out, char type, size_t value) {
  WriteHeader(out, type, static_cast<int64_t>(value));
}

void WriteLine(std::string& out, char type, std::string_view text) {
  out.push_back(type);
  const size_t start = out.size();
  out.append(text);
  for (size_t i = start; i < out.size(); ++i) {
    if (out[i] == '\r' || out[i] == '\n') out[i] = ' ';
  }
  out.append("\r\n");
}

void WriteBlob(std::string& out, char type, std::string_view bytes) {
  WriteHeader(out, type, bytes.size());
  out.append(bytes);
  out.append("\r\n");
}

}  // namespace

void WriteSimpleString(std::string& out, std::string_view text) { WriteLine(out, '+', text); }
void WriteError(std::string& out, std::string_view text) { WriteLine(out, '-', text); }
void WriteInteger(std::string& out, int64_t value) { WriteHeader(out, ':', value); }
void WriteBulkString(std::string& out, std::string_view bytes) { WriteBlob(out, '$', bytes); }
void WriteNullBulk(std::string& out) { out.append("$-1\r\n"); }
void WriteArrayHeader(std::string& out, size_t elements) { WriteHeader(out, '*', elements); }
void WriteNullArray(std::string& out) { out.append("*-1\r\n"); }

void WriteNull(std::string& out) { out.append("_\r\n"); }

void WriteDouble(std::string& out, double value) {
  if (std::isnan(value)) {
    out.append(",nan\r\n");
  } else if (std::isinf(value)) {
    out.append(value > 0 ? ",inf\r\n" : ",-inf\r\n");
  } else {
    char text[32];
    const auto result = std::to_chars(text, text + sizeof(text), value);
    out.push_back(',');
    out.append(text, result.ptr);
    out.append("\r\n");
  }
}

void WriteBoolean(std::string& out, bool value) { out.append(value ? "#t\r\n" : "#f\r\n"); }
void WriteBigNumber(std::string& out, std::string_view digits) { WriteLine(out, '(', digits); }

void WriteVerbatim(std::string& out, std::string_view format, std::string_view text) {
  WriteHeader(out, '=', text.size() + 4);
  for (size_t i = 0; i < 3; ++i) out.push_back(i < format.size() ? format[i] : ' ');
  out.push_back(':');
  out.append(text);
  out.append("\r\n");
}

void WriteMapHeader(std::string& out, size_t pairs) { WriteHeader(out, '%', pairs); }
void WriteSetHeader(std::string& out, size_t elements) { WriteHeader(out, '~', elements); }
void WritePushHeader(std::string& out, size_t elements) { WriteHeader(out, '>', elements); }
void WriteAttributeHeader(std::string& out, size_t pairs) { WriteHeader(out, '|', pairs); }
void WriteBlobError(std::string& out, std::string_view text) { WriteBlob(out, '!', text); }

void WriteCommand(std::string& out, std::span<const std::string_view> args) {
  WriteArrayHeader(out, args.size());
  for (std::string_view arg : args) WriteBulkString(out, arg);
}

void WriteCommand(std::string& out, std::initializer_list<std::string_view> args) {
  WriteCommand(out, std::span<const std::string_view>(args.begin(), args.size()));
}

}  // namespace slotgate
