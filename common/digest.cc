#include "common/digest.h"

#include <openssl/evp.h>

namespace slotgate {
namespace {

std::string DigestHex(std::string_view bytes, const EVP_MD* method) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, method, nullptr) != 1) {
    return {};  // only without memory; an empty digest matches nothing
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

}  // namespace

std::string Sha1Hex(std::string_view bytes) { return DigestHex(bytes, EVP_sha1()); }
std::string Sha256Hex(std::string_view bytes) { return DigestHex(bytes, EVP_sha256()); }

}  // namespace slotgate
