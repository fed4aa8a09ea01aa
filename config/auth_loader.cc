// The `auth` section: the users clients log in as, each with one password source and Redis
// ACL rules. A password is read here, kept only as its SHA-256 (as Redis keeps it), and never
// written into an error: errors name the file or the variable, never what they hold.
#include <set>
#include <string>

#include "common/acl/acl_user.h"
#include "common/commands/command_table.h"
#include "common/digest.h"
#include "common/text.h"
#include "config/loader.h"
#include "config/password.h"
#include "config/quote.h"
#include "config/schema.h"
#include "config/yaml_values.h"

namespace slotgate {
namespace {

bool IsSha256Hex(std::string_view text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

bool SaysNopass(std::string_view rules) {
  for (size_t at = 0; at < rules.size();) {
    const size_t end = std::min(rules.find(' ', at), rules.size());
    if (EqualsIgnoreCase(rules.substr(at, end - at), "nopass")) return true;
    at = end + 1;
  }
  return false;
}

// One item of `auth.users`; nullopt when anything in it was refused (all of it is reported).
std::optional<AuthUser> ReadUser(const YAML::Node& item, Diagnostics* diagnostics,
                                 std::set<std::string>* names) {
  const Position item_at = PositionOf(item.Mark());
  if (!item.IsMap()) {
    diagnostics->Add(
        item_at, "a user must be a map (name, a password source, rules), got " + Describe(item));
    return std::nullopt;
  }
  AuthUser user;
  bool ok = true;
  int password_sources = 0;
  Position rules_at = item_at;
  ok &= ForEachEntry(
      item, Section::kAuthUser, diagnostics,
      [&](const std::string& key, const YAML::Node& key_node, const YAML::Node& value) {
        const Position at = ValuePosition(key_node, value);
        if (!value.IsScalar() || value.Scalar().empty()) {
          diagnostics->Add(at, key + " must be a non-empty text, got " + Describe(value));
          ok = false;
          return;
        }
        const std::string& text = value.Scalar();
        std::string why;
        if (key == "name") {
          user.name = text;
          if (text.find_first_of(" \t\r\n") != std::string::npos) {
            diagnostics->Add(at, "a user name cannot contain spaces: " + Quote(text));
            ok = false;
          }
        } else if (key == "rules") {
          user.rules = text;
          rules_at = at;
        } else if (key == "password_file") {
          ++password_sources;
          if (auto password = ReadPasswordFile(text, &why)) {
            user.password_sha256 = Sha256Hex(*password);
          }
        } else if (key == "password_env") {
          ++password_sources;
          if (auto password = ReadPasswordEnv(text, key, &why)) {
            user.password_sha256 = Sha256Hex(*password);
          }
        } else if (key == "password_sha256") {
          ++password_sources;
          if (IsSha256Hex(text)) {
            user.password_sha256 = text;
          } else {
            why = "password_sha256 must be 64 lower-case hex digits (sha256sum's output)";
          }
        }
        if (!why.empty()) {
          diagnostics->Add(at, why);
          ok = false;
        }
      });
  if (user.name.empty()) {
    diagnostics->Add(item_at, "a user needs a name");
    return std::nullopt;
  }
  if (!names->insert(user.name).second) {
    diagnostics->Add(item_at, "user " + Quote(user.name) + " is defined twice");
    ok = false;
  }
  AclUser rights;
  const std::string rules_error = rights.Apply(user.rules, *CommandTable::Recorded());
  if (!rules_error.empty()) {
    diagnostics->Add(rules_at, "rules of user " + Quote(user.name) + ": " + rules_error);
    ok = false;
  }
  if (password_sources > 1) {
    diagnostics->Add(item_at, "user " + Quote(user.name) +
                                  " has more than one of password_file, password_env and "
                                  "password_sha256");
    ok = false;
  } else if (password_sources == 0 && !SaysNopass(user.rules)) {
    diagnostics->Add(item_at, "user " + Quote(user.name) +
                                  " needs a password (password_file, password_env or "
                                  "password_sha256), or 'nopass' in its rules");
    ok = false;
  }
  if (!ok) return std::nullopt;
  return user;
}

}  // namespace

void ReadAuth(const YAML::Node& key, const YAML::Node& value, Config* config,
              Diagnostics* diagnostics) {
  if (!ExpectMap(key, value, "auth", diagnostics)) return;
  ForEachEntry(value, Section::kAuth, diagnostics,
               [&](const std::string&, const YAML::Node& users_key, const YAML::Node& users) {
                 if (!ExpectList(users_key, users, "auth.users", "users", diagnostics)) return;
                 std::set<std::string> names;  // of refused users too
                 for (const YAML::Node& item : users) {
                   std::optional<AuthUser> user = ReadUser(item, diagnostics, &names);
                   if (user) config->users.push_back(std::move(*user));
                 }
               });
}

}  // namespace slotgate
