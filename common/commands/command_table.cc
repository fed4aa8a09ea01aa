#include "common/commands/command_table.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "common/commands/command_policy.h"

namespace slotgate {
namespace {

// Command names longer than this are unknown to Redis too; lookups lower-case into a stack buffer.
constexpr size_t kMaxNameLength = 64;

std::optional<std::string_view> LowerCase(std::string_view name, char (&buffer)[kMaxNameLength]) {
  if (name.size() > kMaxNameLength) return std::nullopt;
  for (size_t i = 0; i < name.size(); ++i) {
    buffer[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[i])));
  }
  return std::string_view(buffer, name.size());
}

bool IsText(const RespValue& v) {
  return v.type == RespValue::Type::kBulkString || v.type == RespValue::Type::kSimpleString;
}
bool IsList(const RespValue& v) {
  return v.type == RespValue::Type::kArray || v.type == RespValue::Type::kSet;
}
bool IsAggregate(const RespValue& v) { return IsList(v) || v.type == RespValue::Type::kMap; }

int IntOr(const RespValue* v, int fallback) {
  return v && v->type == RespValue::Type::kInteger ? static_cast<int>(v->integer) : fallback;
}

// "begin_search" and "find_keys" are {type: T, spec: {...}} in both RESP2 and RESP3.
std::optional<KeySpec> ParseKeySpec(const RespValue& entry) {
  if (!IsAggregate(entry)) return std::nullopt;
  KeySpec spec;
  if (const RespValue* flags = entry.MapGet("flags"); flags && IsList(*flags)) {
    for (const RespValue& f : flags->elements) spec.flags |= ParseKeySpecFlag(f.str);
  }
  const RespValue* begin = entry.MapGet("begin_search");
  const RespValue* find = entry.MapGet("find_keys");
  if (!begin || !find) return std::nullopt;
  const RespValue* begin_type = begin->MapGet("type");
  const RespValue* begin_spec = begin->MapGet("spec");
  const RespValue* find_type = find->MapGet("type");
  const RespValue* find_spec = find->MapGet("spec");
  if (!begin_type || !begin_spec || !find_type || !find_spec) return std::nullopt;

  if (begin_type->str == "index") {
    spec.begin = KeySpec::Begin::kIndex;
    spec.index = IntOr(begin_spec->MapGet("index"), 0);
  } else if (begin_type->str == "keyword") {
    spec.begin = KeySpec::Begin::kKeyword;
    const RespValue* keyword = begin_spec->MapGet("keyword");
    if (!keyword || !IsText(*keyword)) return std::nullopt;
    spec.keyword = keyword->str;
    spec.startfrom = IntOr(begin_spec->MapGet("startfrom"), 1);
  }
  if (find_type->str == "range") {
    spec.find = KeySpec::Find::kRange;
    spec.lastkey = IntOr(find_spec->MapGet("lastkey"), 0);
    spec.keystep = IntOr(find_spec->MapGet("keystep"), 1);
    spec.limit = IntOr(find_spec->MapGet("limit"), 0);
  } else if (find_type->str == "keynum") {
    spec.find = KeySpec::Find::kKeynum;
    spec.keynumidx = IntOr(find_spec->MapGet("keynumidx"), 0);
    spec.firstkey = IntOr(find_spec->MapGet("firstkey"), 1);
    spec.keystep = IntOr(find_spec->MapGet("keystep"), 1);
  }
  return spec;
}

// One COMMAND entry: [name, arity, flags, first, last, step, acl categories, tips, key specs,
// subcommands]; entries of servers before 7.0 stop after step and have no key specs.
std::optional<CommandInfo> ParseEntry(const RespValue& entry) {
  const auto& e = entry.elements;
  if (entry.type != RespValue::Type::kArray || e.size() < 6 || !IsText(e[0]) ||
      e[1].type != RespValue::Type::kInteger || !IsList(e[2])) {
    return std::nullopt;
  }
  CommandInfo info;
  info.name.resize(e[0].str.size());
  std::transform(e[0].str.begin(), e[0].str.end(), info.name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  info.arity = static_cast<int>(e[1].integer);
  for (const RespValue& f : e[2].elements) info.flags |= ParseCommandFlag(f.str);
  if (e.size() > 6 && IsList(e[6])) {
    for (const RespValue& c : e[6].elements) {
      if (c.str.starts_with('@')) info.acl_categories |= ParseAclCategory(c.str.substr(1));
    }
  }
  if (e.size() > 8 && IsList(e[8])) {
    for (const RespValue& s : e[8].elements) {
      std::optional<KeySpec> spec = ParseKeySpec(s);
      if (!spec) return std::nullopt;
      info.key_specs.push_back(std::move(*spec));
    }
  }
  if (e.size() > 9 && IsList(e[9])) {
    for (const RespValue& s : e[9].elements) {
      std::optional<CommandInfo> sub = ParseEntry(s);
      if (!sub) return std::nullopt;
      info.subcommands.push_back(std::move(*sub));
    }
    std::sort(info.subcommands.begin(), info.subcommands.end(),
              [](const CommandInfo& a, const CommandInfo& b) { return a.name < b.name; });
  }
  const PolicyDecision decision = PolicyFor(info);
  info.policy = decision.policy;
  info.policy_reason = decision.reason;
  info.kind = KindFor(info.name);
  return info;
}

}  // namespace

std::shared_ptr<const CommandTable> CommandTable::FromReply(const RespValue& reply,
                                                            size_t* skipped) {
  auto table = std::make_shared<CommandTable>();
  size_t bad = 0;
  for (const RespValue& entry : reply.elements) {
    std::optional<CommandInfo> info = ParseEntry(entry);
    if (!info) {
      ++bad;
      continue;
    }
    std::string name = info->name;
    table->commands_.insert_or_assign(std::move(name), std::move(*info));
  }
  if (skipped) *skipped = bad;
  for (auto& [name, command] : table->commands_) {
    command.id = table->id_count_++;
    for (CommandInfo& sub : command.subcommands) sub.id = table->id_count_++;
  }
  return table;
}

std::shared_ptr<const CommandTable> CommandTable::FromRawReply(std::string_view bytes) {
  RespValue reply;
  size_t consumed = 0;
  if (DecodeValue(bytes, &consumed, &reply) != DecodeStatus::kOk || consumed != bytes.size() ||
      reply.type != RespValue::Type::kArray) {
    return nullptr;
  }
  std::shared_ptr<const CommandTable> built = FromReply(reply);
  if (built->size() == 0) return nullptr;
  auto table = std::const_pointer_cast<CommandTable>(built);
  table->raw_reply_.assign(bytes);
  return table;
}

std::shared_ptr<const CommandTable> CommandTable::Recorded() {
  static const std::shared_ptr<const CommandTable> recorded = [] {
    std::shared_ptr<const CommandTable> table = FromRawReply(kRecordedCommandReply);
    return table ? table : std::make_shared<const CommandTable>();
  }();
  return recorded;
}

const CommandInfo* CommandTable::FindByName(std::string_view lower_case_name) const {
  const auto it = commands_.find(lower_case_name);
  return it == commands_.end() ? nullptr : &it->second;
}

CommandLookup CommandTable::Find(std::span<const std::string_view> args) const {
  CommandLookup lookup;
  char buffer[kMaxNameLength];
  if (args.empty()) return lookup;
  const std::optional<std::string_view> name = LowerCase(args[0], buffer);
  if (!name) return lookup;
  const CommandInfo* command = FindByName(*name);
  if (!command) return lookup;
  lookup.status = CommandLookup::Status::kFound;
  lookup.command = command;
  if (command->subcommands.empty() || args.size() < 2) return lookup;

  // Subcommands are named "container|sub" and sorted, so they sort by their "sub" part too.
  char sub_buffer[kMaxNameLength];
  const std::optional<std::string_view> sub_name = LowerCase(args[1], sub_buffer);
  const size_t prefix = command->name.size() + 1;
  const auto suffix = [prefix](const CommandInfo& c) {
    return std::string_view(c.name).substr(prefix);
  };
  const auto sub =
      sub_name ? std::lower_bound(
                     command->subcommands.begin(), command->subcommands.end(), *sub_name,
                     [&](const CommandInfo& a, std::string_view b) { return suffix(a) < b; })
               : command->subcommands.end();
  if (sub == command->subcommands.end() || suffix(*sub) != *sub_name) {
    lookup.status = CommandLookup::Status::kUnknownSubcommand;
    lookup.command = command;
    return lookup;
  }
  lookup.command = &*sub;
  return lookup;
}

}  // namespace slotgate
