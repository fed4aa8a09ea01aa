#include "common/acl/user_directory.h"

#include "common/digest.h"

namespace slotgate {

UserDirectory::UserDirectory(const CommandTable& table) {
  AclIdentity& everyone = users_.emplace_back();
  everyone.name = "default";
  everyone.rights.Apply("on nopass allcommands allkeys allchannels", table);
}

std::string UserDirectory::Add(std::string_view name, std::string_view password_sha256,
                               std::string_view rules, const CommandTable& table) {
  if (!enforced_) users_.clear();
  enforced_ = true;
  AclIdentity& user = users_.emplace_back();
  user.name = name;
  user.password_sha256 = password_sha256;
  return user.rights.Apply(rules, table);
}

const AclIdentity* UserDirectory::Find(std::string_view name) const {
  for (const AclIdentity& user : users_) {
    if (user.name == name) return &user;
  }
  return nullptr;
}

const AclIdentity* UserDirectory::Initial() const {
  const AclIdentity* user = Find("default");
  return user && user->rights.enabled() && user->rights.nopass() ? user : nullptr;
}

const AclIdentity* UserDirectory::Authenticate(std::string_view name,
                                               std::string_view password) const {
  const AclIdentity* user = Find(name);
  if (!user || !user->rights.enabled()) return nullptr;
  if (user->rights.nopass()) return user;
  if (user->password_sha256.empty()) return nullptr;
  // Compared in constant time, as Redis does, so timing tells nothing of the digest.
  const std::string given = Sha256Hex(password);
  if (given.size() != user->password_sha256.size()) return nullptr;
  unsigned char differ = 0;
  for (size_t i = 0; i < given.size(); ++i) {
    differ |= static_cast<unsigned char>(given[i] ^ user->password_sha256[i]);
  }
  return differ == 0 ? user : nullptr;
}

bool UserDirectory::DefaultNeedsNoPassword() const {
  const AclIdentity* user = Find("default");
  return user && user->rights.nopass();
}

}  // namespace slotgate
