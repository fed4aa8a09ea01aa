// The users clients log in as, with Redis's AUTH semantics: who a new client is, and who it is
// after AUTH or HELLO ... AUTH. With no users configured there is one, `default`: on, no
// password, every right (a Redis server's out-of-the-box user), and checks are skipped.
#pragma once

#include <deque>
#include <string>
#include <string_view>

#include "common/acl/acl_user.h"

namespace slotgate {

struct AclIdentity {
  std::string name;
  std::string password_sha256;  // empty: none (the rules said nopass)
  AclUser rights;
};

class UserDirectory {
 public:
  // Without users: `default` with every right.
  explicit UserDirectory(const CommandTable& table);

  // A configured user, its rules compiled against `table`: "" or the rules' error. The first
  // user added replaces the implicit `default`; a configured `default` is then like any other.
  std::string Add(std::string_view name, std::string_view password_sha256, std::string_view rules,
                  const CommandTable& table);

  // Whether users were configured, so requests are checked.
  bool enforced() const { return enforced_; }
  // Who a new (or RESET) client is: `default` when it is on and needs no password; nullptr
  // when the client must authenticate first.
  const AclIdentity* Initial() const;
  // `name` when `password` is its password (any, for a nopass user) and it is on; nullptr
  // otherwise (Redis answers WRONGPASS, and the client keeps who it was).
  const AclIdentity* Authenticate(std::string_view name, std::string_view password) const;
  // AUTH with a password alone names `default`, unless `default` needs none (an error then).
  bool DefaultNeedsNoPassword() const;

 private:
  const AclIdentity* Find(std::string_view name) const;

  std::deque<AclIdentity> users_;  // stable addresses: sessions point at their identity
  bool enforced_ = false;
};

}  // namespace slotgate
