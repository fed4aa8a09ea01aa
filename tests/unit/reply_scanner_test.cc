#include "common/resp/reply_scanner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/resp/redirect.h"

namespace slotgate {
namespace {

using ::testing::ElementsAre;

struct Scanned {
  size_t length;
  char first_byte;
  size_t value_offset;
  std::string error_line;
  bool operator==(const Scanned&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Scanned& s) {
  return os << "{" << s.length << ", '" << s.first_byte << "', " << s.value_offset << ", \""
            << s.error_line << "\"}";
}

// Scans the one reply that makes up all of `wire`.
ScanStatus ScanOne(std::string_view wire, ScannedReply* out) {
  ReplyScanner scanner;
  return scanner.Scan(wire, out);
}

// Feeds `wire` as `chunks` into a buffer the way a backend connection does, collecting replies.
std::vector<Scanned> Feed(const std::vector<std::string>& chunks, ScanStatus* last) {
  ReplyScanner scanner;
  std::vector<Scanned> replies;
  std::string buffer;
  *last = ScanStatus::kNeedMore;
  for (const std::string& chunk : chunks) {
    buffer += chunk;
    for (;;) {
      ScannedReply r;
      *last = scanner.Scan(buffer, &r);
      if (*last != ScanStatus::kComplete) break;
      replies.push_back({r.length, r.first_byte, r.value_offset, std::string(r.error_line)});
      buffer.erase(0, r.length);
    }
    if (*last == ScanStatus::kProtocolError) break;
  }
  return replies;
}

void ExpectComplete(const std::string& wire, char first_byte) {
  ScannedReply r;
  ASSERT_EQ(ScanOne(wire, &r), ScanStatus::kComplete) << wire;
  EXPECT_EQ(r.length, wire.size()) << wire;
  EXPECT_EQ(r.first_byte, first_byte) << wire;
  // Every proper prefix asks for more.
  for (size_t cut = 0; cut < wire.size(); ++cut) {
    ASSERT_EQ(ScanOne(std::string_view(wire).substr(0, cut), &r), ScanStatus::kNeedMore)
        << wire << " cut=" << cut;
  }
}

void ExpectProtocolError(const std::string& wire) {
  ScannedReply r;
  ReplyScanner scanner;
  EXPECT_EQ(scanner.Scan(wire, &r), ScanStatus::kProtocolError) << wire;
  EXPECT_FALSE(scanner.error().empty());
}

TEST(ReplyScanner, FramesEveryResp2Type) {
  ExpectComplete("+OK\r\n", '+');
  ExpectComplete("-ERR wrong\r\n", '-');
  ExpectComplete(":-42\r\n", ':');
  ExpectComplete("$5\r\nhello\r\n", '$');
  ExpectComplete("$0\r\n\r\n", '$');
  ExpectComplete("*2\r\n$1\r\na\r\n:1\r\n", '*');
  ExpectComplete("*0\r\n", '*');
}

TEST(ReplyScanner, FramesRespNulls) {
  ExpectComplete("$-1\r\n", '$');
  ExpectComplete("*-1\r\n", '*');
  ExpectComplete("_\r\n", '_');
  ExpectComplete("*3\r\n$-1\r\n*-1\r\n_\r\n", '*');
}

TEST(ReplyScanner, FramesEveryResp3ScalarType) {
  ExpectComplete(",3.14\r\n", ',');
  ExpectComplete(",-inf\r\n", ',');
  ExpectComplete("#t\r\n", '#');
  ExpectComplete("#f\r\n", '#');
  ExpectComplete("!21\r\nSYNTAX invalid syntax\r\n", '!');
  ExpectComplete("=15\r\ntxt:Some string\r\n", '=');
  ExpectComplete("(3492890328409238509324850943850943825024385\r\n", '(');
}

TEST(ReplyScanner, FramesEveryResp3AggregateType) {
  ExpectComplete("%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n", '%');
  ExpectComplete("~3\r\n+a\r\n+b\r\n+c\r\n", '~');
  ExpectComplete(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", '>');
  ExpectComplete("%0\r\n", '%');
  ExpectComplete("~0\r\n", '~');
}

TEST(ReplyScanner, FramesNestedAggregates) {
  ExpectComplete("*2\r\n*2\r\n:1\r\n*1\r\n$1\r\nx\r\n%1\r\n+k\r\n~1\r\n*0\r\n", '*');
  ExpectComplete("*1\r\n*1\r\n*1\r\n*1\r\n:7\r\n", '*');
}

TEST(ReplyScanner, AttributeBelongsToTheReplyAfterIt) {
  const std::string attribute =
      "|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.19\r\n$1\r\nb\r\n,0.5\r\n";
  const std::string wire = attribute + "*2\r\n:2039123\r\n:9543892\r\n";
  ExpectComplete(wire, '*');
  ScannedReply r;
  ASSERT_EQ(ScanOne(wire + "+next\r\n", &r), ScanStatus::kComplete);
  EXPECT_EQ(r.length, wire.size());
  EXPECT_EQ(r.value_offset, attribute.size());
}

TEST(ReplyScanner, AttributeInsideAnAggregateDoesNotCountAsAnElement) {
  ExpectComplete("*2\r\n:1\r\n|1\r\n+ttl\r\n:3600\r\n:2\r\n", '*');
  ExpectComplete("*1\r\n|0\r\n:2\r\n", '*');
}

TEST(ReplyScanner, ErrorLineIsTheTextWithoutDashAndCrlf) {
  ScannedReply r;
  ASSERT_EQ(ScanOne("-MOVED 3999 127.0.0.1:6381\r\n", &r), ScanStatus::kComplete);
  EXPECT_EQ(r.error_line, "MOVED 3999 127.0.0.1:6381");
  EXPECT_TRUE(r.is_error());
}

TEST(ReplyScanner, ErrorLineOfABlobErrorIsItsPayload) {
  ScannedReply r;
  ASSERT_EQ(ScanOne("!21\r\nSYNTAX invalid syntax\r\n", &r), ScanStatus::kComplete);
  EXPECT_EQ(r.error_line, "SYNTAX invalid syntax");
  EXPECT_TRUE(r.is_error());
}

TEST(ReplyScanner, ErrorLineIsEmptyForNonErrorsAndNestedErrors) {
  ScannedReply r;
  ASSERT_EQ(ScanOne("+OK\r\n", &r), ScanStatus::kComplete);
  EXPECT_TRUE(r.error_line.empty());
  EXPECT_FALSE(r.is_error());
  ASSERT_EQ(ScanOne("*1\r\n-ERR inside EXEC\r\n", &r), ScanStatus::kComplete);
  EXPECT_TRUE(r.error_line.empty());
}

TEST(ReplyScanner, ErrorLineAfterAnAttributeIsTheErrors) {
  ScannedReply r;
  ASSERT_EQ(ScanOne("|1\r\n+a\r\n+b\r\n-TRYAGAIN later\r\n", &r), ScanStatus::kComplete);
  EXPECT_EQ(r.first_byte, '-');
  EXPECT_EQ(r.error_line, "TRYAGAIN later");
}

TEST(ReplyScanner, BulkPayloadIsBinarySafe) {
  ExpectComplete(std::string("$6\r\n\r\n\0\r\n*\r\n", 12), '$');
}

const std::string kMixedStream =
    "+OK\r\n"
    "-MOVED 12182 10.0.0.2:7002\r\n"
    "$5\r\nhello\r\n"
    "*3\r\n$3\r\nfoo\r\n$-1\r\n:7\r\n"
    ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n"
    "|1\r\n+a\r\n#t\r\n%1\r\n$1\r\nk\r\n~2\r\n,1.5\r\n_\r\n"
    "!4\r\nOOPS\r\n"
    "=7\r\ntxt:abc\r\n"
    "(12345678901234567890\r\n"
    "*-1\r\n";

std::vector<Scanned> MixedReplies() {
  return {{5, '+', 0, ""},      {28, '-', 0, "MOVED 12182 10.0.0.2:7002"},
          {11, '$', 0, ""},     {22, '*', 0, ""},
          {33, '>', 0, ""},     {36, '%', 12, ""},
          {10, '!', 0, "OOPS"}, {13, '=', 0, ""},
          {23, '(', 0, ""},     {5, '*', 0, ""}};
}

TEST(ReplyScanner, MixedStreamScannedWholeYieldsEveryReply) {
  ScanStatus last;
  EXPECT_EQ(Feed({kMixedStream}, &last), MixedReplies());
  EXPECT_EQ(last, ScanStatus::kNeedMore);
}

TEST(ReplyScanner, MixedStreamSplitAtAnyPointYieldsTheSameReplies) {
  for (size_t cut = 0; cut <= kMixedStream.size(); ++cut) {
    ScanStatus last;
    ASSERT_EQ(Feed({kMixedStream.substr(0, cut), kMixedStream.substr(cut)}, &last), MixedReplies())
        << "cut=" << cut;
  }
}

TEST(ReplyScanner, MixedStreamFedOneByteAtATimeYieldsTheSameReplies) {
  std::vector<std::string> bytes;
  for (char c : kMixedStream) bytes.emplace_back(1, c);
  ScanStatus last;
  EXPECT_EQ(Feed(bytes, &last), MixedReplies());
}

// 32 MB in 4 KB reads would never finish if each read rescanned the reply.
TEST(ReplyScanner, LargeBulkInsideAnArrayFedInManyChunksIsFramedOnce) {
  const size_t size = 32 << 20;
  const std::string wire =
      "*2\r\n$" + std::to_string(size) + "\r\n" + std::string(size, 'v') + "\r\n+tail\r\n";
  ReplyScanner scanner;
  ScannedReply r;
  size_t fed = 0;
  ScanStatus status = ScanStatus::kNeedMore;
  while (status == ScanStatus::kNeedMore && fed < wire.size()) {
    fed = std::min(wire.size(), fed + 4096);
    status = scanner.Scan(std::string_view(wire).substr(0, fed), &r);
  }
  ASSERT_EQ(status, ScanStatus::kComplete);
  EXPECT_EQ(r.length, wire.size());
}

TEST(ReplyScanner, LongSimpleStringInManyChunksIsFramed) {
  const std::string wire = "+" + std::string(1 << 20, 's') + "\r\n";
  ReplyScanner scanner;
  ScannedReply r;
  for (size_t fed = 1; fed < wire.size(); fed += 1000) {
    ASSERT_EQ(scanner.Scan(std::string_view(wire).substr(0, fed), &r), ScanStatus::kNeedMore);
  }
  ASSERT_EQ(scanner.Scan(wire, &r), ScanStatus::kComplete);
  EXPECT_EQ(r.length, wire.size());
}

TEST(ReplyScanner, ResetForgetsAPartialReply) {
  ReplyScanner scanner;
  ScannedReply r;
  ASSERT_EQ(scanner.Scan("*2\r\n:1\r\n", &r), ScanStatus::kNeedMore);
  scanner.Reset();
  ASSERT_EQ(scanner.Scan(":5\r\n", &r), ScanStatus::kComplete);
  EXPECT_EQ(r.length, 4u);
}

TEST(ReplyScanner, UnknownTypeByteIsAProtocolError) {
  ExpectProtocolError("hello\r\n");
  ExpectProtocolError("*1\r\nX\r\n");
  ExpectProtocolError("\r\n");
}

TEST(ReplyScanner, BadLengthsAreProtocolErrors) {
  ExpectProtocolError("$abc\r\n");
  ExpectProtocolError("$-2\r\n");
  ExpectProtocolError("*-2\r\n");
  ExpectProtocolError("$01\r\n");
  ExpectProtocolError("$\r\n");
  ExpectProtocolError("%-1\r\n");
  ExpectProtocolError("!-1\r\n");
  ExpectProtocolError("~x\r\n");
}

TEST(ReplyScanner, StreamedStringsAreRefused) {
  ExpectProtocolError("$?\r\n;4\r\nHell\r\n;0\r\n");
  ExpectProtocolError("*?\r\n:1\r\n.\r\n");
}

TEST(ReplyScanner, OverlongLengthLineIsAProtocolErrorBeforeItEnds) {
  ExpectProtocolError("$" + std::string(30, '1'));
}

TEST(ReplyScanner, CrNotFollowedByLfIsAProtocolError) { ExpectProtocolError("+OK\rX\n"); }

TEST(ReplyScanner, BulkPayloadNotFollowedByCrlfIsAProtocolError) {
  ExpectProtocolError("$3\r\nabcde\r\n");
}

TEST(ReplyScanner, MalformedNullAndBooleanAreProtocolErrors) {
  ExpectProtocolError("_x\r\n");
  ExpectProtocolError("#x\r\n");
}

TEST(ReplyScanner, NestingBeyondTheLimitIsAProtocolError) {
  std::string ok;
  for (int i = 0; i < 3; ++i) ok += "*1\r\n";
  ok += ":1\r\n";
  ReplyScanner scanner(3);
  ScannedReply r;
  EXPECT_EQ(scanner.Scan(ok, &r), ScanStatus::kComplete);
  EXPECT_EQ(scanner.Scan("*1\r\n" + ok, &r), ScanStatus::kProtocolError);
}

// What Redis 7 sends for a script that returns a table containing itself: 7,995 nested
// one-element arrays, then its own error as the innermost element.
TEST(ReplyScanner, RedisDeepestScriptReplyIsOneReply) {
  std::string reply;
  for (int i = 0; i < 7995; ++i) reply += "*1\r\n";
  reply += "-ERR reached lua stack limit\r\n";
  ReplyScanner scanner;
  ScannedReply r;
  ASSERT_EQ(scanner.Scan(reply, &r), ScanStatus::kComplete);
  EXPECT_EQ(r.length, reply.size());
  EXPECT_EQ(r.first_byte, '*');
}

TEST(ReplyScanner, ProtocolErrorIsStickyUntilReset) {
  ReplyScanner scanner;
  ScannedReply r;
  ASSERT_EQ(scanner.Scan("?\r\n", &r), ScanStatus::kProtocolError);
  EXPECT_EQ(scanner.Scan("+OK\r\n", &r), ScanStatus::kProtocolError);
  scanner.Reset();
  EXPECT_EQ(scanner.Scan("+OK\r\n", &r), ScanStatus::kComplete);
}

TEST(ParseRedirect, ReadsMoved) {
  const auto r = ParseRedirect("MOVED 3999 127.0.0.1:6381");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, Redirect::kMoved);
  EXPECT_EQ(r->slot, 3999);
  EXPECT_EQ(r->host, "127.0.0.1");
  EXPECT_EQ(r->port, 6381);
}

TEST(ParseRedirect, ReadsAsk) {
  const auto r = ParseRedirect("ASK 0 redis-2.example:7002");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, Redirect::kAsk);
  EXPECT_EQ(r->slot, 0);
  EXPECT_EQ(r->host, "redis-2.example");
  EXPECT_EQ(r->port, 7002);
}

TEST(ParseRedirect, SplitsIpv6AtTheLastColon) {
  const auto r = ParseRedirect("MOVED 16383 2001:db8::1:6379");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->slot, 16383);
  EXPECT_EQ(r->host, "2001:db8::1");
  EXPECT_EQ(r->port, 6379);
}

TEST(ParseRedirect, StripsBracketsAroundIpv6) {
  const auto r = ParseRedirect("ASK 5 [::1]:7000");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->host, "::1");
  EXPECT_EQ(r->port, 7000);
}

TEST(ParseRedirect, KeepsAnEmptyOrUnknownHost) {
  const auto empty = ParseRedirect("MOVED 1 :6380");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->host, "");
  EXPECT_EQ(empty->port, 6380);
  const auto unknown = ParseRedirect("MOVED 1 ?:6380");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->host, "?");
}

TEST(ParseRedirect, RefusesOtherErrorsAndMalformedRedirects) {
  EXPECT_FALSE(ParseRedirect("TRYAGAIN Multiple keys request during rehashing of slot"));
  EXPECT_FALSE(ParseRedirect("MOVED"));
  EXPECT_FALSE(ParseRedirect("MOVED 3999"));
  EXPECT_FALSE(ParseRedirect("MOVED 16384 h:1"));
  EXPECT_FALSE(ParseRedirect("MOVED -1 h:1"));
  EXPECT_FALSE(ParseRedirect("MOVED x h:1"));
  EXPECT_FALSE(ParseRedirect("MOVED 1 host"));
  EXPECT_FALSE(ParseRedirect("MOVED 1 h:0"));
  EXPECT_FALSE(ParseRedirect("MOVED 1 h:65536"));
  EXPECT_FALSE(ParseRedirect("MOVED 1 h:"));
  EXPECT_FALSE(ParseRedirect("MOVED 1 h:1 extra"));
  EXPECT_FALSE(ParseRedirect("moved 1 h:1"));
  EXPECT_FALSE(ParseRedirect("MOVEDX 1 h:1"));
}

TEST(ErrorCode, IsTheFirstWord) {
  EXPECT_EQ(ErrorCode("CLUSTERDOWN Hash slot not served"), "CLUSTERDOWN");
  EXPECT_EQ(ErrorCode("TRYAGAIN"), "TRYAGAIN");
  EXPECT_EQ(ErrorCode(""), "");
}

}  // namespace
}  // namespace slotgate
