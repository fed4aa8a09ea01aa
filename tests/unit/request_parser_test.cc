#include "common/resp/request_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/errors.h"

namespace slotgate {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// A parsed request, copied out of the views so it outlives the buffer.
struct Parsed {
  std::vector<std::string> args;
  std::string raw;
  bool is_inline;
  bool operator==(const Parsed&) const = default;
};

Parsed Copy(const Request& req) {
  Parsed p{{}, std::string(req.raw), req.is_inline};
  for (std::string_view a : req.args) p.args.emplace_back(a);
  return p;
}

// Feeds `chunks` the way a session would: append to a buffer, parse all whole requests, drop
// the consumed bytes. Stops at the first protocol error.
struct FeedResult {
  std::vector<Parsed> requests;
  ParseStatus last = ParseStatus::kNeedMore;
  std::string error;
  std::string leftover;
};

FeedResult Feed(const std::vector<std::string>& chunks, ParseLimits limits = {}) {
  RequestParser parser(limits);
  Request req;
  FeedResult result;
  std::string buffer;
  for (const std::string& chunk : chunks) {
    buffer += chunk;
    for (;;) {
      size_t used = 0;
      result.last = parser.Parse(buffer, &used, &req);
      if (result.last == ParseStatus::kOk) result.requests.push_back(Copy(req));
      if (result.last == ParseStatus::kProtocolError) {
        result.error = std::string(parser.error());
        return result;
      }
      buffer.erase(0, used);
      if (result.last == ParseStatus::kNeedMore) break;
    }
  }
  result.leftover = buffer;
  return result;
}

FeedResult FeedWhole(const std::string& wire, ParseLimits limits = {}) {
  return Feed({wire}, limits);
}

// The error a lone, whole request gets.
std::string ErrorOf(const std::string& wire, ParseLimits limits = {}) {
  return FeedWhole(wire, limits).error;
}

const std::string kPipeline =
    "*3\r\n$3\r\nSET\r\n$4\r\nk{1}\r\n$5\r\nhello\r\n"
    "PING\r\n"
    "\r\n"
    "*0\r\n"
    "*2\r\n$3\r\nGET\r\n$4\r\nk{1}\r\n"
    "SET k \"a b\\x41\" 'c\\'d'\n"
    "*-1\r\n"
    "*1\r\n$4\r\nPING\r\n";

std::vector<Parsed> PipelineRequests() {
  return {
      {{"SET", "k{1}", "hello"}, "*3\r\n$3\r\nSET\r\n$4\r\nk{1}\r\n$5\r\nhello\r\n", false},
      {{"PING"}, "PING\r\n", true},
      {{"GET", "k{1}"}, "*2\r\n$3\r\nGET\r\n$4\r\nk{1}\r\n", false},
      {{"SET", "k", "a bA", "c'd"}, "SET k \"a b\\x41\" 'c\\'d'\n", true},
      {{"PING"}, "*1\r\n$4\r\nPING\r\n", false},
  };
}

TEST(RequestParser, ParsesOneMultibulkRequest) {
  RequestParser parser;
  Request req;
  size_t used = 0;
  const std::string wire = "*3\r\n$3\r\nSET\r\n$4\r\nk{1}\r\n$5\r\nhello\r\n";
  ASSERT_EQ(parser.Parse(wire, &used, &req), ParseStatus::kOk);
  EXPECT_THAT(req.args, ElementsAre("SET", "k{1}", "hello"));
  EXPECT_EQ(used, wire.size());
  EXPECT_EQ(req.raw, wire);
  EXPECT_FALSE(req.is_inline);
}

TEST(RequestParser, ArgsAreViewsIntoTheCallersBytes) {
  RequestParser parser;
  Request req;
  size_t used = 0;
  const std::string wire = "*2\r\n$3\r\nGET\r\n$1\r\nk\r\nGET plain\r\n";
  ASSERT_EQ(parser.Parse(wire, &used, &req), ParseStatus::kOk);
  EXPECT_EQ(req.args[1].data(), wire.data() + 17);
  EXPECT_EQ(req.raw.data(), wire.data());
  ASSERT_EQ(parser.Parse(std::string_view(wire).substr(used), &used, &req), ParseStatus::kOk);
  EXPECT_EQ(req.args[1].data(), wire.data() + 24);
}

TEST(RequestParser, AnySplitPointYieldsTheSameRequest) {
  const std::string wire = "*3\r\n$3\r\nSET\r\n$4\r\nk{1}\r\n$5\r\nhello\r\n";
  for (size_t cut = 1; cut < wire.size(); ++cut) {
    RequestParser parser;
    Request req;
    size_t used = 0;
    ASSERT_EQ(parser.Parse(std::string_view(wire).substr(0, cut), &used, &req),
              ParseStatus::kNeedMore)
        << "cut=" << cut;
    EXPECT_EQ(used, 0u);
    ASSERT_EQ(parser.Parse(wire, &used, &req), ParseStatus::kOk) << "cut=" << cut;
    EXPECT_THAT(req.args, ElementsAre("SET", "k{1}", "hello"));
    EXPECT_EQ(used, wire.size());
    EXPECT_EQ(req.raw, wire);
  }
}

TEST(RequestParser, PipelineParsedWholeYieldsEveryRequestInOrder) {
  const FeedResult r = FeedWhole(kPipeline);
  EXPECT_EQ(r.last, ParseStatus::kNeedMore);
  EXPECT_EQ(r.requests, PipelineRequests());
  EXPECT_THAT(r.leftover, IsEmpty());
}

TEST(RequestParser, PipelineSplitAtAnyPointYieldsTheSameRequests) {
  for (size_t cut = 0; cut <= kPipeline.size(); ++cut) {
    const FeedResult r = Feed({kPipeline.substr(0, cut), kPipeline.substr(cut)});
    EXPECT_EQ(r.requests, PipelineRequests()) << "cut=" << cut;
    EXPECT_THAT(r.leftover, IsEmpty()) << "cut=" << cut;
  }
}

TEST(RequestParser, PipelineFedOneByteAtATimeYieldsTheSameRequests) {
  std::vector<std::string> bytes;
  for (char c : kPipeline) bytes.emplace_back(1, c);
  const FeedResult r = Feed(bytes);
  EXPECT_EQ(r.requests, PipelineRequests());
  EXPECT_THAT(r.leftover, IsEmpty());
}

TEST(RequestParser, PipelineSplitAtTwoPointsYieldsTheSameRequests) {
  for (size_t a = 0; a <= kPipeline.size(); a += 3) {
    for (size_t b = a; b <= kPipeline.size(); b += 5) {
      const FeedResult r =
          Feed({kPipeline.substr(0, a), kPipeline.substr(a, b - a), kPipeline.substr(b)});
      ASSERT_EQ(r.requests, PipelineRequests()) << "a=" << a << " b=" << b;
    }
  }
}

TEST(RequestParser, BlankLineAloneIsConsumedWithoutARequest) {
  RequestParser parser;
  Request req;
  size_t used = 0;
  EXPECT_EQ(parser.Parse("\r\n\n   \r\n", &used, &req), ParseStatus::kNeedMore);
  EXPECT_EQ(used, 8u);
}

TEST(RequestParser, BlankLinesBeforeARequestAreConsumedWithItButLeftOutOfRaw) {
  RequestParser parser;
  Request req;
  size_t used = 0;
  const std::string wire = "\r\n*0\r\n*-5\r\nPING\r\n";
  ASSERT_EQ(parser.Parse(wire, &used, &req), ParseStatus::kOk);
  EXPECT_EQ(used, wire.size());
  EXPECT_EQ(req.raw, "PING\r\n");
  EXPECT_THAT(req.args, ElementsAre("PING"));
}

TEST(RequestParser, BlankLineBeforeAPartialRequestIsReportedConsumedOnNeedMore) {
  RequestParser parser;
  Request req;
  size_t used = 0;
  EXPECT_EQ(parser.Parse("\r\n*1\r\n$4\r\nPI", &used, &req), ParseStatus::kNeedMore);
  EXPECT_EQ(used, 2u);
  ASSERT_EQ(parser.Parse("*1\r\n$4\r\nPING\r\n", &used, &req), ParseStatus::kOk);
  EXPECT_THAT(req.args, ElementsAre("PING"));
}

TEST(RequestParser, CallerThatKeepsSkippedBytesStillGetsTheRequest) {
  RequestParser parser;
  Request req;
  size_t used = 0;
  EXPECT_EQ(parser.Parse("\r\n*1\r\n$4\r\nPI", &used, &req), ParseStatus::kNeedMore);
  ASSERT_EQ(parser.Parse("\r\n*1\r\n$4\r\nPING\r\n", &used, &req), ParseStatus::kOk);
  EXPECT_THAT(req.args, ElementsAre("PING"));
  EXPECT_EQ(used, 16u);
}

TEST(RequestParser, ZeroAndNegativeMultibulkCountsAreSkipped) {
  const FeedResult r = FeedWhole("*0\r\n*-1\r\n*-10\r\n");
  EXPECT_THAT(r.requests, IsEmpty());
  EXPECT_THAT(r.leftover, IsEmpty());
  EXPECT_EQ(r.last, ParseStatus::kNeedMore);
}

TEST(RequestParser, BulkArgumentsAreBinarySafe) {
  const std::string wire("*3\r\n$3\r\nSET\r\n$3\r\na\0b\r\n$4\r\n\r\n\r\n\r\n", 32);
  const FeedResult r = FeedWhole(wire);
  ASSERT_EQ(r.requests.size(), 1u);
  EXPECT_THAT(r.requests[0].args, ElementsAre("SET", std::string("a\0b", 3), "\r\n\r\n"));
  EXPECT_EQ(r.requests[0].raw, wire);
}

TEST(RequestParser, EmptyBulkArgumentIsAnEmptyArg) {
  const FeedResult r = FeedWhole("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n");
  ASSERT_EQ(r.requests.size(), 1u);
  EXPECT_THAT(r.requests[0].args, ElementsAre("ECHO", ""));
}

// 32 MB in 4 KB reads: a parser that rescanned the partial request on each read would do 8192
// scans of up to 32 MB and never finish in time.
TEST(RequestParser, LargeBulkFedInManyChunksParsesCorrectly) {
  const size_t size = 32 << 20;
  std::string payload(size, 'x');
  for (size_t i = 0; i < size; i += 4097) payload[i] = static_cast<char>('a' + i % 26);
  const std::string wire =
      "*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$" + std::to_string(size) + "\r\n" + payload + "\r\n";
  RequestParser parser;
  Request req;
  size_t used = 0;
  size_t fed = 0;
  ParseStatus status = ParseStatus::kNeedMore;
  while (status == ParseStatus::kNeedMore && fed < wire.size()) {
    fed = std::min(wire.size(), fed + 4096);
    status = parser.Parse(std::string_view(wire).substr(0, fed), &used, &req);
  }
  ASSERT_EQ(status, ParseStatus::kOk);
  EXPECT_EQ(fed, wire.size());
  EXPECT_EQ(used, wire.size());
  ASSERT_EQ(req.args.size(), 3u);
  EXPECT_EQ(req.args[2], payload);
}

TEST(RequestParser, BulkOneByteOverTheLimitIsAnInvalidBulkLength) {
  ParseLimits limits;
  limits.max_bulk_length = 10;
  EXPECT_EQ(ErrorOf("*1\r\n$11\r\n", limits), errors::kInvalidBulkLength);
  const FeedResult ok = FeedWhole("*1\r\n$10\r\n0123456789\r\n", limits);
  ASSERT_EQ(ok.requests.size(), 1u);
}

TEST(RequestParser, DefaultBulkLimitIs512Megabytes) {
  EXPECT_EQ(ErrorOf("*1\r\n$536870913\r\n"), errors::kInvalidBulkLength);
  EXPECT_EQ(FeedWhole("*1\r\n$536870912\r\n").last, ParseStatus::kNeedMore);
}

TEST(RequestParser, MultibulkCountOverTheLimitIsAnInvalidMultibulkLength) {
  ParseLimits limits;
  limits.max_multibulk_length = 4;
  EXPECT_EQ(ErrorOf("*5\r\n", limits), errors::kInvalidMultibulkLength);
  EXPECT_EQ(FeedWhole("*4\r\n", limits).last, ParseStatus::kNeedMore);
  EXPECT_EQ(ErrorOf("*1048577\r\n"), errors::kInvalidMultibulkLength);
}

TEST(RequestParser, NonNumericMultibulkCountIsAnInvalidMultibulkLength) {
  EXPECT_EQ(ErrorOf("*x\r\n"), errors::kInvalidMultibulkLength);
  EXPECT_EQ(ErrorOf("*\r\n"), errors::kInvalidMultibulkLength);
  EXPECT_EQ(ErrorOf("*+1\r\n"), errors::kInvalidMultibulkLength);
  EXPECT_EQ(ErrorOf("*01\r\n"), errors::kInvalidMultibulkLength);
  EXPECT_EQ(ErrorOf("*-0\r\n"), errors::kInvalidMultibulkLength);
  EXPECT_EQ(ErrorOf("* 1\r\n"), errors::kInvalidMultibulkLength);
  EXPECT_EQ(ErrorOf("*99999999999999999999\r\n"), errors::kInvalidMultibulkLength);
}

TEST(RequestParser, MissingCrWithin64KOfCountLineIsTooBigMbulkCountString) {
  const std::string line = "*" + std::string(64 << 10, '1');
  EXPECT_EQ(ErrorOf(line), errors::kTooBigMultibulkCount);
  EXPECT_EQ(FeedWhole(line.substr(0, 64 << 10)).last, ParseStatus::kNeedMore);
}

TEST(RequestParser, NonDollarArgumentHeaderIsExpectedDollar) {
  EXPECT_EQ(ErrorOf("*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n"),
            "ERR Protocol error: expected '$', got 'f'");
}

TEST(RequestParser, ExpectedDollarShowsCrAsASpaceAsRedisDoes) {
  EXPECT_EQ(ErrorOf("*1\r\n\r\n"), "ERR Protocol error: expected '$', got ' '");
}

TEST(RequestParser, ExpectedDollarWaitsForTheHeaderLineEnd) {
  EXPECT_EQ(FeedWhole("*1\r\nfoo").last, ParseStatus::kNeedMore);
}

TEST(RequestParser, NegativeBulkLengthIsAnInvalidBulkLength) {
  EXPECT_EQ(ErrorOf("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n"), errors::kInvalidBulkLength);
}

TEST(RequestParser, NonNumericBulkLengthIsAnInvalidBulkLength) {
  EXPECT_EQ(ErrorOf("*1\r\n$blabla\r\n"), errors::kInvalidBulkLength);
  EXPECT_EQ(ErrorOf("*1\r\n$\r\n"), errors::kInvalidBulkLength);
  EXPECT_EQ(ErrorOf("*1\r\n$-0\r\n"), errors::kInvalidBulkLength);
}

TEST(RequestParser, MissingCrWithin64KOfBulkLineIsTooBigBulkCountString) {
  const std::string wire = "*1\r\n$" + std::string(64 << 10, '1');
  EXPECT_EQ(ErrorOf(wire), errors::kTooBigBulkCount);
  EXPECT_EQ(FeedWhole(wire.substr(0, wire.size() - 1)).last, ParseStatus::kNeedMore);
}

TEST(RequestParser, UnbalancedDoubleQuoteIsAnUnbalancedQuotesError) {
  EXPECT_EQ(ErrorOf("SET k \"abc\r\n"), errors::kUnbalancedQuotes);
}

TEST(RequestParser, UnbalancedSingleQuoteIsAnUnbalancedQuotesError) {
  EXPECT_EQ(ErrorOf("SET k 'abc\r\n"), errors::kUnbalancedQuotes);
}

TEST(RequestParser, ClosingQuoteFollowedByANonSpaceIsAnUnbalancedQuotesError) {
  EXPECT_EQ(ErrorOf("SET k \"a\"b\r\n"), errors::kUnbalancedQuotes);
  EXPECT_EQ(ErrorOf("SET k 'a'b\r\n"), errors::kUnbalancedQuotes);
}

TEST(RequestParser, InlineLineOver64KIsTooBigInlineRequest) {
  const std::string line(64 << 10, 'a');
  EXPECT_EQ(ErrorOf(line + "a"), errors::kTooBigInline);
  EXPECT_EQ(ErrorOf(line + "a\r\n"), errors::kTooBigInline);
  EXPECT_EQ(FeedWhole(line).last, ParseStatus::kNeedMore);
  const FeedResult ok = FeedWhole(line + "\n");
  ASSERT_EQ(ok.requests.size(), 1u);
  EXPECT_EQ(ok.requests[0].args[0].size(), 64u << 10);
}

TEST(RequestParser, InlineLimitFollowsTheConfiguredLength) {
  ParseLimits limits;
  limits.max_inline_length = 8;
  EXPECT_EQ(ErrorOf("GET 12345", limits), errors::kTooBigInline);
  EXPECT_EQ(FeedWhole("GET 1234\n", limits).requests.size(), 1u);
}

TEST(RequestParser, NulBeforeTheLineEndHidesItAsInRedis) {
  ParseLimits limits;
  limits.max_inline_length = 16;
  const FeedResult waiting = FeedWhole(std::string("PING\0\r\n", 7), limits);
  EXPECT_EQ(waiting.last, ParseStatus::kNeedMore);
  EXPECT_THAT(waiting.requests, IsEmpty());
  EXPECT_EQ(ErrorOf(std::string("PING\0\r\n", 7) + std::string(10, 'x'), limits),
            errors::kTooBigInline);
}

TEST(RequestParser, ProtocolErrorIsStickyUntilReset) {
  RequestParser parser;
  Request req;
  size_t used = 0;
  ASSERT_EQ(parser.Parse("*x\r\n", &used, &req), ParseStatus::kProtocolError);
  EXPECT_EQ(parser.Parse("PING\r\n", &used, &req), ParseStatus::kProtocolError);
  parser.Reset();
  EXPECT_EQ(parser.Parse("PING\r\n", &used, &req), ParseStatus::kOk);
  EXPECT_TRUE(parser.error().empty());
}

TEST(RequestParser, ByteAfterCrIsNotCheckedAsRedisDoesNot) {
  const FeedResult r = FeedWhole("*1\rx$4\ryPINGzz");
  ASSERT_EQ(r.requests.size(), 1u);
  EXPECT_THAT(r.requests[0].args, ElementsAre("PING"));
}

TEST(RequestParser, InlineAcceptsBareLfAndDropsCr) {
  const FeedResult r = FeedWhole("GET a\nGET b\r\n");
  ASSERT_EQ(r.requests.size(), 2u);
  EXPECT_THAT(r.requests[0].args, ElementsAre("GET", "a"));
  EXPECT_EQ(r.requests[0].raw, "GET a\n");
  EXPECT_THAT(r.requests[1].args, ElementsAre("GET", "b"));
  EXPECT_TRUE(r.requests[1].is_inline);
}

TEST(RequestParser, InlineUnquotedArgsAreViewsIntoTheInput) {
  RequestParser parser;
  Request req;
  size_t used = 0;
  const std::string wire = "SET key \"v\"\r\n";
  ASSERT_EQ(parser.Parse(wire, &used, &req), ParseStatus::kOk);
  EXPECT_EQ(req.args[1].data(), wire.data() + 4);
  EXPECT_EQ(req.args[2], "v");
}

TEST(RequestParser, InlineArgsSurviveMovingTheRequest) {
  RequestParser parser;
  Request req;
  size_t used = 0;
  ASSERT_EQ(parser.Parse("SET \"k\" \"v\"\r\n", &used, &req), ParseStatus::kOk);
  const Request moved = std::move(req);
  EXPECT_THAT(moved.args, ElementsAre("SET", "k", "v"));
}

// Inline splitting, case by case from sdssplitargs.
std::vector<std::string> InlineArgs(const std::string& line) {
  const FeedResult r = FeedWhole(line + "\r\n");
  EXPECT_EQ(r.requests.size(), 1u) << line;
  return r.requests.empty() ? std::vector<std::string>{} : r.requests[0].args;
}

TEST(InlineQuoting, DoubleQuotesUnescapeCStyleEscapes) {
  EXPECT_THAT(InlineArgs(R"(SET "a\n\r\t\b\a\\\"z")"),
              ElementsAre("SET", std::string("a\n\r\t\b\a\\\"z")));
}

TEST(InlineQuoting, DoubleQuotesUnescapeHexBytes) {
  EXPECT_THAT(InlineArgs(R"(SET "\x41\x00\xff\xFf")"),
              ElementsAre("SET", std::string("A\0\xff\xff", 4)));
}

TEST(InlineQuoting, IncompleteHexEscapeIsTheLetterX) {
  EXPECT_THAT(InlineArgs(R"(SET "\x4" "\xZZ")"), ElementsAre("SET", "x4", "xZZ"));
}

TEST(InlineQuoting, UnknownEscapeIsTheEscapedByte) {
  EXPECT_THAT(InlineArgs(R"(SET "\q\'")"), ElementsAre("SET", "q'"));
}

TEST(InlineQuoting, SingleQuotesOnlyUnescapeSingleQuote) {
  EXPECT_THAT(InlineArgs(R"(SET 'a\'b\n"c')"), ElementsAre("SET", R"(a'b\n"c)"));
}

TEST(InlineQuoting, QuoteInsideAWordStartsQuoting) {
  EXPECT_THAT(InlineArgs(R"(SET ab"c d")"), ElementsAre("SET", "abc d"));
}

TEST(InlineQuoting, EmptyQuotesAreAnEmptyArgument) {
  EXPECT_THAT(InlineArgs(R"(SET "" '')"), ElementsAre("SET", "", ""));
}

TEST(InlineQuoting, ClosingQuoteMayBeFollowedByAnyBlank) {
  EXPECT_THAT(InlineArgs("SET \"a\"\tb \"c\"\vd"), ElementsAre("SET", "a", "b", "c", "d"));
}

TEST(InlineQuoting, VerticalTabSeparatesOnlyBetweenArguments) {
  EXPECT_THAT(InlineArgs("SET \va\vb"), ElementsAre("SET", "a\vb"));
}

TEST(InlineQuoting, RunsOfBlanksSeparateArguments) {
  EXPECT_THAT(InlineArgs("  SET\t\t a   b  "), ElementsAre("SET", "a", "b"));
}

TEST(InlineQuoting, CrInsideTheLineSeparatesArguments) {
  EXPECT_THAT(InlineArgs("SET a\rb"), ElementsAre("SET", "a", "b"));
}

TEST(InlineQuoting, BackslashAtTheEndOfAQuoteIsUnbalanced) {
  EXPECT_EQ(ErrorOf("SET \"abc\\\r\n"), errors::kUnbalancedQuotes);
}

}  // namespace
}  // namespace slotgate
