// Checks how the values of a loaded Config fit together: the mode's requirements, slot ranges
// that overlap or leave gaps, migrations that do not match the slot table. It runs on plain data,
// with a SourceMap to point each error at the line that caused it.
#pragma once

#include "config/config.h"
#include "config/diagnostics.h"
#include "config/source_map.h"

namespace slotgate {

void ValidateConfig(const Config& config, const SourceMap& source, Diagnostics* diagnostics);

}  // namespace slotgate
