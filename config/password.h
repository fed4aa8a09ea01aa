// Where a password comes from in the YAML file: a file (its trailing line end dropped, as
// operators write them) or an environment variable. Errors name the source, never the text.
#pragma once

#include <optional>
#include <string>

namespace slotgate {

std::optional<std::string> ReadPasswordFile(const std::string& path, std::string* why);
// `key` names the setting in errors ("password_env").
std::optional<std::string> ReadPasswordEnv(const std::string& name, std::string_view key,
                                           std::string* why);

}  // namespace slotgate
