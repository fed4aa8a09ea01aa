#include "common/commands/command_doc.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "common/commands/command_policy.h"

namespace slotgate {
namespace {

// "config|set" -> "CONFIG SET".
std::string DisplayName(std::string_view name) {
  std::string out;
  for (const char c : name) {
    out.push_back(c == '|' ? ' ' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

// A table cell holds no '|' of its own.
std::string Cell(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string Details(const PolicyDecision& decision) {
  std::string details;
  if (decision.policy == CommandPolicy::kRefused) {
    details = "`-" + std::string(decision.reason) + "`";
  } else {
    details = std::string(decision.note);
  }
  if (decision.admin) {
    details += (details.empty() ? "" : "; ") + std::string("refused when `admin_commands: false`");
  }
  return Cell(details);
}

}  // namespace

std::string CommandTableMarkdown(const CommandTable& table) {
  std::vector<const CommandInfo*> rows;
  for (const auto& [name, cmd] : table.commands()) {
    if (cmd.subcommands.empty()) rows.push_back(&cmd);
    for (const CommandInfo& sub : cmd.subcommands) rows.push_back(&sub);
  }
  std::sort(rows.begin(), rows.end(),
            [](const CommandInfo* a, const CommandInfo* b) { return a->name < b->name; });
  std::string out(kCommandTableBegin);
  out.append("\n\n| command | what slotgate does | details |\n| --- | --- | --- |\n");
  for (const CommandInfo* cmd : rows) {
    // Decided afresh rather than read from the cached fields, so a table built by hand works.
    const PolicyDecision decision = PolicyFor(*cmd);
    out.append("| `" + DisplayName(cmd->name) + "` | " + std::string(PolicyName(decision.policy)) +
               " | " + Details(decision) + " |\n");
  }
  out.append("\n");
  out.append(kCommandTableEnd);
  out.append("\n");
  return out;
}

}  // namespace slotgate
