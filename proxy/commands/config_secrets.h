// CONFIG GET through slotgate shows no node's secrets: the nodes' passwords (requirepass,
// masterauth) are slotgate's own backend credentials when it logs in as `default`, and TLS key
// passphrases are the nodes'. A client sees that one is set, never what it is.
#pragma once

#include <string>
#include <string_view>

namespace slotgate {

// What a secret's value reads as through slotgate (an unset one stays "").
inline constexpr std::string_view kHiddenSecret = "(hidden by slotgate)";

// `reply`: CONFIG GET's RESP2 array of name/value pairs; anything else is returned unchanged.
std::string HideConfigSecrets(std::string_view reply);

}  // namespace slotgate
