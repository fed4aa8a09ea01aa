// ParseEndpoint is shared by the config loader and the proxy (MOVED/ASK targets), so its
// accepted shapes and its error phrases are pinned here.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "config/endpoint.h"

namespace slotgate {
namespace {

std::string WhyRefused(std::string_view text) {
  std::string why;
  const std::optional<Endpoint> endpoint = ParseEndpoint(text, &why);
  EXPECT_FALSE(endpoint.has_value()) << text;
  return why;
}

TEST(ParseEndpoint, AcceptsHostAndPort) {
  EXPECT_EQ(ParseEndpoint("127.0.0.1:7001", nullptr), (Endpoint{"127.0.0.1", 7001}));
  EXPECT_EQ(ParseEndpoint("redis-1.example_net:65535", nullptr),
            (Endpoint{"redis-1.example_net", 65535}));
  EXPECT_EQ(ParseEndpoint("localhost:1", nullptr), (Endpoint{"localhost", 1}));
}

TEST(ParseEndpoint, AcceptsBracketedIpv6WithOptionalZone) {
  EXPECT_EQ(ParseEndpoint("[::1]:7001", nullptr), (Endpoint{"::1", 7001}));
  EXPECT_EQ(ParseEndpoint("[fe80::1%eth0]:6379", nullptr), (Endpoint{"fe80::1%eth0", 6379}));
  EXPECT_EQ(ParseEndpoint("[::ffff:10.0.0.1]:6379", nullptr), (Endpoint{"::ffff:10.0.0.1", 6379}));
}

TEST(ParseEndpoint, ToStringParsesBack) {
  for (const Endpoint& endpoint : {Endpoint{"127.0.0.1", 6380}, Endpoint{"::1", 7001},
                                   Endpoint{"fe80::1%eth0", 1}, Endpoint{"redis", 65535}}) {
    EXPECT_EQ(ParseEndpoint(endpoint.ToString(), nullptr), endpoint) << endpoint.ToString();
  }
  EXPECT_EQ((Endpoint{"::1", 7001}).ToString(), "[::1]:7001");
  EXPECT_EQ((Endpoint{"127.0.0.1", 7001}).ToString(), "127.0.0.1:7001");
}

TEST(ParseEndpoint, RefusesAddressWithoutPort) {
  EXPECT_EQ(WhyRefused("127.0.0.1"), "has no port (expected host:port)");
  EXPECT_EQ(WhyRefused("127.0.0.1:"), "has no port (expected host:port)");
  EXPECT_EQ(WhyRefused("[::1]"), "has no port (expected [host]:port)");
  EXPECT_EQ(WhyRefused("[::1]:"), "has no port (expected [host]:port)");
}

TEST(ParseEndpoint, RefusesPortOutOfRange) {
  EXPECT_EQ(WhyRefused("127.0.0.1:0"), "has port 0 out of range 1-65535");
  EXPECT_EQ(WhyRefused("127.0.0.1:65536"), "has port 65536 out of range 1-65535");
  EXPECT_EQ(WhyRefused("h:99999999999999999999999"),
            "has port 99999999999999999999 out of range 1-65535");
}

TEST(ParseEndpoint, RefusesNonNumericPort) {
  EXPECT_EQ(WhyRefused("127.0.0.1:redis"), "has a port that is not a number ('redis')");
  EXPECT_EQ(WhyRefused("127.0.0.1:-1"), "has a port that is not a number ('-1')");
  EXPECT_EQ(WhyRefused("127.0.0.1: 1"), "has a port that is not a number (' 1')");
}

TEST(ParseEndpoint, RefusesBadHosts) {
  EXPECT_EQ(WhyRefused(""), "is empty (expected host:port)");
  EXPECT_EQ(WhyRefused(":6379"), "has an empty host");
  EXPECT_EQ(WhyRefused("[]:6379"), "has an empty host");
  EXPECT_EQ(WhyRefused("a b:6379"), "has an invalid character ' ' in its host");
  EXPECT_EQ(WhyRefused(std::string("a\0b:1", 5)), "has an invalid character '\\x00' in its host");
  EXPECT_EQ(WhyRefused(std::string(256, 'a') + ":1"), "has a host longer than 255 characters");
}

TEST(ParseEndpoint, RefusesMalformedIpv6) {
  EXPECT_EQ(WhyRefused("::1:7001"), "has an IPv6 address without brackets (expected [host]:port)");
  EXPECT_EQ(WhyRefused("[::1:7001"), "has an unclosed '[' (expected [host]:port)");
  EXPECT_EQ(WhyRefused("[::1]7001"), "has unexpected text after ']' (expected [host]:port)");
  EXPECT_EQ(WhyRefused("[host]:1"), "has no IPv6 address inside its brackets");
  EXPECT_EQ(WhyRefused("[::g]:1"), "has an invalid character 'g' in its IPv6 address");
  EXPECT_EQ(WhyRefused("[::1%]:1"), "has an invalid IPv6 zone");
}

TEST(ParseEndpoint, WhyMayBeNull) { EXPECT_FALSE(ParseEndpoint("nope", nullptr).has_value()); }

}  // namespace
}  // namespace slotgate
