// Finds which arguments of a request are keys, exactly as a Redis 7 server does for
// COMMAND GETKEYS and for cluster routing (db.c getKeysFromCommandWithSpecs): key specs first,
// and where a spec cannot say (SORT's STORE, MIGRATE's KEYS, a bad numkeys), the fallback
// procedure Redis keeps for that command.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/commands/command_info.h"

namespace slotgate {

struct KeyExtractionOptions {
  // Sharded pub/sub channels (SPUBLISH, SSUBSCRIBE) are declared as `not_key` specs; the
  // proxy routes them by slot like keys, COMMAND GETKEYS does not list them.
  bool include_not_keys = false;
  // When set, filled in step with the positions: each key's KeySpecFlag bits as Redis's ACL
  // check reads them (a spec's flags, or those Redis's own procedure gives the key).
  std::vector<uint32_t>* flags = nullptr;
};

// Fills `positions` (cleared first; its capacity is reused) with the indexes in `args` of every
// key, in Redis's order. `args[0]` is the command name and, for a subcommand, `args[1]` the
// subcommand. No positions means the command names no key here, or its arguments are malformed
// in a way the command itself will reject.
void ExtractKeyPositions(const CommandInfo& cmd, std::span<const std::string_view> args,
                         std::vector<uint32_t>* positions, KeyExtractionOptions options = {});

// Whether Redis keeps a key-finding procedure for `name` besides its key specs.
bool HasKeyFindingProcedure(std::string_view name);

}  // namespace slotgate
