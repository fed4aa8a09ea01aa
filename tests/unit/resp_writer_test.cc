#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "common/errors.h"
#include "common/resp/value.h"
#include "common/resp/writer.h"

namespace slotgate {
namespace {

template <typename F>
std::string Written(F write) {
  std::string out;
  write(out);
  return out;
}

TEST(RespWriter, SimpleString) {
  EXPECT_EQ(Written([](std::string& o) { WriteSimpleString(o, "OK"); }), "+OK\r\n");
}

TEST(RespWriter, ErrorGetsDashAndCrlf) {
  EXPECT_EQ(Written([](std::string& o) { WriteError(o, errors::kCrossSlot); }),
            "-CROSSSLOT Keys in request don't hash to the same slot\r\n");
}

TEST(RespWriter, CrAndLfInALineBecomeSpaces) {
  EXPECT_EQ(Written([](std::string& o) { WriteError(o, "ERR a\r\nb"); }), "-ERR a  b\r\n");
  EXPECT_EQ(Written([](std::string& o) { WriteSimpleString(o, "x\ny"); }), "+x y\r\n");
}

TEST(RespWriter, Integers) {
  EXPECT_EQ(Written([](std::string& o) { WriteInteger(o, 0); }), ":0\r\n");
  EXPECT_EQ(Written([](std::string& o) { WriteInteger(o, -42); }), ":-42\r\n");
  EXPECT_EQ(Written([](std::string& o) { WriteInteger(o, std::numeric_limits<int64_t>::min()); }),
            ":-9223372036854775808\r\n");
}

TEST(RespWriter, BulkStringIsBinarySafe) {
  EXPECT_EQ(Written([](std::string& o) { WriteBulkString(o, std::string("a\0\r\n", 4)); }),
            std::string("$4\r\na\0\r\n\r\n", 10));
  EXPECT_EQ(Written([](std::string& o) { WriteBulkString(o, ""); }), "$0\r\n\r\n");
}

TEST(RespWriter, Resp2Nulls) {
  EXPECT_EQ(Written([](std::string& o) { WriteNullBulk(o); }), "$-1\r\n");
  EXPECT_EQ(Written([](std::string& o) { WriteNullArray(o); }), "*-1\r\n");
}

TEST(RespWriter, AggregateHeaders) {
  EXPECT_EQ(Written([](std::string& o) { WriteArrayHeader(o, 3); }), "*3\r\n");
  EXPECT_EQ(Written([](std::string& o) { WriteMapHeader(o, 2); }), "%2\r\n");
  EXPECT_EQ(Written([](std::string& o) { WriteSetHeader(o, 0); }), "~0\r\n");
  EXPECT_EQ(Written([](std::string& o) { WritePushHeader(o, 3); }), ">3\r\n");
  EXPECT_EQ(Written([](std::string& o) { WriteAttributeHeader(o, 1); }), "|1\r\n");
}

TEST(RespWriter, Resp3Null) {
  EXPECT_EQ(Written([](std::string& o) { WriteNull(o); }), "_\r\n");
}

TEST(RespWriter, DoublesUseTheShortestExactText) {
  EXPECT_EQ(Written([](std::string& o) { WriteDouble(o, 3.14); }), ",3.14\r\n");
  EXPECT_EQ(Written([](std::string& o) { WriteDouble(o, 1.0); }), ",1\r\n");
  EXPECT_EQ(Written([](std::string& o) { WriteDouble(o, -0.5); }), ",-0.5\r\n");
  EXPECT_EQ(Written([](std::string& o) { WriteDouble(o, 1e300); }), ",1e+300\r\n");
}

TEST(RespWriter, DoubleSpecialValuesAsResp3SpellsThem) {
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(Written([&](std::string& o) { WriteDouble(o, inf); }), ",inf\r\n");
  EXPECT_EQ(Written([&](std::string& o) { WriteDouble(o, -inf); }), ",-inf\r\n");
  EXPECT_EQ(Written([](std::string& o) { WriteDouble(o, std::nan("")); }), ",nan\r\n");
}

TEST(RespWriter, Booleans) {
  EXPECT_EQ(Written([](std::string& o) { WriteBoolean(o, true); }), "#t\r\n");
  EXPECT_EQ(Written([](std::string& o) { WriteBoolean(o, false); }), "#f\r\n");
}

TEST(RespWriter, BigNumber) {
  EXPECT_EQ(Written([](std::string& o) { WriteBigNumber(o, "-3492890328409238509324850943"); }),
            "(-3492890328409238509324850943\r\n");
}

TEST(RespWriter, VerbatimCarriesItsThreeCharacterFormat) {
  EXPECT_EQ(Written([](std::string& o) { WriteVerbatim(o, "txt", "Some string"); }),
            "=15\r\ntxt:Some string\r\n");
  EXPECT_EQ(Written([](std::string& o) { WriteVerbatim(o, "md", ""); }), "=4\r\nmd :\r\n");
}

TEST(RespWriter, BlobError) {
  EXPECT_EQ(Written([](std::string& o) { WriteBlobError(o, "SYNTAX invalid syntax"); }),
            "!21\r\nSYNTAX invalid syntax\r\n");
}

TEST(RespWriter, CommandIsAMultibulkOfBulkStrings) {
  EXPECT_EQ(Written([](std::string& o) { WriteCommand(o, {"ASKING"}); }), "*1\r\n$6\r\nASKING\r\n");
  EXPECT_EQ(Written([](std::string& o) {
              WriteCommand(o, {"CLUSTER", "SHARDS"});
            }),
            "*2\r\n$7\r\nCLUSTER\r\n$6\r\nSHARDS\r\n");
  const std::vector<std::string_view> args = {"SET", "k", ""};
  EXPECT_EQ(Written([&](std::string& o) { WriteCommand(o, args); }),
            "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n");
}

TEST(RespWriter, AppendsWithoutTouchingWhatIsThere) {
  std::string out = "+PONG\r\n";
  WriteInteger(out, 1);
  EXPECT_EQ(out, "+PONG\r\n:1\r\n");
}

// Round trips: what the writer produces, the decoder reads back to the same value.
RespValue Decoded(const std::string& wire) {
  RespValue v;
  size_t used = 0;
  EXPECT_EQ(DecodeValue(wire, &used, &v), DecodeStatus::kOk) << wire;
  EXPECT_EQ(used, wire.size());
  return v;
}

TEST(RespWriterRoundTrip, ScalarsDecodeToWhatWasWritten) {
  std::string out;
  WriteSimpleString(out, "OK");
  EXPECT_EQ(Decoded(out).str, "OK");
  out.clear();
  WriteInteger(out, -7);
  EXPECT_EQ(Decoded(out).integer, -7);
  out.clear();
  WriteDouble(out, 0.1);
  EXPECT_EQ(Decoded(out).dbl, 0.1);
  out.clear();
  WriteDouble(out, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(Decoded(out).dbl, -std::numeric_limits<double>::infinity());
  out.clear();
  WriteDouble(out, std::nan(""));
  EXPECT_TRUE(std::isnan(Decoded(out).dbl));
  out.clear();
  WriteVerbatim(out, "mkd", "# title");
  EXPECT_EQ(Decoded(out).type, RespValue::Type::kVerbatim);
  EXPECT_EQ(Decoded(out).str, "# title");
  out.clear();
  WriteBlobError(out, "ERR x");
  EXPECT_EQ(Decoded(out).type, RespValue::Type::kBlobError);
  out.clear();
  WriteBoolean(out, true);
  EXPECT_EQ(Decoded(out).integer, 1);
}

TEST(RespWriterRoundTrip, NestedAggregateDecodesAndWritesBackIdentically) {
  std::string out;
  WriteAttributeHeader(out, 1);
  WriteSimpleString(out, "ttl");
  WriteInteger(out, 5);
  WriteMapHeader(out, 2);
  WriteBulkString(out, "nodes");
  WriteArrayHeader(out, 2);
  WriteBulkString(out, "a");
  WriteNull(out);  // a RESP2 null bulk would come back as the RESP3 null
  WriteSimpleString(out, "flags");
  WriteSetHeader(out, 3);
  WriteBoolean(out, false);
  WriteNull(out);
  WriteBigNumber(out, "123456789012345678901234567890");
  const RespValue v = Decoded(out);
  ASSERT_EQ(v.type, RespValue::Type::kMap);
  ASSERT_NE(v.MapGet("nodes"), nullptr);
  EXPECT_EQ(v.MapGet("nodes")->elements[0].str, "a");
  std::string again;
  WriteValue(again, v);
  // Everything but the attribute, which decoding skips.
  EXPECT_EQ(again, out.substr(out.find('%')));
}

TEST(RespWriterRoundTrip, CommandDecodesToItsArguments) {
  std::string out;
  WriteCommand(out, {"CLUSTER", "SHARDS"});
  const RespValue v = Decoded(out);
  ASSERT_EQ(v.elements.size(), 2u);
  EXPECT_EQ(v.elements[0].str, "CLUSTER");
  EXPECT_EQ(v.elements[1].str, "SHARDS");
}

}  // namespace
}  // namespace slotgate
