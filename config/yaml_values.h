// Reads typed values out of yaml-cpp nodes without throwing: each reader reports what is wrong,
// and where, to Diagnostics and returns nothing, so the loader can carry on to the next key.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/diagnostics.h"
#include "config/schema.h"

namespace slotgate {

// yaml-cpp's marks are 0-based; ours are 1-based, and unknown (line 0) for a null mark.
Position PositionOf(const YAML::Mark& mark);

// Where an error about the value of `key` points. yaml-cpp marks an empty value at the token after
// it (often the next line), so an empty value is blamed on its key instead.
Position ValuePosition(const YAML::Node& key, const YAML::Node& value);

// How an error shows what it got: "'text'", "a list", "a map" or "nothing".
std::string Describe(const YAML::Node& node);

using EntryFn = std::function<void(const std::string& key, const YAML::Node& key_node,
                                   const YAML::Node& value)>;

// Calls `fn` for each entry of `map` in file order. Non-scalar keys and repeated keys are reported
// and skipped (yaml-cpp keeps both copies of a repeated key); with a `section`, so are the keys the
// section does not have. Returns false when any entry was reported and skipped.
bool ForEachEntry(const YAML::Node& map, std::optional<Section> section, Diagnostics* diagnostics,
                  const EntryFn& fn);

// The value of `key` as a map or list. An empty value counts as an empty one; any other kind is
// reported ("timeouts must be a map, got 'x'") and gives false.
bool ExpectMap(const YAML::Node& key, const YAML::Node& value, std::string_view name,
               Diagnostics* diagnostics);
bool ExpectList(const YAML::Node& key, const YAML::Node& value, std::string_view name,
                std::string_view of_what, Diagnostics* diagnostics);

// An unsigned number in [min, max]; `name` is how errors call it ("timeouts.connect_ms").
std::optional<uint64_t> ReadNumber(const YAML::Node& key, const YAML::Node& value,
                                   std::string_view name, uint64_t min, uint64_t max, bool bytes,
                                   Diagnostics* diagnostics);

// The index in `choices` of the value's text.
std::optional<size_t> ReadChoice(const YAML::Node& key, const YAML::Node& value,
                                 std::string_view name,
                                 const std::vector<std::string_view>& choices,
                                 Diagnostics* diagnostics);

// A host:port in `node`, reported at `at` as "<what> 'text' has no port (expected host:port)".
std::optional<Endpoint> ReadEndpoint(const YAML::Node& node, Position at, std::string_view what,
                                     Diagnostics* diagnostics);

}  // namespace slotgate
