// The keys a slotgate YAML file may hold, section by section, and the range of every number.
// One table serves the loader (what to accept), the error texts (which key a typo meant) and
// deploy/slotgate.yaml's documentation, so they cannot drift apart.
#pragma once

#include <cstdint>
#include <string_view>
#include <variant>
#include <vector>

#include "config/config.h"

namespace slotgate {

enum class Section : uint8_t {
  kTop,
  kBackend,
  kMigration,
  kTimeouts,
  kLimits,
  kAuth,
  kAuthUser,
  kNodeCredentials,
};

// How errors name the section's keys: "" (top level), "backend", "timeouts", "limits", "auth";
// a migration item's and a user's keys are named bare ("slot", "from", "to", "rules").
std::string_view PathOf(Section section);
std::vector<std::string_view> KeysOf(Section section);

inline constexpr std::string_view kTopKeys[] = {"listen",  "workers",  "metrics",
                                                "log_level", "admin_commands", "protected_mode", "backend",
                                                "timeouts", "limits",  "auth"};
inline constexpr std::string_view kBackendKeys[] = {
    "mode",     "seeds",         "read_from",    "slots", "migrations",
    "username", "password_file", "password_env", "node_credentials"};
inline constexpr std::string_view kNodeCredentialKeys[] = {"username", "password_file",
                                                           "password_env"};
inline constexpr std::string_view kMigrationKeys[] = {"slot", "from", "to"};
inline constexpr std::string_view kAuthKeys[] = {"users"};
inline constexpr std::string_view kAuthUserKeys[] = {"name", "password_file", "password_env",
                                                     "password_sha256", "rules"};

inline constexpr std::string_view kLogLevels[] = {"trace", "debug",    "info", "warn",
                                                  "error", "critical", "off"};
inline constexpr std::string_view kModeNames[] = {"cluster", "static"};  // BackendMode order
inline constexpr std::string_view kReadFromNames[] = {"master", "prefer-replica",
                                                      "replica"};  // ReadFrom order
// YAML's plain spellings only: "yes"/"on" would be true to some readers and text to others.
inline constexpr std::string_view kBoolNames[] = {"false", "true"};

inline constexpr unsigned kMaxWorkers = 256;

inline constexpr uint64_t kKb = 1024;
inline constexpr uint64_t kMb = kKb * 1024;
inline constexpr uint64_t kGb = kMb * 1024;

// An unsigned number in a section. `bytes` fields also accept Redis's size suffixes.
template <typename Struct>
struct NumberField {
  std::string_view key;
  std::variant<uint32_t Struct::*, uint64_t Struct::*> member;
  uint64_t min = 0;
  uint64_t max = 0;
  bool bytes = false;
};

inline constexpr NumberField<Timeouts> kTimeoutFields[] = {
    {"connect_ms", &Timeouts::connect_ms, 1, 60'000},
    {"backend_request_ms", &Timeouts::backend_request_ms, 1, 600'000},
    {"client_idle_s", &Timeouts::client_idle_s, 0, 31'536'000},
    {"redirect_deadline_ms", &Timeouts::redirect_deadline_ms, 1, 60'000},
    {"topology_refresh_interval_s", &Timeouts::topology_refresh_interval_s, 1, 3600},
    {"topology_refresh_debounce_ms", &Timeouts::topology_refresh_debounce_ms, 0, 60'000},
};

inline constexpr NumberField<Limits> kLimitFields[] = {
    {"max_clients", &Limits::max_clients, 1, 1'000'000},
    {"max_redirects", &Limits::max_redirects, 1, 64},
    {"max_bulk_length", &Limits::max_bulk_length, kKb, 1024 * kGb, true},
    {"max_multibulk_length", &Limits::max_multibulk_length, 1, 2'147'483'647},
    {"max_inline_length", &Limits::max_inline_length, kKb, kGb, true},
    {"client_output_buffer_bytes", &Limits::client_output_buffer_bytes, 64 * kKb, 1024 * kGb, true},
    {"client_query_buffer_bytes", &Limits::client_query_buffer_bytes, kMb, 1024 * kGb, true},
    {"backend_connections_per_node", &Limits::backend_connections_per_node, 1, 64},
    {"dedicated_connections_per_node", &Limits::dedicated_connections_per_node, 1, 1'000'000},
    {"backend_queue_bytes", &Limits::backend_queue_bytes, kMb, 1024 * kGb, true},
    {"pubsub_output_buffer_bytes", &Limits::pubsub_output_buffer_bytes, 64 * kKb, 1024 * kGb, true},
    {"client_memory_bytes", &Limits::client_memory_bytes, 0, 1024 * kGb, true},
};

// Every range is well formed and fits the member it is stored in, so the loader may narrow.
template <typename Struct, size_t N>
constexpr bool RangesFit(const NumberField<Struct> (&fields)[N]) {
  for (const NumberField<Struct>& field : fields) {
    const bool narrow = std::holds_alternative<uint32_t Struct::*>(field.member);
    if (field.min > field.max || field.max > (narrow ? UINT32_MAX : UINT64_MAX)) return false;
  }
  return true;
}
static_assert(RangesFit(kTimeoutFields));
static_assert(RangesFit(kLimitFields));

}  // namespace slotgate
