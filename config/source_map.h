// Where each item of a Config was written. Cross-field checks run on plain Config data after
// loading, and this map lets them still point at the right line and column.
#pragma once

#include <vector>

#include "config/diagnostics.h"

namespace slotgate {

struct NodeSlotsSource {
  Position node;                 // the node's key in `backend.slots`
  std::vector<Position> ranges;  // parallel to NodeSlots::ranges
};

struct MigrationSource {
  Position item;
  Position slot;
  Position from;
  Position to;
};

struct SourceMap {
  // Keys as written; unknown (line 0) when absent.
  Position backend;
  Position mode;
  Position read_from;
  Position seeds;
  Position slots;
  Position migrations;
  Position max_bulk_length;
  Position client_query_buffer_bytes;
  // Values as written.
  Position listen;
  Position metrics;
  std::vector<Position> seed_items;              // parallel to Config::seeds
  std::vector<NodeSlotsSource> slot_items;       // parallel to Config::slots
  std::vector<MigrationSource> migration_items;  // parallel to Config::migrations

  // Set where the loader already reported an error and dropped what it could not read. Checks
  // that need all of that part (mode rules, coverage, ownership) are then skipped, so one
  // mistake is reported once rather than echoed as a second, misleading error.
  bool mode_broken = false;
  bool seeds_broken = false;
  bool slots_broken = false;
};

}  // namespace slotgate
