// Echoes user-written text inside error messages. Config text can hold anything (control bytes,
// megabytes on one line), and an error message must stay one short, printable line.
#pragma once

#include <string>
#include <string_view>

namespace slotgate {

// 'text' with non-printable bytes as \xNN, cut to about 80 characters with "...".
std::string Quote(std::string_view text);

// One character, quoted the same way: 'x' or '\x00'.
std::string QuoteChar(char c);

}  // namespace slotgate
