#include "tests/integration/support/command_vectors.h"

#include <cstdlib>
#include <set>

namespace slotgate::test {

std::vector<const CommandInfo*> AllCommands(const CommandTable& table) {
  std::vector<const CommandInfo*> all;
  for (const auto& [name, cmd] : table.commands()) {
    all.push_back(&cmd);
    for (const CommandInfo& sub : cmd.subcommands) all.push_back(&sub);
  }
  return all;
}

std::vector<std::string> Vocabulary(const CommandInfo& cmd) {
  std::set<std::string> words = {"STORE",   "BY",      "GET",       "LIMIT", "KEYS",  "COPY",
                                 "REPLACE", "AUTH",    "AUTH2",     "BLOCK", "COUNT", "GROUP",
                                 "NOACK",   "STREAMS", "STOREDIST", ""};
  for (const KeySpec& spec : cmd.key_specs) {
    if (spec.begin == KeySpec::Begin::kKeyword) words.insert(spec.keyword);
  }
  return {words.begin(), words.end()};
}

std::vector<std::string> GenerateArgs(const CommandInfo& cmd, const std::vector<std::string>& words,
                                      std::mt19937& rng) {
  std::vector<std::string> args;
  const size_t bar = cmd.name.find('|');
  if (bar == std::string::npos) {
    args.push_back(cmd.name);
  } else {
    args.push_back(cmd.name.substr(0, bar));
    args.push_back(cmd.name.substr(bar + 1));
  }
  const size_t min_args = static_cast<size_t>(std::abs(cmd.arity));
  const size_t argc =
      cmd.arity > 0 ? min_args : min_args + std::uniform_int_distribution<size_t>(0, 8)(rng);
  std::uniform_int_distribution<int> kind(0, 3);
  std::uniform_int_distribution<size_t> word(0, words.size() - 1);
  std::uniform_int_distribution<int> number(-1, 4);
  for (size_t i = args.size(); i < argc; ++i) {
    switch (kind(rng)) {
      case 0:
        args.push_back(words[word(rng)]);
        break;
      case 1:
        args.push_back(std::to_string(number(rng)));
        break;
      default:
        args.push_back("k" + std::to_string(i));
    }
  }
  // Most vectors carry a numkeys that fits, so keynum specs are exercised beyond their errors.
  for (const KeySpec& spec : cmd.key_specs) {
    if (spec.find != KeySpec::Find::kKeynum || spec.begin != KeySpec::Begin::kIndex) continue;
    const size_t at = static_cast<size_t>(spec.index + spec.keynumidx);
    const size_t first = static_cast<size_t>(spec.index + spec.firstkey);
    if (at >= args.size() || first > args.size() || !std::bernoulli_distribution(0.8)(rng)) {
      continue;
    }
    const size_t room = args.size() - first;
    args[at] = std::to_string(std::uniform_int_distribution<size_t>(room ? 1 : 0, room)(rng));
  }
  return args;
}

unsigned SeedFrom(const char* name, unsigned fixed) {
  const char* value = std::getenv(name);
  return value ? static_cast<unsigned>(std::strtoul(value, nullptr, 10)) : fixed;
}

}  // namespace slotgate::test
