#include "config/schema.h"

namespace slotgate {
namespace {

template <typename Struct, size_t N>
std::vector<std::string_view> FieldKeys(const NumberField<Struct> (&fields)[N]) {
  std::vector<std::string_view> keys;
  for (const NumberField<Struct>& field : fields) keys.push_back(field.key);
  return keys;
}

}  // namespace

std::string_view PathOf(Section section) {
  switch (section) {
    case Section::kTop:
    case Section::kMigration:
    case Section::kAuthUser:
    case Section::kNodeCredentials:
      return "";
    case Section::kAuth:
      return "auth";
    case Section::kBackend:
      return "backend";
    case Section::kTimeouts:
      return "timeouts";
    case Section::kLimits:
      return "limits";
  }
  return "";
}

std::vector<std::string_view> KeysOf(Section section) {
  switch (section) {
    case Section::kTop:
      return {std::begin(kTopKeys), std::end(kTopKeys)};
    case Section::kBackend:
      return {std::begin(kBackendKeys), std::end(kBackendKeys)};
    case Section::kMigration:
      return {std::begin(kMigrationKeys), std::end(kMigrationKeys)};
    case Section::kAuth:
      return {std::begin(kAuthKeys), std::end(kAuthKeys)};
    case Section::kAuthUser:
      return {std::begin(kAuthUserKeys), std::end(kAuthUserKeys)};
    case Section::kNodeCredentials:
      return {std::begin(kNodeCredentialKeys), std::end(kNodeCredentialKeys)};
    case Section::kTimeouts:
      return FieldKeys(kTimeoutFields);
    case Section::kLimits:
      return FieldKeys(kLimitFields);
  }
  return {};
}

}  // namespace slotgate
