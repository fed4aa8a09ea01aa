// A first pass over the YAML events, before yaml-cpp builds nodes, for the shapes its node tree
// handles badly: an alias inside the node it names builds a cyclic tree (leaked, and endless to
// walk), and a second document would be silently ignored.
#pragma once

#include <string>

#include "config/diagnostics.h"

namespace slotgate {

// Reports recursive aliases and extra documents; returns true when the text may be loaded.
// yaml-cpp syntax errors are thrown as YAML::ParserException, as YAML::Load would.
bool PrecheckYaml(const std::string& yaml, Diagnostics* diagnostics);

}  // namespace slotgate
