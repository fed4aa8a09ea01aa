#include "config/password.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "config/quote.h"

namespace slotgate {

std::optional<std::string> ReadPasswordFile(const std::string& path, std::string* why) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    *why = "cannot read password file " + Quote(path) + ": " + std::strerror(errno);
    return std::nullopt;
  }
  std::stringstream text;
  text << file.rdbuf();
  std::string password = text.str();
  if (password.ends_with('\n')) password.pop_back();
  if (password.ends_with('\r')) password.pop_back();
  if (password.empty()) {
    *why = "password file " + Quote(path) + " is empty";
    return std::nullopt;
  }
  return password;
}

std::optional<std::string> ReadPasswordEnv(const std::string& name, std::string_view key,
                                           std::string* why) {
  const char* password = std::getenv(name.c_str());
  if (!password || *password == '\0') {
    *why = "environment variable " + name + " (" + std::string(key) + ") is " +
           (password ? "empty" : "not set");
    return std::nullopt;
  }
  return std::string(password);
}

}  // namespace slotgate
