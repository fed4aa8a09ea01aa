#include "common/acl/acl_user.h"

#include <algorithm>

#include "common/acl/glob.h"
#include "common/commands/key_extraction.h"
#include "common/text.h"

namespace slotgate {
namespace {

// Redis's ACLSetUserStringError wording, and slotgate's own for what it refuses.
constexpr std::string_view kUnknownName = "Unknown command or category name in ACL";
constexpr std::string_view kSyntax = "Syntax error";
constexpr std::string_view kKeyAfterAll =
    "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not "
    "have any effect. Try 'resetkeys' to start with an empty list of patterns";
constexpr std::string_view kChannelAfterAll =
    "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does "
    "not have any effect. Try 'resetchannels' to start with an empty list of channels";
constexpr std::string_view kFirstArg =
    "Allowing first-arg of a command is not supported by slotgate; allow the command";
constexpr std::string_view kPassword =
    "Passwords are not rules in slotgate: use password_file, password_env or password_sha256";
constexpr std::string_view kSelector = "Selectors are not supported by slotgate";

// By RuleError, kNone first.
constexpr std::string_view kRuleErrorText[] = {
    "", kUnknownName, kSyntax, kKeyAfterAll, kChannelAfterAll, kFirstArg, kPassword, kSelector};

// The channels a request publishes or subscribes to (acl.c checks only those), and whether
// they are patterns. UNSUBSCRIBE and PUBSUB's channel arguments are not checked, as in Redis.
struct ChannelArgs {
  size_t first = 0;  // 0: none
  size_t last = 0;   // inclusive
  bool pattern = false;
};

ChannelArgs ChannelsOf(std::string_view name, size_t argc) {
  if (name == "publish" || name == "spublish") return {1, 1, false};
  if (name == "subscribe" || name == "ssubscribe") return {1, argc - 1, false};
  if (name == "psubscribe") return {1, argc - 1, true};
  return {};
}

}  // namespace

std::string AclUser::Apply(std::string_view rules, const CommandTable& table) {
  if (commands_.size() != table.id_count()) commands_.assign(table.id_count(), false);
  size_t at = 0;
  while (at < rules.size()) {
    if (rules[at] == ' ') {
      ++at;
      continue;
    }
    const size_t end = std::min(rules.find(' ', at), rules.size());
    const std::string_view rule = rules.substr(at, end - at);
    at = end;
    const RuleError error = ApplyRule(rule, table);
    if (error == RuleError::kNone) continue;
    const std::string_view why = kRuleErrorText[static_cast<size_t>(error)];
    return "Error in ACL SETUSER modifier '" + std::string(rule) + "': " + std::string(why);
  }
  return {};
}

AclUser::RuleError AclUser::ApplyRule(std::string_view rule, const CommandTable& table) {
  const auto is = [&](std::string_view word) { return EqualsIgnoreCase(rule, word); };
  if (is("on")) {
    enabled_ = true;
  } else if (is("off")) {
    enabled_ = false;
  } else if (is("nopass")) {
    nopass_ = true;
  } else if (is("resetpass")) {
    nopass_ = false;
  } else if (is("skip-sanitize-payload") || is("sanitize-payload") || is("clearselectors")) {
    // Payload sanitizing is the nodes' business; there are no selectors to clear.
  } else if (is("allkeys") || is("~*")) {
    all_keys_ = true;
    keys_.clear();
  } else if (is("resetkeys")) {
    all_keys_ = false;
    keys_.clear();
  } else if (is("allchannels") || is("&*")) {
    all_channels_ = true;
    channels_.clear();
  } else if (is("resetchannels")) {
    all_channels_ = false;
    channels_.clear();
  } else if (is("allcommands")) {
    SetAll(table, true);
  } else if (is("nocommands")) {
    SetAll(table, false);
  } else if (is("reset")) {
    nopass_ = false;
    all_keys_ = false;
    keys_.clear();
    all_channels_ = false;
    channels_.clear();
    enabled_ = false;
    SetAll(table, false);
  } else if (rule.starts_with('>') || rule.starts_with('<') || rule.starts_with('#') ||
             rule.starts_with('!')) {
    return RuleError::kPassword;
  } else if (rule.starts_with('(')) {
    return RuleError::kSelector;
  } else if (rule.starts_with('~') || rule.starts_with('%')) {
    return AddKeyPattern(rule);
  } else if (rule.starts_with('&')) {
    if (all_channels_) return RuleError::kChannelAfterAll;
    const std::string_view pattern = rule.substr(1);
    if (std::find(channels_.begin(), channels_.end(), pattern) == channels_.end()) {
      channels_.emplace_back(pattern);
    }
  } else if (rule.starts_with('+') || rule.starts_with('-')) {
    return ApplyCommandRule(rule, table);
  } else {
    return RuleError::kSyntax;
  }
  return RuleError::kNone;
}

AclUser::RuleError AclUser::ApplyCommandRule(std::string_view rule, const CommandTable& table) {
  const bool allow = rule[0] == '+';
  const std::string_view name = rule.substr(1);
  if (name.starts_with('@')) {
    const std::string_view category = name.substr(1);
    if (EqualsIgnoreCase(category, "all")) {
      SetAll(table, allow);
      return RuleError::kNone;
    }
    const uint32_t bit = ParseAclCategory(category);
    if (bit == 0) return RuleError::kUnknownName;
    SetCategory(table, bit, allow);
    return RuleError::kNone;
  }
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const size_t bar = lower.find('|');
  const CommandInfo* container = table.FindByName(lower.substr(0, bar));
  if (!container) return RuleError::kUnknownName;
  if (bar == std::string::npos) {
    SetCommand(*container, allow);
    return RuleError::kNone;
  }
  if (container->subcommands.empty()) return RuleError::kFirstArg;
  for (const CommandInfo& sub : container->subcommands) {
    if (sub.name == lower) {
      SetCommand(sub, allow);
      return RuleError::kNone;
    }
  }
  return RuleError::kUnknownName;
}

AclUser::RuleError AclUser::AddKeyPattern(std::string_view rule) {
  if (all_keys_) return RuleError::kKeyAfterAll;
  uint8_t rights = kRead | kWrite;
  size_t offset = 1;
  if (rule[0] == '%') {
    rights = 0;
    for (; offset < rule.size(); ++offset) {
      const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(rule[offset])));
      if (c == 'R' && !(rights & kRead)) {
        rights |= kRead;
      } else if (c == 'W' && !(rights & kWrite)) {
        rights |= kWrite;
      } else if (rule[offset] == '~') {
        ++offset;
        break;
      } else {
        return RuleError::kSyntax;
      }
    }
    // Without a '~' the pattern is empty, as Redis takes it.
    if (rights == 0) return RuleError::kSyntax;
  }
  const std::string_view pattern = rule.substr(offset);
  if (pattern == "*" && rights == (kRead | kWrite)) {
    all_keys_ = true;
    keys_.clear();
    return RuleError::kNone;
  }
  for (KeyPattern& existing : keys_) {
    if (existing.pattern == pattern) {
      existing.rights |= rights;
      return RuleError::kNone;
    }
  }
  keys_.push_back({std::string(pattern), rights});
  return RuleError::kNone;
}

void AclUser::SetCommand(const CommandInfo& cmd, bool allow) {
  if (!allow) all_commands_ = false;
  commands_[cmd.id] = allow;
  for (const CommandInfo& sub : cmd.subcommands) commands_[sub.id] = allow;
}

void AclUser::SetCategory(const CommandTable& table, uint32_t category, bool allow) {
  for (const auto& [name, cmd] : table.commands()) {
    if (cmd.acl_categories & category) SetCommand(cmd, allow);
    for (const CommandInfo& sub : cmd.subcommands) {
      if (sub.acl_categories & category) SetCommand(sub, allow);
    }
  }
  if (!allow) all_commands_ = false;
}

void AclUser::SetAll(const CommandTable& table, bool allow) {
  all_commands_ = allow;
  commands_.assign(table.id_count(), allow);
}

bool AclUser::MayRun(const CommandInfo& cmd) const {
  if (all_commands_ || cmd.Has(kCmdNoAuth)) return true;
  return cmd.id < commands_.size() && commands_[cmd.id];
}

bool AclUser::MayAccessKey(std::string_view key, uint32_t key_flags) const {
  if (all_keys_) return true;
  uint8_t needed = 0;
  if (key_flags & kKeyAccess) needed |= kRead;
  if (key_flags & (kKeyInsert | kKeyDelete | kKeyUpdate)) needed |= kWrite;
  for (const KeyPattern& p : keys_) {
    if ((p.rights & needed) == needed && GlobMatch(p.pattern, key)) return true;
  }
  return false;
}

bool AclUser::MayUseChannel(std::string_view channel, bool pattern) const {
  if (all_channels_) return true;
  for (const std::string& allowed : channels_) {
    if (pattern ? allowed == channel : GlobMatch(allowed, channel)) return true;
  }
  return false;
}

AclVerdict AclUser::Check(const CommandInfo& cmd, std::span<const std::string_view> args) const {
  if (!MayRun(cmd)) return AclVerdict::kDeniedCommand;
  if (!all_keys_ && cmd.HasKeys()) {
    // Checked on every request of a restricted user: reuse the capacity, allocate nothing.
    thread_local std::vector<uint32_t> positions;
    thread_local std::vector<uint32_t> flags;
    ExtractKeyPositions(cmd, args, &positions, {.flags = &flags});
    for (size_t i = 0; i < positions.size(); ++i) {
      if (!MayAccessKey(args[positions[i]], flags[i])) return AclVerdict::kDeniedKey;
    }
  }
  if (!all_channels_) {
    const ChannelArgs channels = ChannelsOf(cmd.name, args.size());
    for (size_t i = channels.first; channels.first != 0 && i <= channels.last; ++i) {
      if (!MayUseChannel(args[i], channels.pattern)) return AclVerdict::kDeniedChannel;
    }
  }
  return AclVerdict::kAllowed;
}

}  // namespace slotgate
