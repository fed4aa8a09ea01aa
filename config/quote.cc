#include "config/quote.h"

#include <cstdio>

namespace slotgate {
namespace {

constexpr size_t kMaxQuoted = 80;

void AppendEscaped(char c, std::string* out) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte < 0x7f && c != '\\') {
    out->push_back(c);
    return;
  }
  char hex[8];
  std::snprintf(hex, sizeof(hex), "\\x%02x", byte);
  out->append(hex);
}

}  // namespace

std::string Quote(std::string_view text) {
  std::string out = "'";
  for (size_t i = 0; i < text.size() && i < kMaxQuoted; ++i) AppendEscaped(text[i], &out);
  if (text.size() > kMaxQuoted) out += "...";
  out += "'";
  return out;
}

std::string QuoteChar(char c) { return Quote(std::string_view(&c, 1)); }

}  // namespace slotgate
