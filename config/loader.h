// Turns the YAML node tree into a Config, key by key. What each value may be is checked here;
// how values relate to each other (overlaps, coverage, ownership) is validate.h's job.
#pragma once

#include <yaml-cpp/yaml.h>

#include "config/config.h"
#include "config/diagnostics.h"
#include "config/source_map.h"

namespace slotgate {

// Fills `config` (which starts at its defaults) from the document `root`. Values in error are
// reported and left at their defaults; `source` records where each item was written.
void ReadConfig(const YAML::Node& root, Config* config, SourceMap* source,
                Diagnostics* diagnostics);

// The `backend` section (backend_loader.cc).
void ReadBackend(const YAML::Node& key, const YAML::Node& value, Config* config, SourceMap* source,
                 Diagnostics* diagnostics);

// The `auth` section (auth_loader.cc).
void ReadAuth(const YAML::Node& key, const YAML::Node& value, Config* config,
              Diagnostics* diagnostics);

}  // namespace slotgate
