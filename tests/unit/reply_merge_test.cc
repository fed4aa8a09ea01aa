#include "proxy/commands/reply_merge.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace slotgate {
namespace {

using testing::ElementsAre;
using testing::IsEmpty;

using Replies = std::vector<std::string>;
using KeyOrders = std::vector<std::vector<uint32_t>>;

// The errors slotgate writes itself when a part's reply has the wrong shape.
constexpr std::string_view kUnexpectedSplitReply =
    "-ERR proxy: a part of the split request got an unexpected reply\r\n";
constexpr std::string_view kUnexpectedReply =
    "-ERR proxy: a part of the request got an unexpected reply\r\n";
constexpr std::string_view kNonIntegerReply =
    "-ERR proxy: a part of the request got a non-integer reply\r\n";
constexpr std::string_view kNonArrayReply =
    "-ERR proxy: a part of the request got a non-array reply\r\n";

// SplitArrayReply

TEST(SplitArrayReply, FlatArrayGivesEachElementsBytes) {
  std::vector<std::string_view> elements;
  ASSERT_TRUE(SplitArrayReply("*3\r\n$3\r\nfoo\r\n:12\r\n+OK\r\n", &elements));
  EXPECT_THAT(elements, ElementsAre("$3\r\nfoo\r\n", ":12\r\n", "+OK\r\n"));
}

TEST(SplitArrayReply, NestedArrayIsOneElementWithAllItsBytes) {
  std::vector<std::string_view> elements;
  ASSERT_TRUE(SplitArrayReply("*3\r\n*2\r\n:1\r\n*1\r\n$1\r\na\r\n$1\r\nx\r\n*0\r\n", &elements));
  EXPECT_THAT(elements, ElementsAre("*2\r\n:1\r\n*1\r\n$1\r\na\r\n", "$1\r\nx\r\n", "*0\r\n"));
}

TEST(SplitArrayReply, NullElementsAreKeptAsTheyCame) {
  std::vector<std::string_view> elements;
  ASSERT_TRUE(SplitArrayReply("*3\r\n$-1\r\n*-1\r\n_\r\n", &elements));
  EXPECT_THAT(elements, ElementsAre("$-1\r\n", "*-1\r\n", "_\r\n"));
}

TEST(SplitArrayReply, BulkPayloadHoldingCrlfStaysOneElement) {
  std::vector<std::string_view> elements;
  ASSERT_TRUE(SplitArrayReply("*2\r\n$4\r\na\r\nb\r\n:0\r\n", &elements));
  EXPECT_THAT(elements, ElementsAre("$4\r\na\r\nb\r\n", ":0\r\n"));
}

TEST(SplitArrayReply, EmptyArrayHasNoElements) {
  std::vector<std::string_view> elements = {"stale"};
  ASSERT_TRUE(SplitArrayReply("*0\r\n", &elements));
  EXPECT_THAT(elements, IsEmpty());
}

TEST(SplitArrayReply, NullArrayHasNoElements) {
  std::vector<std::string_view> elements = {"stale"};
  ASSERT_TRUE(SplitArrayReply("*-1\r\n", &elements));
  EXPECT_THAT(elements, IsEmpty());
}

TEST(SplitArrayReply, Resp3SetAndPushSplitLikeArrays) {
  std::vector<std::string_view> elements;
  ASSERT_TRUE(SplitArrayReply("~2\r\n$1\r\na\r\n$1\r\nb\r\n", &elements));
  EXPECT_THAT(elements, ElementsAre("$1\r\na\r\n", "$1\r\nb\r\n"));
  ASSERT_TRUE(SplitArrayReply(">1\r\n:7\r\n", &elements));
  EXPECT_THAT(elements, ElementsAre(":7\r\n"));
}

TEST(SplitArrayReply, ErrorReplyIsNotAnArray) {
  std::vector<std::string_view> elements = {"stale"};
  EXPECT_FALSE(SplitArrayReply("-ERR nope\r\n", &elements));
  EXPECT_THAT(elements, IsEmpty());
}

TEST(SplitArrayReply, IntegerBulkAndEmptyRepliesAreNotArrays) {
  std::vector<std::string_view> elements;
  EXPECT_FALSE(SplitArrayReply(":3\r\n", &elements));
  EXPECT_FALSE(SplitArrayReply("$3\r\nfoo\r\n", &elements));
  EXPECT_FALSE(SplitArrayReply("", &elements));
}

TEST(SplitArrayReply, TruncatedArrayIsRefused) {
  std::vector<std::string_view> elements;
  EXPECT_FALSE(SplitArrayReply("*2\r\n$3\r\nfoo\r\n", &elements));
  EXPECT_FALSE(SplitArrayReply("*2\r\n$3\r\nfoo\r\n$3\r\nba", &elements));
  EXPECT_FALSE(SplitArrayReply("*2", &elements));
}

TEST(SplitArrayReply, BytesAfterTheArrayAreRefused) {
  std::vector<std::string_view> elements;
  EXPECT_FALSE(SplitArrayReply("*1\r\n:1\r\n:2\r\n", &elements));
}

TEST(SplitArrayReply, BadCountIsRefused) {
  std::vector<std::string_view> elements;
  EXPECT_FALSE(SplitArrayReply("*x\r\n", &elements));
  EXPECT_FALSE(SplitArrayReply("*\r\n", &elements));
  EXPECT_FALSE(SplitArrayReply("*1x\r\n:1\r\n", &elements));
}

// FirstError

TEST(FirstError, NoErrorGivesEmpty) {
  const Replies replies = {"+OK\r\n", ":1\r\n", "*0\r\n"};
  EXPECT_EQ(FirstError(replies), "");
}

TEST(FirstError, FirstOfSeveralErrorsIsReturned) {
  const Replies replies = {":1\r\n", "-MOVED 3999 127.0.0.1:7002\r\n", "-ERR second\r\n"};
  EXPECT_EQ(FirstError(replies), "-MOVED 3999 127.0.0.1:7002\r\n");
}

TEST(FirstError, Resp3BlobErrorCounts) {
  const Replies replies = {"+OK\r\n", "!9\r\nERR blob!\r\n"};
  EXPECT_EQ(FirstError(replies), "!9\r\nERR blob!\r\n");
}

TEST(FirstError, NoRepliesGiveEmpty) { EXPECT_EQ(FirstError({}), ""); }

// MergeByKeyOrder (MGET)

TEST(MergeByKeyOrder, ValuesLandInTheClientsArgumentOrder) {
  // MGET foo {u}a bar {u}b: parts [foo], [{u}a, {u}b], [bar].
  const Replies replies = {"*1\r\n$1\r\n1\r\n", "*2\r\n$1\r\n2\r\n$2\r\n44\r\n",
                           "*1\r\n$1\r\n3\r\n"};
  const KeyOrders orders = {{0}, {1, 3}, {2}};
  EXPECT_EQ(MergeByKeyOrder(replies, orders, 4),
            "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n44\r\n");
}

TEST(MergeByKeyOrder, NullValuesAreKeptAsIs) {
  const Replies replies = {"*2\r\n$-1\r\n$1\r\na\r\n", "*1\r\n$-1\r\n"};
  const KeyOrders orders = {{2, 0}, {1}};
  EXPECT_EQ(MergeByKeyOrder(replies, orders, 3), "*3\r\n$1\r\na\r\n$-1\r\n$-1\r\n");
}

TEST(MergeByKeyOrder, Resp3NullsAreKeptAsIs) {
  const Replies replies = {"*1\r\n_\r\n", "*1\r\n$1\r\nb\r\n"};
  const KeyOrders orders = {{1}, {0}};
  EXPECT_EQ(MergeByKeyOrder(replies, orders, 2), "*2\r\n$1\r\nb\r\n_\r\n");
}

TEST(MergeByKeyOrder, ElementBytesAreCopiedUnchanged) {
  const Replies replies = {"*1\r\n$4\r\na\r\nb\r\n", "*1\r\n*2\r\n:1\r\n:2\r\n"};
  const KeyOrders orders = {{1}, {0}};
  EXPECT_EQ(MergeByKeyOrder(replies, orders, 2), "*2\r\n*2\r\n:1\r\n:2\r\n$4\r\na\r\nb\r\n");
}

TEST(MergeByKeyOrder, FirstErrorOfAnyPartWins) {
  const Replies replies = {"*1\r\n$1\r\n1\r\n", "-TRYAGAIN Multiple keys request\r\n",
                           "-ERR later\r\n"};
  const KeyOrders orders = {{0}, {1}, {2}};
  EXPECT_EQ(MergeByKeyOrder(replies, orders, 3), "-TRYAGAIN Multiple keys request\r\n");
}

TEST(MergeByKeyOrder, NonArrayPartGivesProxyError) {
  const Replies replies = {"*1\r\n$1\r\n1\r\n", "+OK\r\n"};
  const KeyOrders orders = {{0}, {1}};
  EXPECT_EQ(MergeByKeyOrder(replies, orders, 2), kUnexpectedSplitReply);
}

TEST(MergeByKeyOrder, PartWithTheWrongNumberOfValuesGivesProxyError) {
  const Replies replies = {"*1\r\n$1\r\n1\r\n", "*1\r\n$1\r\n2\r\n"};
  const KeyOrders orders = {{0}, {1, 2}};
  EXPECT_EQ(MergeByKeyOrder(replies, orders, 3), kUnexpectedSplitReply);
}

// SumIntegers (DEL, UNLINK, EXISTS, TOUCH, DBSIZE)

TEST(SumIntegers, AddsEveryPartsInteger) {
  const Replies replies = {":2\r\n", ":0\r\n", ":15\r\n"};
  EXPECT_EQ(SumIntegers(replies), ":17\r\n");
}

TEST(SumIntegers, NegativeValuesCount) {
  const Replies replies = {":-3\r\n", ":1\r\n"};
  EXPECT_EQ(SumIntegers(replies), ":-2\r\n");
}

TEST(SumIntegers, LargeValuesDoNotLoseDigits) {
  const Replies replies = {":4000000000\r\n", ":4000000000\r\n"};
  EXPECT_EQ(SumIntegers(replies), ":8000000000\r\n");
}

TEST(SumIntegers, NoPartsSumToZero) { EXPECT_EQ(SumIntegers({}), ":0\r\n"); }

TEST(SumIntegers, FirstErrorOfAnyPartWins) {
  const Replies replies = {":1\r\n", "-CLUSTERDOWN The cluster is down\r\n", "-ERR later\r\n"};
  EXPECT_EQ(SumIntegers(replies), "-CLUSTERDOWN The cluster is down\r\n");
}

TEST(SumIntegers, NonIntegerPartGivesProxyError) {
  const Replies replies = {":1\r\n", "+OK\r\n"};
  EXPECT_EQ(SumIntegers(replies), kNonIntegerReply);
}

TEST(SumIntegers, IntegerWithGarbageDigitsGivesProxyError) {
  const Replies replies = {":1\r\n", ":1x\r\n"};
  EXPECT_EQ(SumIntegers(replies), kNonIntegerReply);
}

// ConcatArrays (KEYS, PUBSUB CHANNELS)

TEST(ConcatArrays, ElementsFollowPartOrder) {
  const Replies replies = {"*2\r\n$1\r\na\r\n$1\r\nb\r\n", "*0\r\n", "*1\r\n$1\r\nc\r\n"};
  EXPECT_EQ(ConcatArrays(replies), "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
}

TEST(ConcatArrays, NestedElementsStayWhole) {
  const Replies replies = {"*1\r\n*2\r\n:1\r\n:2\r\n", "*1\r\n*1\r\n$1\r\nz\r\n"};
  EXPECT_EQ(ConcatArrays(replies), "*2\r\n*2\r\n:1\r\n:2\r\n*1\r\n$1\r\nz\r\n");
}

TEST(ConcatArrays, NoPartsGiveAnEmptyArray) { EXPECT_EQ(ConcatArrays({}), "*0\r\n"); }

TEST(ConcatArrays, FirstErrorOfAnyPartWins) {
  const Replies replies = {"*1\r\n$1\r\na\r\n", "-LOADING loading\r\n", "-ERR later\r\n"};
  EXPECT_EQ(ConcatArrays(replies), "-LOADING loading\r\n");
}

TEST(ConcatArrays, NonArrayPartGivesProxyError) {
  const Replies replies = {"*1\r\n$1\r\na\r\n", ":3\r\n"};
  EXPECT_EQ(ConcatArrays(replies), kNonArrayReply);
}

// AndOfIntegerArrays (SCRIPT EXISTS)

TEST(AndOfIntegerArrays, OneOnlyWhereEveryPartSaysOne) {
  const Replies replies = {"*3\r\n:1\r\n:1\r\n:0\r\n", "*3\r\n:1\r\n:0\r\n:1\r\n",
                           "*3\r\n:1\r\n:1\r\n:1\r\n"};
  EXPECT_EQ(AndOfIntegerArrays(replies), "*3\r\n:1\r\n:0\r\n:0\r\n");
}

TEST(AndOfIntegerArrays, NoPartsGiveAnEmptyArray) { EXPECT_EQ(AndOfIntegerArrays({}), "*0\r\n"); }

TEST(AndOfIntegerArrays, FirstErrorOfAnyPartWins) {
  const Replies replies = {"*1\r\n:1\r\n", "-NOSCRIPT a\r\n", "-ERR later\r\n"};
  EXPECT_EQ(AndOfIntegerArrays(replies), "-NOSCRIPT a\r\n");
}

TEST(AndOfIntegerArrays, ArraysOfDifferentLengthsGiveProxyError) {
  const Replies replies = {"*2\r\n:1\r\n:1\r\n", "*1\r\n:1\r\n"};
  EXPECT_EQ(AndOfIntegerArrays(replies), kUnexpectedReply);
}

TEST(AndOfIntegerArrays, NonIntegerElementGivesProxyError) {
  const Replies replies = {"*1\r\n:1\r\n", "*1\r\n$1\r\n1\r\n"};
  EXPECT_EQ(AndOfIntegerArrays(replies), kUnexpectedReply);
}

TEST(AndOfIntegerArrays, NonArrayPartGivesProxyError) {
  const Replies replies = {"*1\r\n:1\r\n", "+OK\r\n"};
  EXPECT_EQ(AndOfIntegerArrays(replies), kUnexpectedReply);
}

// FirstUnlessError (MSET, FLUSHALL, CONFIG SET ...)

TEST(FirstUnlessError, AllAgreeingGiveTheFirstReply) {
  const Replies replies = {"+OK\r\n", "+OK\r\n", "+OK\r\n"};
  EXPECT_EQ(FirstUnlessError(replies), "+OK\r\n");
}

TEST(FirstUnlessError, FirstErrorOfAnyPartWins) {
  const Replies replies = {"+OK\r\n", "-READONLY You can't write\r\n", "-ERR later\r\n"};
  EXPECT_EQ(FirstUnlessError(replies), "-READONLY You can't write\r\n");
}

TEST(FirstUnlessError, NoPartsGiveEmpty) { EXPECT_EQ(FirstUnlessError({}), ""); }

const std::string kNotBusy = "-NOTBUSY No scripts in execution right now.\r\n";
const std::string kUnkillable =
    "-UNKILLABLE Sorry the script already executed write commands against the dataset. You can "
    "either wait the script termination or kill the server in a hard way using the SHUTDOWN "
    "NOSAVE command.\r\n";

TEST(AnyKilled, OneNodeThatStoppedAScriptAnswersForAll) {
  const Replies replies = {kNotBusy, "-ERR proxy: cannot reach 127.0.0.1:1\r\n", "+OK\r\n"};
  EXPECT_EQ(AnyKilled(replies), "+OK\r\n");
}

TEST(AnyKilled, UnkillableBeatsNotBusy) {
  const Replies replies = {kNotBusy, kUnkillable};
  EXPECT_EQ(AnyKilled(replies), kUnkillable);
}

TEST(AnyKilled, NotBusyEverywhereIsNotBusy) {
  const Replies replies = {kNotBusy, kNotBusy};
  EXPECT_EQ(AnyKilled(replies), kNotBusy);
}

TEST(AnyKilled, NoNodeThatAnsweredGivesTheFirstError) {
  const Replies unreachable = {"-ERR proxy: cannot reach 127.0.0.1:1\r\n"};
  EXPECT_EQ(AnyKilled(unreachable), unreachable[0]);
}

// FirstNonNull (RANDOMKEY)

TEST(FirstNonNull, FirstKeyAfterNullsIsReturned) {
  const Replies replies = {"$-1\r\n", "$3\r\nfoo\r\n", "$3\r\nbar\r\n"};
  EXPECT_EQ(FirstNonNull(replies), "$3\r\nfoo\r\n");
}

TEST(FirstNonNull, Resp3NullIsSkippedToo) {
  const Replies replies = {"_\r\n", "$3\r\nbar\r\n"};
  EXPECT_EQ(FirstNonNull(replies), "$3\r\nbar\r\n");
}

TEST(FirstNonNull, AllNullGiveTheFirstNull) {
  EXPECT_EQ(FirstNonNull(Replies{"$-1\r\n", "$-1\r\n"}), "$-1\r\n");
  EXPECT_EQ(FirstNonNull(Replies{"_\r\n", "_\r\n"}), "_\r\n");
}

TEST(FirstNonNull, NoPartsGiveNullBulk) { EXPECT_EQ(FirstNonNull({}), "$-1\r\n"); }

TEST(FirstNonNull, FirstErrorOfAnyPartWins) {
  const Replies replies = {"$3\r\nfoo\r\n", "-MASTERDOWN down\r\n", "-ERR later\r\n"};
  EXPECT_EQ(FirstNonNull(replies), "-MASTERDOWN down\r\n");
}

// MergeByKeyOrder with pairs (PUBSUB SHARDNUMSUB)

TEST(MergeByKeyOrder, PairsLandInTheClientsArgumentOrder) {
  const Replies replies = {"*2\r\n$1\r\nb\r\n:2\r\n", "*2\r\n$1\r\na\r\n:1\r\n"};
  EXPECT_EQ(MergeByKeyOrder(replies, KeyOrders{{1}, {0}}, 2, 2),
            "*4\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n");
}

TEST(MergeByKeyOrder, PartWithAnOddNumberOfPairElementsGivesProxyError) {
  EXPECT_EQ(MergeByKeyOrder(Replies{"*1\r\n$1\r\na\r\n"}, KeyOrders{{0}}, 1, 2),
            kUnexpectedSplitReply);
}

// AgreedReply

TEST(AgreedReply, SameRepliesGiveTheReply) {
  const std::vector<Endpoint> nodes = {{"127.0.0.1", 7001}, {"127.0.0.1", 7002}};
  EXPECT_EQ(AgreedReply(Replies{"*0\r\n", "*0\r\n"}, nodes), "*0\r\n");
}

TEST(AgreedReply, DifferingNodesAreNamed) {
  const std::vector<Endpoint> nodes = {
      {"127.0.0.1", 7001}, {"127.0.0.1", 7002}, {"127.0.0.1", 7003}};
  EXPECT_EQ(AgreedReply(Replies{":1\r\n", ":2\r\n", ":3\r\n"}, nodes),
            "-ERR proxy: nodes disagree: 127.0.0.1:7001 differs from 127.0.0.1:7002, "
            "127.0.0.1:7003\r\n");
}

// UnionArrays

TEST(UnionArrays, EachElementOnceInOrderOfFirstAppearance) {
  EXPECT_EQ(UnionArrays(Replies{"*2\r\n$1\r\na\r\n$1\r\nb\r\n", "*2\r\n$1\r\nb\r\n$1\r\nc\r\n",
                                "*0\r\n"}),
            "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
}

TEST(UnionArrays, FirstErrorOfAnyPartWins) {
  EXPECT_EQ(UnionArrays(Replies{"*0\r\n", "-ERR x\r\n"}), "-ERR x\r\n");
}

TEST(UnionArrays, NonArrayPartGivesProxyError) {
  EXPECT_EQ(UnionArrays(Replies{":1\r\n"}), kNonArrayReply);
}

// SumCountsPerName

TEST(SumCountsPerName, CountsAreSummedPerChannelInOrder) {
  EXPECT_EQ(SumCountsPerName(Replies{"*4\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:0\r\n",
                                     "*4\r\n$1\r\na\r\n:2\r\n$1\r\nb\r\n:5\r\n"}),
            "*4\r\n$1\r\na\r\n:3\r\n$1\r\nb\r\n:5\r\n");
}

TEST(SumCountsPerName, RepeatedChannelsStayApartAsRedisAnswersThem) {
  EXPECT_EQ(SumCountsPerName(Replies{"*4\r\n$1\r\na\r\n:1\r\n$1\r\na\r\n:1\r\n",
                                     "*4\r\n$1\r\na\r\n:1\r\n$1\r\na\r\n:1\r\n"}),
            "*4\r\n$1\r\na\r\n:2\r\n$1\r\na\r\n:2\r\n");
}

TEST(SumCountsPerName, NoChannelsGiveAnEmptyArray) {
  EXPECT_EQ(SumCountsPerName(Replies{"*0\r\n", "*0\r\n"}), "*0\r\n");
}

TEST(SumCountsPerName, PartsNamingOtherChannelsGiveProxyError) {
  EXPECT_EQ(SumCountsPerName(Replies{"*2\r\n$1\r\na\r\n:1\r\n", "*2\r\n$1\r\nb\r\n:1\r\n"}),
            kUnexpectedReply);
  EXPECT_EQ(SumCountsPerName(Replies{"*2\r\n$1\r\na\r\n:1\r\n", "*0\r\n"}), kUnexpectedReply);
}

// MinInteger

TEST(MinInteger, TheSmallestWins) {
  EXPECT_EQ(MinInteger(Replies{":1700000300\r\n", ":1700000100\r\n", ":1700000200\r\n"}),
            ":1700000100\r\n");
}

TEST(MinInteger, NonIntegerPartGivesProxyError) {
  EXPECT_EQ(MinInteger(Replies{":1\r\n", "+OK\r\n"}), kNonIntegerReply);
}

}  // namespace
}  // namespace slotgate
