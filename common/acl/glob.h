// Redis's glob-style matching (KEYS, PSUBSCRIBE, ACL key and channel patterns): `*` any run,
// `?` any byte, `[abc]`, `[^abc]` and `[a-z]` classes, `\` escapes the next byte. Byte for
// byte as Redis's stringmatchlen, so a pattern means the same here as on a node.
#pragma once

#include <string_view>

namespace slotgate {

bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace slotgate
