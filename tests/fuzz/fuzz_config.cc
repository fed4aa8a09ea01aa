// LoadConfigString on arbitrary bytes: never crashes, hangs or leaks, and always returns exactly
// one of a config or a non-empty list of errors, each with a reason and a sane position.
// Seed it with deploy/slotgate.yaml: fuzz_config CORPUS_DIR deploy/
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  const slotgate::LoadResult result = slotgate::LoadConfigString(yaml, "fuzz.yaml");
  if (result.config.has_value() == !result.errors.empty()) __builtin_trap();
  int previous_line = 0;
  for (const slotgate::ConfigError& error : result.errors) {
    if (error.reason.empty() || error.file != "fuzz.yaml") __builtin_trap();
    if (error.line < 0 || error.column < 0 || (error.line > 0 && error.column == 0)) {
      __builtin_trap();
    }
    if (error.line < previous_line) __builtin_trap();  // sorted by position
    previous_line = error.line;
    if (error.ToString().empty()) __builtin_trap();
  }
  return 0;
}
