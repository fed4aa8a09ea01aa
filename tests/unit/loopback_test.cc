#include "common/loopback.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <string>

namespace slotgate {
namespace {

bool Loopback(const std::string& text) {
  sockaddr_storage storage{};
  if (text.find(':') != std::string::npos) {
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
    v6->sin6_family = AF_INET6;
    EXPECT_EQ(inet_pton(AF_INET6, text.c_str(), &v6->sin6_addr), 1) << text;
  } else {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
    v4->sin_family = AF_INET;
    EXPECT_EQ(inet_pton(AF_INET, text.c_str(), &v4->sin_addr), 1) << text;
  }
  return IsLoopbackAddress(reinterpret_cast<const sockaddr*>(&storage));
}

TEST(Loopback, OnlyTheLoopbackInterfaceCounts) {
  EXPECT_TRUE(Loopback("127.0.0.1"));
  EXPECT_TRUE(Loopback("127.255.0.9"));
  EXPECT_TRUE(Loopback("::1"));
  EXPECT_TRUE(Loopback("::ffff:127.0.0.1"));
  EXPECT_FALSE(Loopback("10.0.0.1"));
  EXPECT_FALSE(Loopback("128.0.0.1"));
  EXPECT_FALSE(Loopback("0.0.0.0"));
  EXPECT_FALSE(Loopback("::ffff:10.0.0.1"));
  EXPECT_FALSE(Loopback("fd00::2"));
  EXPECT_FALSE(Loopback("::"));
}

}  // namespace
}  // namespace slotgate
