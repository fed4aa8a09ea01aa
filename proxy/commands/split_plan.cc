#include "proxy/commands/split_plan.h"

#include "common/resp/writer.h"
#include "common/slot.h"

namespace slotgate {

std::vector<SplitPart> SplitBySlot(std::span<const std::string_view> args,
                                   std::span<const uint32_t> key_positions, uint32_t step) {
  std::vector<SplitPart> parts;
  std::vector<std::vector<std::string_view>> part_args;
  for (uint32_t k = 0; k < key_positions.size(); ++k) {
    const uint32_t at = key_positions[k];
    const uint16_t slot = KeySlot(args[at]);
    size_t index = 0;
    while (index < parts.size() && parts[index].slot != slot) ++index;
    if (index == parts.size()) {
      parts.push_back(SplitPart{slot, {}, {}});
      part_args.push_back({args[0]});
    }
    parts[index].key_order.push_back(k);
    for (uint32_t i = 0; i < step && at + i < args.size(); ++i) {
      part_args[index].push_back(args[at + i]);
    }
  }
  for (size_t i = 0; i < parts.size(); ++i) WriteCommand(parts[i].request, part_args[i]);
  return parts;
}

}  // namespace slotgate
