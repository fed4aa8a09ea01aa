// Splits an inline command line ("SET k \"a b\"") into arguments exactly as Redis's
// sdssplitargs does, so a request typed into telnet reaches the same arguments through slotgate
// as it would on the server. Unquoted arguments stay views into the line; only quoted ones are
// unescaped into caller-provided storage.
#pragma once

#include <string_view>
#include <vector>

namespace slotgate {

// Fills `args` with the arguments of `line` (which carries no line terminator). Quoted arguments
// are written to `storage`, which is cleared and reserved to line.size() first: unescaping never
// grows a token, so the vector never reallocates under the views it hands out.
// Returns false for what Redis calls unbalanced quotes: an unterminated quote, or a closing quote
// followed by something other than whitespace. As in C, a NUL byte ends the line.
bool SplitInlineArgs(std::string_view line, std::vector<std::string_view>* args,
                     std::vector<char>* storage);

}  // namespace slotgate
