#include "proxy/commands/config_secrets.h"

#include "common/resp/value.h"
#include "common/text.h"

namespace slotgate {
namespace {

constexpr std::string_view kSecretParameters[] = {"requirepass", "masterauth", "tls-key-file-pass",
                                                  "tls-client-key-file-pass"};

bool IsSecret(std::string_view name) {
  for (const std::string_view secret : kSecretParameters) {
    if (EqualsIgnoreCase(name, secret)) return true;
  }
  return false;
}

}  // namespace

std::string HideConfigSecrets(std::string_view reply) {
  RespValue pairs;
  size_t consumed = 0;
  if (DecodeValue(reply, &consumed, &pairs) != DecodeStatus::kOk || consumed != reply.size() ||
      pairs.type != RespValue::Type::kArray || pairs.elements.size() % 2 != 0) {
    return std::string(reply);
  }
  bool hidden = false;
  for (size_t i = 0; i + 1 < pairs.elements.size(); i += 2) {
    RespValue& value = pairs.elements[i + 1];
    if (!IsSecret(pairs.elements[i].str) || value.str.empty()) continue;
    value.str = kHiddenSecret;
    hidden = true;
  }
  if (!hidden) return std::string(reply);
  std::string out;
  WriteValue(out, pairs);
  return out;
}

}  // namespace slotgate
