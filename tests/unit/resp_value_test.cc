#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "common/resp/value.h"

namespace slotgate {
namespace {

using Type = RespValue::Type;

RespValue Decode(const std::string& wire) {
  RespValue v;
  size_t used = 0;
  EXPECT_EQ(DecodeValue(wire, &used, &v), DecodeStatus::kOk) << wire;
  EXPECT_EQ(used, wire.size()) << wire;
  return v;
}

DecodeStatus StatusOf(const std::string& wire) {
  RespValue v;
  size_t used = 0;
  return DecodeValue(wire, &used, &v);
}

TEST(DecodeValue, SimpleString) {
  const RespValue v = Decode("+OK\r\n");
  EXPECT_EQ(v.type, Type::kSimpleString);
  EXPECT_EQ(v.str, "OK");
  EXPECT_TRUE(v.is_string());
}

TEST(DecodeValue, Error) {
  const RespValue v = Decode("-ERR unknown command\r\n");
  EXPECT_EQ(v.type, Type::kError);
  EXPECT_EQ(v.str, "ERR unknown command");
  EXPECT_TRUE(v.is_error());
}

TEST(DecodeValue, Integer) {
  const RespValue v = Decode(":-9223372036854775808\r\n");
  EXPECT_EQ(v.type, Type::kInteger);
  EXPECT_EQ(v.integer, std::numeric_limits<int64_t>::min());
}

TEST(DecodeValue, BulkStringIsBinarySafe) {
  const RespValue v = Decode(std::string("$5\r\na\0\r\nb\r\n", 11));
  EXPECT_EQ(v.type, Type::kBulkString);
  EXPECT_EQ(v.str, std::string("a\0\r\nb", 5));
}

TEST(DecodeValue, AllNullsAreNull) {
  EXPECT_EQ(Decode("$-1\r\n").type, Type::kNull);
  EXPECT_EQ(Decode("*-1\r\n").type, Type::kNull);
  EXPECT_EQ(Decode("_\r\n").type, Type::kNull);
}

TEST(DecodeValue, Array) {
  const RespValue v = Decode("*3\r\n:1\r\n$1\r\nx\r\n*0\r\n");
  ASSERT_EQ(v.type, Type::kArray);
  ASSERT_EQ(v.elements.size(), 3u);
  EXPECT_EQ(v.elements[0].integer, 1);
  EXPECT_EQ(v.elements[1].str, "x");
  EXPECT_EQ(v.elements[2].type, Type::kArray);
  EXPECT_TRUE(v.elements[2].elements.empty());
}

TEST(DecodeValue, MapIsFlattenedKeyValue) {
  const RespValue v = Decode("%2\r\n+first\r\n:1\r\n$6\r\nsecond\r\n:2\r\n");
  ASSERT_EQ(v.type, Type::kMap);
  ASSERT_EQ(v.elements.size(), 4u);
  EXPECT_EQ(v.elements[2].str, "second");
  ASSERT_NE(v.MapGet("second"), nullptr);
  EXPECT_EQ(v.MapGet("second")->integer, 2);
  EXPECT_EQ(v.MapGet("third"), nullptr);
}

TEST(DecodeValue, SetAndPush) {
  EXPECT_EQ(Decode("~2\r\n+a\r\n+b\r\n").type, Type::kSet);
  const RespValue push = Decode(">2\r\n+invalidate\r\n*1\r\n$3\r\nkey\r\n");
  EXPECT_EQ(push.type, Type::kPush);
  EXPECT_EQ(push.elements[1].elements[0].str, "key");
}

TEST(DecodeValue, Doubles) {
  EXPECT_EQ(Decode(",1.23\r\n").dbl, 1.23);
  EXPECT_EQ(Decode(",1.23\r\n").str, "1.23");
  EXPECT_EQ(Decode(",-5e-3\r\n").dbl, -5e-3);
  EXPECT_EQ(Decode(",+7\r\n").dbl, 7.0);
  EXPECT_EQ(Decode(",10\r\n").dbl, 10.0);
  EXPECT_EQ(Decode(",inf\r\n").dbl, std::numeric_limits<double>::infinity());
  EXPECT_EQ(Decode(",-inf\r\n").dbl, -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(Decode(",nan\r\n").dbl));
  EXPECT_EQ(Decode(",inf\r\n").type, Type::kDouble);
}

TEST(DecodeValue, Booleans) {
  EXPECT_EQ(Decode("#t\r\n").type, Type::kBoolean);
  EXPECT_EQ(Decode("#t\r\n").integer, 1);
  EXPECT_EQ(Decode("#f\r\n").integer, 0);
}

TEST(DecodeValue, BigNumber) {
  const RespValue v = Decode("(-3492890328409238509324850943850943825024385\r\n");
  EXPECT_EQ(v.type, Type::kBigNumber);
  EXPECT_EQ(v.str, "-3492890328409238509324850943850943825024385");
}

TEST(DecodeValue, VerbatimDropsItsFormatPrefix) {
  const RespValue v = Decode("=15\r\ntxt:Some string\r\n");
  EXPECT_EQ(v.type, Type::kVerbatim);
  EXPECT_EQ(v.str, "Some string");
  EXPECT_TRUE(v.is_string());
}

TEST(DecodeValue, BlobError) {
  const RespValue v = Decode("!21\r\nSYNTAX invalid syntax\r\n");
  EXPECT_EQ(v.type, Type::kBlobError);
  EXPECT_EQ(v.str, "SYNTAX invalid syntax");
}

TEST(DecodeValue, AttributesAreSkipped) {
  const RespValue v =
      Decode("|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*1\r\n|0\r\n:5\r\n");
  ASSERT_EQ(v.type, Type::kArray);
  ASSERT_EQ(v.elements.size(), 1u);
  EXPECT_EQ(v.elements[0].integer, 5);
}

TEST(DecodeValue, ConsumesOnlyTheFirstReply) {
  RespValue v;
  size_t used = 0;
  ASSERT_EQ(DecodeValue("+a\r\n+b\r\n", &used, &v), DecodeStatus::kOk);
  EXPECT_EQ(used, 4u);
  EXPECT_EQ(v.str, "a");
}

TEST(DecodeValue, MapGetWorksOnFlatResp2Arrays) {
  // One CLUSTER SHARDS entry as RESP2 sends it.
  const RespValue shard = Decode(
      "*4\r\n$5\r\nslots\r\n*2\r\n:0\r\n:5460\r\n$5\r\nnodes\r\n*1\r\n"
      "*4\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$4\r\nport\r\n:7001\r\n");
  ASSERT_NE(shard.MapGet("slots"), nullptr);
  EXPECT_EQ(shard.MapGet("slots")->elements[1].integer, 5460);
  const RespValue& node = shard.MapGet("nodes")->elements[0];
  EXPECT_EQ(node.MapGet("ip")->str, "127.0.0.1");
  EXPECT_EQ(node.MapGet("port")->integer, 7001);
  EXPECT_EQ(node.MapGet("missing"), nullptr);
}

TEST(DecodeValue, MapGetIsNullOnNonAggregates) {
  EXPECT_EQ(Decode("+slots\r\n").MapGet("slots"), nullptr);
}

const std::string kNested =
    "*3\r\n%1\r\n+k\r\n~2\r\n#t\r\n,2.5\r\n$3\r\nabc\r\n>1\r\n*1\r\n(99\r\n";

TEST(DecodeValue, NestedValueDecodesExactly) {
  const RespValue v = Decode(kNested);
  ASSERT_EQ(v.elements.size(), 3u);
  EXPECT_EQ(v.elements[0].type, Type::kMap);
  EXPECT_EQ(v.elements[0].elements[1].type, Type::kSet);
  EXPECT_EQ(v.elements[0].elements[1].elements[1].dbl, 2.5);
  EXPECT_EQ(v.elements[2].elements[0].elements[0].str, "99");
}

TEST(DecodeValue, EveryProperPrefixNeedsMore) {
  for (size_t cut = 0; cut < kNested.size(); ++cut) {
    EXPECT_EQ(StatusOf(kNested.substr(0, cut)), DecodeStatus::kNeedMore) << "cut=" << cut;
  }
}

std::string NestedArrays(size_t depth) {
  std::string wire;
  for (size_t i = 0; i < depth; ++i) wire += "*1\r\n";
  return wire + ":1\r\n";
}

TEST(DecodeValue, NestingUpToTheLimitDecodes) {
  const RespValue v = Decode(NestedArrays(kMaxDecodeNesting));
  EXPECT_EQ(v.type, Type::kArray);
}

TEST(DecodeValue, NestingBeyondTheLimitIsAProtocolError) {
  EXPECT_EQ(StatusOf(NestedArrays(kMaxDecodeNesting + 1)), DecodeStatus::kProtocolError);
}

TEST(DecodeValue, MalformedContentIsAProtocolError) {
  EXPECT_EQ(StatusOf(":12a\r\n"), DecodeStatus::kProtocolError);
  EXPECT_EQ(StatusOf(",abc\r\n"), DecodeStatus::kProtocolError);
  EXPECT_EQ(StatusOf(",1.5x\r\n"), DecodeStatus::kProtocolError);
  EXPECT_EQ(StatusOf(",\r\n"), DecodeStatus::kProtocolError);
  EXPECT_EQ(StatusOf("(12x\r\n"), DecodeStatus::kProtocolError);
  EXPECT_EQ(StatusOf("=3\r\ntxt\r\n"), DecodeStatus::kProtocolError);
  EXPECT_EQ(StatusOf("=5\r\ntxt-a\r\n"), DecodeStatus::kProtocolError);
  EXPECT_EQ(StatusOf("#x\r\n"), DecodeStatus::kProtocolError);
  EXPECT_EQ(StatusOf("?\r\n"), DecodeStatus::kProtocolError);
}

}  // namespace
}  // namespace slotgate
