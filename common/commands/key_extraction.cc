#include "common/commands/key_extraction.h"

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <limits>
#include <string>

#include "common/text.h"

namespace slotgate {
namespace {

using Args = std::span<const std::string_view>;

// Redis's string2ll: strict decimal, no leading '+', no spaces, fits in 64 bits.
bool StrictInt64(std::string_view text, long long* out) {
  const std::optional<long long> value = ParseStrictInteger(text);
  if (value) *out = *value;
  return value.has_value();
}

// C's atoi on a length-delimited argument (Redis's native procedures read numkeys this way).
int Atoi(std::string_view text) {
  const std::string copy(text.substr(0, 32));
  return std::atoi(copy.c_str());
}

// Where a keyword-begin spec starts finding keys, or 0 when the keyword is absent.
long KeywordBegin(const KeySpec& spec, Args args) {
  const long argc = static_cast<long>(args.size());
  const long start = spec.startfrom > 0 ? spec.startfrom : argc + spec.startfrom;
  const long end = spec.startfrom > 0 ? argc - 1 : 1;
  for (long i = start; i != end; i = start <= end ? i + 1 : i - 1) {
    if (i >= argc || i < 1) break;
    if (EqualsIgnoreCase(args[static_cast<size_t>(i)], spec.keyword)) return i + 1;
  }
  return 0;
}

enum class SpecResult : uint8_t { kOk, kInvalid };

// db.c getKeysUsingKeySpecs, spec by spec. Any invalid spec voids the whole result.
SpecResult KeysFromSpecs(const CommandInfo& cmd, Args args, bool include_not_keys,
                         std::vector<uint32_t>* positions, std::vector<uint32_t>* flags) {
  const long argc = static_cast<long>(args.size());
  for (const KeySpec& spec : cmd.key_specs) {
    if ((spec.flags & kKeyNotKey) && !include_not_keys) continue;

    long first = 0;
    switch (spec.begin) {
      case KeySpec::Begin::kIndex:
        first = spec.index;
        break;
      case KeySpec::Begin::kKeyword:
        first = KeywordBegin(spec, args);
        if (first == 0) continue;  // an absent optional keyword names no keys
        break;
      case KeySpec::Begin::kUnknown:
        return SpecResult::kInvalid;
    }

    long last = 0;
    long step = 1;
    switch (spec.find) {
      case KeySpec::Find::kRange:
        step = spec.keystep;
        if (spec.lastkey >= 0) {
          last = first + spec.lastkey;
        } else if (spec.limit == 0) {
          last = argc + spec.lastkey;
        } else {
          last = first + ((argc - first) / spec.limit + spec.lastkey);
        }
        break;
      case KeySpec::Find::kKeynum: {
        step = spec.keystep;
        const long numkeys_at = first + spec.keynumidx;
        long long numkeys = 0;
        if (numkeys_at >= argc || numkeys_at < 0 ||
            !StrictInt64(args[static_cast<size_t>(numkeys_at)], &numkeys) || numkeys < 0 ||
            numkeys > std::numeric_limits<int>::max()) {
          return SpecResult::kInvalid;
        }
        first += spec.firstkey;
        last = first + static_cast<long>(numkeys) - 1;
        break;
      }
      case KeySpec::Find::kUnknown:
        return SpecResult::kInvalid;
    }

    if (last >= argc || last < first || first >= argc || step <= 0) return SpecResult::kInvalid;
    for (long i = first; i <= last; i += step) {
      positions->push_back(static_cast<uint32_t>(i));
      if (flags) flags->push_back(spec.flags);
    }
    if (spec.flags & kKeyIncomplete) return SpecResult::kInvalid;
  }
  return SpecResult::kOk;
}

// An option word Redis's key procedures step over, with how many arguments follow it.
struct Skip {
  std::string_view name;
  size_t skip;
};

// db.c genericGetKeys: COMMAND [destkey] numkeys key [key ...]; the destination comes last.
void NumkeysProcedure(int store_at, int count_at, int first_key_at, Args args,
                      std::vector<uint32_t>* positions) {
  const int argc = static_cast<int>(args.size());
  if (count_at >= argc) return;
  const int num = Atoi(args[static_cast<size_t>(count_at)]);
  if (num < 1 || num > argc - first_key_at) return;
  for (int i = 0; i < num; ++i) positions->push_back(static_cast<uint32_t>(first_key_at + i));
  if (store_at) positions->push_back(static_cast<uint32_t>(store_at));
}

// db.c sortGetKeys: the sorted key, then the last STORE destination, skipping option arguments.
void SortProcedure(Args args, std::vector<uint32_t>* positions) {
  static constexpr Skip kSkips[] = {{"limit", 2}, {"get", 1}, {"by", 1}};
  positions->push_back(1);
  size_t store_at = 0;
  for (size_t i = 2; i < args.size(); ++i) {
    // Redis tests STORE only while comparing against the first skip word: kept as Redis does it.
    for (const Skip& s : kSkips) {
      if (EqualsIgnoreCase(args[i], s.name)) {
        i += s.skip;
        break;
      }
      if (EqualsIgnoreCase(args[i], "store") && i + 1 < args.size()) {
        store_at = i + 1;
        break;
      }
    }
  }
  if (store_at) positions->push_back(static_cast<uint32_t>(store_at));
}

// db.c migrateGetKeys: the key argument, or every argument after KEYS when the key is "".
void MigrateProcedure(Args args, std::vector<uint32_t>* positions) {
  static constexpr Skip kSkips[] = {{"copy", 0}, {"replace", 0}, {"auth", 1}, {"auth2", 2}};
  size_t first = 3;
  size_t num = 1;
  if (args.size() > 6) {
    for (size_t i = 6; i < args.size(); ++i) {
      if (EqualsIgnoreCase(args[i], "keys")) {
        if (!args[3].empty()) return;  // KEYS with a non-empty key argument: no keys
        first = i + 1;
        num = args.size() - first;
        break;
      }
      for (const Skip& s : kSkips) {
        if (EqualsIgnoreCase(args[i], s.name)) {
          i += s.skip;
          break;
        }
      }
    }
  }
  for (size_t i = 0; i < num; ++i) positions->push_back(static_cast<uint32_t>(first + i));
}

// t_stream.c xreadGetKeys: the first STREAMS after the options, then half of what follows.
void XreadProcedure(Args args, std::vector<uint32_t>* positions) {
  static constexpr Skip kSkips[] = {{"block", 1}, {"count", 1}, {"group", 2}, {"noack", 0}};
  size_t streams_at = 1;
  while (streams_at < args.size() && !EqualsIgnoreCase(args[streams_at], "streams")) {
    const Skip* skip = nullptr;
    for (const Skip& s : kSkips) {
      if (EqualsIgnoreCase(args[streams_at], s.name)) skip = &s;
    }
    if (skip == nullptr) return;  // a syntax error names no keys
    streams_at += 1 + skip->skip;
  }
  if (streams_at >= args.size()) return;
  const size_t rest = args.size() - streams_at - 1;
  if (rest == 0 || rest % 2 != 0) return;
  for (size_t i = 0; i < rest / 2; ++i)
    positions->push_back(static_cast<uint32_t>(streams_at + 1 + i));
}

struct NumkeysCommand {
  std::string_view name;
  int store_at, count_at, first_key_at;
};
constexpr NumkeysCommand kNumkeysCommands[] = {
    {"zunionstore", 1, 2, 3}, {"zinterstore", 1, 2, 3}, {"zdiffstore", 1, 2, 3},
    {"zunion", 0, 1, 2},      {"zinter", 0, 1, 2},      {"zdiff", 0, 1, 2},
    {"zintercard", 0, 1, 2},  {"sintercard", 0, 1, 2},  {"eval", 0, 2, 3},
    {"evalsha", 0, 2, 3},     {"eval_ro", 0, 2, 3},     {"evalsha_ro", 0, 2, 3},
    {"fcall", 0, 2, 3},       {"fcall_ro", 0, 2, 3},    {"lmpop", 0, 1, 2},
    {"blmpop", 0, 2, 3},      {"zmpop", 0, 1, 2},       {"bzmpop", 0, 2, 3},
};

const NumkeysCommand* FindNumkeysCommand(std::string_view name) {
  for (const NumkeysCommand& c : kNumkeysCommands) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

// Redis's native key procedures, run where a command's specs are invalid or unreliable. Set's
// and bitfield's exist only to compute flags and name the first argument; georadius's agrees
// with its specs, which are never invalid.
void RunProcedure(std::string_view name, Args args, std::vector<uint32_t>* positions) {
  if (name == "sort") return SortProcedure(args, positions);
  if (name == "sort_ro") return positions->push_back(1);
  if (name == "migrate") return MigrateProcedure(args, positions);
  if (name == "set" || name == "bitfield") return positions->push_back(1);
  if (name == "xread" || name == "xreadgroup") return XreadProcedure(args, positions);
  if (const NumkeysCommand* c = FindNumkeysCommand(name)) {
    NumkeysProcedure(c->store_at, c->count_at, c->first_key_at, args, positions);
  }
}

// db.c bitfieldGetKeys: read-only while every operation is a whole GET or OVERFLOW.
bool BitfieldReadOnly(Args args) {
  for (size_t i = 2; i < args.size(); ++i) {
    const size_t rest = args.size() - i - 1;
    if (EqualsIgnoreCase(args[i], "get") && rest >= 2) {
      i += 2;
    } else if (EqualsIgnoreCase(args[i], "overflow") && rest >= 1) {
      i += 1;
    } else {
      return false;  // SET, INCRBY, or a syntax error: Redis assumes a write
    }
  }
  return true;
}

// The flags Redis's own procedure gives the key at `position` (genericGetKeys gives none).
uint32_t ProcedureKeyFlags(std::string_view name, Args args, uint32_t position) {
  if (name == "sort") return position == 1 ? kKeyRO | kKeyAccess : kKeyOW | kKeyUpdate;
  if (name == "sort_ro" || name == "xread") return kKeyRO | kKeyAccess;
  if (name == "xreadgroup") return kKeyRW | kKeyAccess | kKeyUpdate;
  if (name == "migrate") return kKeyRW | kKeyAccess | kKeyDelete;
  if (name == "set") {
    for (size_t i = 3; i < args.size(); ++i) {
      if (EqualsIgnoreCase(args[i], "get")) return kKeyRW | kKeyAccess | kKeyUpdate;
    }
    return kKeyOW | kKeyUpdate;
  }
  if (name == "bitfield") {
    return BitfieldReadOnly(args) ? kKeyRO | kKeyAccess : kKeyRW | kKeyAccess | kKeyUpdate;
  }
  return 0;
}

}  // namespace

bool HasKeyFindingProcedure(std::string_view name) {
  return name == "sort" || name == "sort_ro" || name == "migrate" || name == "set" ||
         name == "bitfield" || name == "xread" || name == "xreadgroup" ||
         FindNumkeysCommand(name) != nullptr;
}

void ExtractKeyPositions(const CommandInfo& cmd, Args args, std::vector<uint32_t>* positions,
                         KeyExtractionOptions options) {
  positions->clear();
  if (options.flags) options.flags->clear();
  bool has_key_spec = false;
  bool has_variable_flags = false;
  for (const KeySpec& spec : cmd.key_specs) {
    has_key_spec |= (spec.flags & kKeyNotKey) == 0 || options.include_not_keys;
    has_variable_flags |= (spec.flags & kKeyVariableFlags) != 0;
  }
  // Redis prefers specs when their flags are reliable, and falls back to its procedure on an
  // invalid or incomplete spec.
  if (has_key_spec && !has_variable_flags) {
    if (KeysFromSpecs(cmd, args, options.include_not_keys, positions, options.flags) ==
        SpecResult::kOk) {
      return;
    }
    positions->clear();
    if (options.flags) options.flags->clear();
  }
  RunProcedure(cmd.name, args, positions);
  if (options.flags) {
    for (const uint32_t position : *positions) {
      options.flags->push_back(ProcedureKeyFlags(cmd.name, args, position));
    }
  }
}

}  // namespace slotgate
