// Decodes arbitrary bytes as one reply; a decoded value must write back to RESP that decodes
// again, and writing that second value must give the same bytes (writing is a fixed point).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/resp/value.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  const std::string_view data(reinterpret_cast<const char*>(bytes), size);
  slotgate::RespValue value;
  size_t used = 0;
  if (slotgate::DecodeValue(data, &used, &value) != slotgate::DecodeStatus::kOk) return 0;
  Check(used > 0 && used <= size);
  std::string first;
  slotgate::WriteValue(first, value);
  slotgate::RespValue again;
  size_t again_used = 0;
  Check(slotgate::DecodeValue(first, &again_used, &again) == slotgate::DecodeStatus::kOk);
  Check(again_used == first.size());
  std::string second;
  slotgate::WriteValue(second, again);
  Check(first == second);
  return 0;
}
