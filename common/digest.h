// Digests in lower-case hex, as Redis shows them: SHA-1 names a script (EVALSHA), SHA-256
// stores an ACL password. OpenSSL's, not hand-written ones.
#pragma once

#include <string>
#include <string_view>

namespace slotgate {

std::string Sha1Hex(std::string_view bytes);
std::string Sha256Hex(std::string_view bytes);

}  // namespace slotgate
