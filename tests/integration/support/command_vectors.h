// Argument vectors drawn at random from a command's own description (arity, key specs), for
// the tests that hold slotgate's reading of requests against a real server's (COMMAND GETKEYS,
// ACL DRYRUN).
#pragma once

#include <random>
#include <string>
#include <vector>

#include "common/commands/command_info.h"
#include "common/commands/command_table.h"

namespace slotgate::test {

// Every command of `table` with its subcommands, each once.
std::vector<const CommandInfo*> AllCommands(const CommandTable& table);

// Every keyword any key spec of `cmd` searches for, plus the option words Redis's own key
// procedures skip over, so generated vectors hit every branch of both.
std::vector<std::string> Vocabulary(const CommandInfo& cmd);

// The command's name (and subcommand), then arguments up to a count its arity allows: words of
// `words`, small numbers, or keys named k<position>. Most numkeys arguments fit.
std::vector<std::string> GenerateArgs(const CommandInfo& cmd, const std::vector<std::string>& words,
                                      std::mt19937& rng);

// The seed of a randomised agreement test: `fixed`, unless the environment variable `name`
// names another.
unsigned SeedFrom(const char* name, unsigned fixed);

}  // namespace slotgate::test
