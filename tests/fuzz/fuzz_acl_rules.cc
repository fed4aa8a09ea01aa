// Feeds arbitrary bytes to the ACL rule parser as one rules string, then checks requests made of
// the same bytes against the user it built: any error must be Redis's shape, and applying the
// same rules twice to fresh users must give users that judge alike.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "common/acl/acl_user.h"
#include "common/commands/command_table.h"

namespace {

using slotgate::AclUser;
using slotgate::CommandLookup;
using slotgate::CommandTable;

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto table = CommandTable::Recorded();
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  AclUser first;
  AclUser second;
  const std::string error = first.Apply(bytes, *table);
  Check(error == second.Apply(bytes, *table));
  Check(error.empty() || error.starts_with("Error in ACL SETUSER modifier '"));

  // Requests: the words of the input, each command tried with the rest as its arguments.
  std::vector<std::string_view> words;
  for (size_t at = 0; at < bytes.size();) {
    const size_t end = std::min(bytes.find(' ', at), bytes.size());
    if (end > at) words.push_back(bytes.substr(at, end - at));
    at = end + 1;
  }
  for (size_t i = 0; i < words.size(); ++i) {
    const std::span<const std::string_view> args(words.data() + i, words.size() - i);
    const CommandLookup lookup = table->Find(args);
    if (lookup.status != CommandLookup::Status::kFound) continue;
    if (!lookup.command->ArityAllows(args.size())) continue;
    Check(first.Check(*lookup.command, args) == second.Check(*lookup.command, args));
  }
  return 0;
}
