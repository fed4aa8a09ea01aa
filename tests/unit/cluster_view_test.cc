#include "proxy/route/cluster_view.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "common/resp/value.h"
#include "config/config.h"
#include "proxy/route/slot_table.h"
#include "tests/unit/print_to.h"

namespace slotgate {
namespace {

using testing::AllOf;
using testing::ElementsAre;
using testing::ElementsAreArray;
using testing::Field;
using testing::IsEmpty;

const Endpoint kAsked{"10.0.0.9", 33001};

// CLUSTER SHARDS of redis-server 7.0.15 (RESP2), captured from a local cluster: a master with
// no slots (33007, just met), two shards with an online replica, and one whose replica (33006)
// is down.
constexpr std::string_view kRecordedShards =
    "*4\r\n*4\r\n$5\r\nslots\r\n*0\r\n$5\r\nnodes\r\n*1\r\n*14\r\n$2\r\nid\r\n$40\r\n"
    "827037006707e8414f4d3f8f8140c6e2c02d1cc0\r\n$4\r\nport\r\n:33007\r\n$2\r\nip\r\n$9\r\n"
    "127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$18\r\n"
    "replication-offset\r\n:0\r\n$6\r\nhealth\r\n$6\r\nonline\r\n*4\r\n$5\r\nslots\r\n*2\r\n"
    ":10923\r\n:16383\r\n$5\r\nnodes\r\n*2\r\n*14\r\n$2\r\nid\r\n$40\r\n"
    "ec9e62b1602deed13d8fd26eb649e2120587967f\r\n$4\r\nport\r\n:33003\r\n$2\r\nip\r\n$9\r\n"
    "127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$18\r\n"
    "replication-offset\r\n:70\r\n$6\r\nhealth\r\n$6\r\nonline\r\n*14\r\n$2\r\nid\r\n$40\r\n"
    "c302181f2c05e873cac8255907cc2ff082abe670\r\n$4\r\nport\r\n:33004\r\n$2\r\nip\r\n$9\r\n"
    "127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$7\r\nreplica\r\n$18\r\n"
    "replication-offset\r\n:70\r\n$6\r\nhealth\r\n$6\r\nonline\r\n*4\r\n$5\r\nslots\r\n*2\r\n"
    ":0\r\n:5460\r\n$5\r\nnodes\r\n*2\r\n*14\r\n$2\r\nid\r\n$40\r\n"
    "271a81f67b1a7ab1877b872cadf8a3f76440a211\r\n$4\r\nport\r\n:33001\r\n$2\r\nip\r\n$9\r\n"
    "127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$18\r\n"
    "replication-offset\r\n:70\r\n$6\r\nhealth\r\n$6\r\nonline\r\n*14\r\n$2\r\nid\r\n$40\r\n"
    "cde26066d80774c6a58b2a965942b4a0b8dbe035\r\n$4\r\nport\r\n:33005\r\n$2\r\nip\r\n$9\r\n"
    "127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$7\r\nreplica\r\n$18\r\n"
    "replication-offset\r\n:70\r\n$6\r\nhealth\r\n$6\r\nonline\r\n*4\r\n$5\r\nslots\r\n*2\r\n"
    ":5461\r\n:10922\r\n$5\r\nnodes\r\n*2\r\n*14\r\n$2\r\nid\r\n$40\r\n"
    "1d436d7bb76011e09263676b7e40b377577bcfe9\r\n$4\r\nport\r\n:33002\r\n$2\r\nip\r\n$9\r\n"
    "127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$18\r\n"
    "replication-offset\r\n:28\r\n$6\r\nhealth\r\n$6\r\nonline\r\n*14\r\n$2\r\nid\r\n$40\r\n"
    "9d8af4cb9c335fc0e2524f99ca22174d55109631\r\n$4\r\nport\r\n:33006\r\n$2\r\nip\r\n$9\r\n"
    "127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$7\r\nreplica\r\n$18\r\n"
    "replication-offset\r\n:28\r\n$6\r\nhealth\r\n$4\r\nfail\r\n";

// CLUSTER SLOTS of the same cluster at the same moment: Redis itself leaves the failed replica
// out, and each node carries its (empty) metadata map as a fourth element.
constexpr std::string_view kRecordedSlots =
    "*3\r\n*4\r\n:0\r\n:5460\r\n*4\r\n$9\r\n127.0.0.1\r\n:33001\r\n$40\r\n"
    "271a81f67b1a7ab1877b872cadf8a3f76440a211\r\n*0\r\n*4\r\n$9\r\n127.0.0.1\r\n:33005\r\n"
    "$40\r\ncde26066d80774c6a58b2a965942b4a0b8dbe035\r\n*0\r\n*3\r\n:5461\r\n:10922\r\n*4\r\n"
    "$9\r\n127.0.0.1\r\n:33002\r\n$40\r\n1d436d7bb76011e09263676b7e40b377577bcfe9\r\n*0\r\n"
    "*4\r\n:10923\r\n:16383\r\n*4\r\n$9\r\n127.0.0.1\r\n:33003\r\n$40\r\n"
    "ec9e62b1602deed13d8fd26eb649e2120587967f\r\n*0\r\n*4\r\n$9\r\n127.0.0.1\r\n:33004\r\n"
    "$40\r\nc302181f2c05e873cac8255907cc2ff082abe670\r\n*0\r\n";

RespValue Decode(std::string_view wire) {
  RespValue value;
  size_t used = 0;
  EXPECT_EQ(DecodeValue(wire, &used, &value), DecodeStatus::kOk);
  EXPECT_EQ(used, wire.size());
  return value;
}

std::string Bulk(std::string_view text) {
  return "$" + std::to_string(text.size()) + "\r\n" + std::string(text) + "\r\n";
}

std::string Int(long long value) { return ":" + std::to_string(value) + "\r\n"; }

std::string Array(const std::vector<std::string>& items) {
  std::string out = "*" + std::to_string(items.size()) + "\r\n";
  for (const std::string& item : items) out += item;
  return out;
}

// One node of a CLUSTER SHARDS entry, as Redis 7.0 writes it in RESP2.
std::string ShardsNode(std::string_view ip, std::string_view endpoint, int port,
                       std::string_view role, std::string_view health = "online") {
  return Array({Bulk("id"), Bulk(std::string(40, 'a')), Bulk("port"), Int(port), Bulk("ip"),
                Bulk(ip), Bulk("endpoint"), Bulk(endpoint), Bulk("role"), Bulk(role),
                Bulk("replication-offset"), Int(0), Bulk("health"), Bulk(health)});
}

std::string ShardsEntry(const std::vector<long long>& bounds,
                        const std::vector<std::string>& nodes) {
  std::vector<std::string> slots;
  for (long long bound : bounds) slots.push_back(Int(bound));
  return Array({Bulk("slots"), Array(slots), Bulk("nodes"), Array(nodes)});
}

// One node of a CLUSTER SLOTS entry: ip, port, id, metadata.
std::string SlotsNode(std::string_view ip, int port) {
  return Array({Bulk(ip), Int(port), Bulk(std::string(40, 'b')), Array({})});
}

auto IsShard(const Endpoint& master, const std::vector<Endpoint>& replicas,
             const std::vector<SlotRange>& ranges) {
  return AllOf(Field("master", &ViewShard::master, master),
               Field("replicas", &ViewShard::replicas, ElementsAreArray(replicas)),
               Field("ranges", &ViewShard::ranges, ElementsAreArray(ranges)));
}

Endpoint Local(uint16_t port) { return Endpoint{"127.0.0.1", port}; }

// --- CLUSTER SHARDS --------------------------------------------------------------------------

TEST(ParseClusterShards, RecordedReplyGivesEveryShardInOrder) {
  std::string why;
  const std::optional<ClusterView> view = ParseClusterShards(Decode(kRecordedShards), kAsked, &why);
  ASSERT_TRUE(view) << why;
  EXPECT_THAT(view->shards, ElementsAre(IsShard(Local(33007), {}, {}),
                                        IsShard(Local(33003), {Local(33004)}, {{10923, 16383}}),
                                        IsShard(Local(33001), {Local(33005)}, {{0, 5460}}),
                                        IsShard(Local(33002), {}, {{5461, 10922}})));
  EXPECT_EQ(why, "");
}

TEST(ParseClusterShards, ReplicaThatIsNotOnlineIsLeftOut) {
  const std::string wire = Array(
      {ShardsEntry({0, 16383}, {ShardsNode("127.0.0.1", "127.0.0.1", 7001, "master"),
                                ShardsNode("127.0.0.1", "127.0.0.1", 7004, "replica", "fail"),
                                ShardsNode("127.0.0.1", "127.0.0.1", 7005, "replica", "loading"),
                                ShardsNode("127.0.0.1", "127.0.0.1", 7006, "replica", "online")})});
  std::string why;
  const std::optional<ClusterView> view = ParseClusterShards(Decode(wire), kAsked, &why);
  ASSERT_TRUE(view) << why;
  EXPECT_THAT(view->shards, ElementsAre(IsShard(Local(7001), {Local(7006)}, {{0, 16383}})));
}

TEST(ParseClusterShards, SeveralRangesOfOneShardAreKeptInOrder) {
  const std::string wire = Array({ShardsEntry(
      {0, 99, 200, 200, 1000, 16383}, {ShardsNode("127.0.0.1", "127.0.0.1", 7001, "master")})});
  std::string why;
  const std::optional<ClusterView> view = ParseClusterShards(Decode(wire), kAsked, &why);
  ASSERT_TRUE(view) << why;
  EXPECT_THAT(view->shards,
              ElementsAre(IsShard(Local(7001), {}, {{0, 99}, {200, 200}, {1000, 16383}})));
}

TEST(ParseClusterShards, EndpointIsPreferredOverIp) {
  const std::string wire = Array(
      {ShardsEntry({0, 16383}, {ShardsNode("10.1.1.1", "redis-0.example", 7001, "master"),
                                ShardsNode("10.1.1.2", "redis-1.example", 7002, "replica")})});
  std::string why;
  const std::optional<ClusterView> view = ParseClusterShards(Decode(wire), kAsked, &why);
  ASSERT_TRUE(view) << why;
  EXPECT_THAT(view->shards,
              ElementsAre(IsShard(Endpoint{"redis-0.example", 7001},
                                  {Endpoint{"redis-1.example", 7002}}, {{0, 16383}})));
}

TEST(ParseClusterShards, EmptyOrUnknownEndpointFallsBackToTheIp) {
  const std::string wire =
      Array({ShardsEntry({0, 16383}, {ShardsNode("10.1.1.1", "", 7001, "master"),
                                      ShardsNode("10.1.1.2", "?", 7002, "replica")})});
  std::string why;
  const std::optional<ClusterView> view = ParseClusterShards(Decode(wire), kAsked, &why);
  ASSERT_TRUE(view) << why;
  EXPECT_THAT(view->shards, ElementsAre(IsShard(Endpoint{"10.1.1.1", 7001},
                                                {Endpoint{"10.1.1.2", 7002}}, {{0, 16383}})));
}

TEST(ParseClusterShards, NodeWithoutAnyAddressIsReachedAtTheAskedHostAndItsOwnPort) {
  const std::string wire = Array({ShardsEntry({0, 16383}, {ShardsNode("", "", 7001, "master")})});
  std::string why;
  const std::optional<ClusterView> view = ParseClusterShards(Decode(wire), kAsked, &why);
  ASSERT_TRUE(view) << why;
  EXPECT_THAT(view->shards, ElementsAre(IsShard(Endpoint{"10.0.0.9", 7001}, {}, {{0, 16383}})));
}

TEST(ParseClusterShards, ShardWithoutAMasterIsLeftOut) {
  const std::string wire =
      Array({ShardsEntry({0, 99}, {ShardsNode("127.0.0.1", "127.0.0.1", 7004, "replica")}),
             ShardsEntry({100, 16383}, {ShardsNode("127.0.0.1", "127.0.0.1", 7001, "master")})});
  std::string why;
  const std::optional<ClusterView> view = ParseClusterShards(Decode(wire), kAsked, &why);
  ASSERT_TRUE(view) << why;
  EXPECT_THAT(view->shards, ElementsAre(IsShard(Local(7001), {}, {{100, 16383}})));
}

TEST(ParseClusterShards, Resp3MapsParseLikeFlatArrays) {
  const std::string wire =
      "*1\r\n%2\r\n$5\r\nslots\r\n*2\r\n:0\r\n:16383\r\n$5\r\nnodes\r\n*1\r\n"
      "%4\r\n$4\r\nport\r\n:7001\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n"
      "$4\r\nrole\r\n$6\r\nmaster\r\n$6\r\nhealth\r\n$6\r\nonline\r\n";
  std::string why;
  const std::optional<ClusterView> view = ParseClusterShards(Decode(wire), kAsked, &why);
  ASSERT_TRUE(view) << why;
  EXPECT_THAT(view->shards, ElementsAre(IsShard(Local(7001), {}, {{0, 16383}})));
}

TEST(ParseClusterShards, EmptyReplyIsAnEmptyView) {
  std::string why;
  const std::optional<ClusterView> view = ParseClusterShards(Decode("*0\r\n"), kAsked, &why);
  ASSERT_TRUE(view) << why;
  EXPECT_THAT(view->shards, IsEmpty());
}

TEST(ParseClusterShards, ErrorReplyIsRefused) {
  std::string why;
  EXPECT_FALSE(ParseClusterShards(Decode("-ERR unknown subcommand 'SHARDS'.\r\n"), kAsked, &why));
  EXPECT_EQ(why, "CLUSTER SHARDS reply is not an array");
}

TEST(ParseClusterShards, EntryWithoutNodesIsRefused) {
  const std::string wire = Array({Array({Bulk("slots"), Array({Int(0), Int(16383)})})});
  std::string why;
  EXPECT_FALSE(ParseClusterShards(Decode(wire), kAsked, &why));
  EXPECT_EQ(why, "CLUSTER SHARDS entry without slots and nodes");
}

TEST(ParseClusterShards, OddNumberOfSlotBoundsIsRefused) {
  const std::string wire =
      Array({ShardsEntry({0, 99, 200}, {ShardsNode("127.0.0.1", "127.0.0.1", 7001, "master")})});
  std::string why;
  EXPECT_FALSE(ParseClusterShards(Decode(wire), kAsked, &why));
  EXPECT_EQ(why, "CLUSTER SHARDS entry without slots and nodes");
}

TEST(ParseClusterShards, NodeWithoutPortIsRefused) {
  const std::string node = Array({Bulk("ip"), Bulk("127.0.0.1"), Bulk("role"), Bulk("master")});
  const std::string wire = Array({ShardsEntry({0, 16383}, {node})});
  std::string why;
  EXPECT_FALSE(ParseClusterShards(Decode(wire), kAsked, &why));
  EXPECT_EQ(why, "CLUSTER SHARDS node without port or role");
}

TEST(ParseClusterShards, NodeWithPortOutOfRangeIsRefused) {
  for (int port : {0, -1, 65536}) {
    const std::string wire =
        Array({ShardsEntry({0, 16383}, {ShardsNode("127.0.0.1", "127.0.0.1", port, "master")})});
    std::string why;
    EXPECT_FALSE(ParseClusterShards(Decode(wire), kAsked, &why)) << port;
    EXPECT_EQ(why, "CLUSTER SHARDS node without port or role") << port;
  }
}

TEST(ParseClusterShards, NodeWithoutRoleIsRefused) {
  const std::string node = Array({Bulk("port"), Int(7001), Bulk("ip"), Bulk("127.0.0.1")});
  const std::string wire = Array({ShardsEntry({0, 16383}, {node})});
  std::string why;
  EXPECT_FALSE(ParseClusterShards(Decode(wire), kAsked, &why));
  EXPECT_EQ(why, "CLUSTER SHARDS node without port or role");
}

TEST(ParseClusterShards, SlotBoundThatIsNotAnIntegerIsRefused) {
  const std::string wire =
      Array({Array({Bulk("slots"), Array({Bulk("0"), Bulk("16383")}), Bulk("nodes"),
                    Array({ShardsNode("127.0.0.1", "127.0.0.1", 7001, "master")})})});
  std::string why;
  EXPECT_FALSE(ParseClusterShards(Decode(wire), kAsked, &why));
  EXPECT_EQ(why, "CLUSTER SHARDS slot bound is not an integer");
}

TEST(ParseClusterShards, SlotRangeOutOfBoundsIsRefused) {
  for (const auto& bounds : std::vector<std::vector<long long>>{{0, 16384}, {-1, 5}, {10, 9}}) {
    const std::string wire =
        Array({ShardsEntry(bounds, {ShardsNode("127.0.0.1", "127.0.0.1", 7001, "master")})});
    std::string why;
    EXPECT_FALSE(ParseClusterShards(Decode(wire), kAsked, &why)) << bounds[0] << "-" << bounds[1];
    EXPECT_EQ(why, "CLUSTER SHARDS slot range out of bounds") << bounds[0] << "-" << bounds[1];
  }
}

// --- CLUSTER SLOTS ---------------------------------------------------------------------------

TEST(ParseClusterSlots, RecordedReplyGivesEveryShardWithItsReplicas) {
  std::string why;
  const std::optional<ClusterView> view = ParseClusterSlots(Decode(kRecordedSlots), kAsked, &why);
  ASSERT_TRUE(view) << why;
  EXPECT_THAT(view->shards, ElementsAre(IsShard(Local(33001), {Local(33005)}, {{0, 5460}}),
                                        IsShard(Local(33002), {}, {{5461, 10922}}),
                                        IsShard(Local(33003), {Local(33004)}, {{10923, 16383}})));
}

TEST(ParseClusterSlots, EntriesOfOneMasterBecomeOneShard) {
  const std::string wire = Array(
      {Array({Int(0), Int(99), SlotsNode("127.0.0.1", 7001), SlotsNode("127.0.0.1", 7004)}),
       Array({Int(100), Int(199), SlotsNode("127.0.0.1", 7002)}),
       Array({Int(200), Int(299), SlotsNode("127.0.0.1", 7001), SlotsNode("127.0.0.1", 7004)})});
  std::string why;
  const std::optional<ClusterView> view = ParseClusterSlots(Decode(wire), kAsked, &why);
  ASSERT_TRUE(view) << why;
  EXPECT_THAT(view->shards, ElementsAre(IsShard(Local(7001), {Local(7004)}, {{0, 99}, {200, 299}}),
                                        IsShard(Local(7002), {}, {{100, 199}})));
}

TEST(ParseClusterSlots, EmptyOrUnknownHostFallsBackToTheAskedHost) {
  const std::string wire =
      Array({Array({Int(0), Int(16383), SlotsNode("", 7001), SlotsNode("?", 7004)})});
  std::string why;
  const std::optional<ClusterView> view = ParseClusterSlots(Decode(wire), kAsked, &why);
  ASSERT_TRUE(view) << why;
  EXPECT_THAT(view->shards, ElementsAre(IsShard(Endpoint{"10.0.0.9", 7001},
                                                {Endpoint{"10.0.0.9", 7004}}, {{0, 16383}})));
}

// CLUSTER SLOTS of redis-server 7.0.15 with cluster-preferred-endpoint-type unknown-endpoint:
// the host is a null bulk string, and Redis expects clients to use the address they asked at
// with the port given (its ip rides in the metadata map).
constexpr std::string_view kRecordedUnknownEndpointSlots =
    "*2\r\n*3\r\n:0\r\n:8191\r\n*4\r\n$-1\r\n:33008\r\n$40\r\n"
    "93842e964cf9730fa51c47b5c690befdcb7da852\r\n*2\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n"
    "*3\r\n:8192\r\n:16383\r\n*4\r\n$-1\r\n:33009\r\n$40\r\n"
    "ab87137cf0fc93af6b5119d10db890f97bd05138\r\n*2\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n";

TEST(ParseClusterSlots, NullHostOfAnUnknownEndpointIsReachedAtTheAskedHost) {
  std::string why;
  const std::optional<ClusterView> view =
      ParseClusterSlots(Decode(kRecordedUnknownEndpointSlots), kAsked, &why);
  ASSERT_TRUE(view) << why;
  EXPECT_THAT(view->shards, ElementsAre(IsShard(Endpoint{"10.0.0.9", 33008}, {}, {{0, 8191}}),
                                        IsShard(Endpoint{"10.0.0.9", 33009}, {}, {{8192, 16383}})));
}

TEST(ParseClusterSlots, MalformedReplicaIsSkipped) {
  const std::string wire =
      Array({Array({Int(0), Int(16383), SlotsNode("127.0.0.1", 7001), Array({Bulk("127.0.0.1")}),
                    SlotsNode("127.0.0.1", 0), SlotsNode("127.0.0.1", 7005)})});
  std::string why;
  const std::optional<ClusterView> view = ParseClusterSlots(Decode(wire), kAsked, &why);
  ASSERT_TRUE(view) << why;
  EXPECT_THAT(view->shards, ElementsAre(IsShard(Local(7001), {Local(7005)}, {{0, 16383}})));
}

TEST(ParseClusterSlots, ErrorReplyIsRefused) {
  std::string why;
  EXPECT_FALSE(ParseClusterSlots(Decode("-CLUSTERDOWN The cluster is down\r\n"), kAsked, &why));
  EXPECT_EQ(why, "CLUSTER SLOTS reply is not an array");
}

TEST(ParseClusterSlots, EntryWithoutAMasterIsRefused) {
  std::string why;
  EXPECT_FALSE(ParseClusterSlots(Decode(Array({Array({Int(0), Int(16383)})})), kAsked, &why));
  EXPECT_EQ(why, "CLUSTER SLOTS entry malformed");
}

TEST(ParseClusterSlots, EntryWithTextBoundsIsRefused) {
  const std::string wire = Array({Array({Bulk("0"), Bulk("16383"), SlotsNode("127.0.0.1", 7001)})});
  std::string why;
  EXPECT_FALSE(ParseClusterSlots(Decode(wire), kAsked, &why));
  EXPECT_EQ(why, "CLUSTER SLOTS entry malformed");
}

TEST(ParseClusterSlots, SlotRangeOutOfBoundsIsRefused) {
  const std::string wire = Array({Array({Int(0), Int(16384), SlotsNode("127.0.0.1", 7001)})});
  std::string why;
  EXPECT_FALSE(ParseClusterSlots(Decode(wire), kAsked, &why));
  EXPECT_EQ(why, "CLUSTER SLOTS entry malformed");
}

TEST(ParseClusterSlots, MasterWithBadPortIsRefused) {
  const std::string wire = Array({Array({Int(0), Int(16383), SlotsNode("127.0.0.1", 65536)})});
  std::string why;
  EXPECT_FALSE(ParseClusterSlots(Decode(wire), kAsked, &why));
  EXPECT_EQ(why, "CLUSTER SLOTS entry malformed");
}

// --- MergeViews ------------------------------------------------------------------------------

const Endpoint kA = Local(7001);
const Endpoint kB = Local(7002);
const Endpoint kC = Local(7003);
const Endpoint kA1 = Local(7004);
const Endpoint kB1 = Local(7005);

ClusterView View(std::vector<ViewShard> shards) { return ClusterView{std::move(shards), {}}; }

TEST(MergeViews, OneViewBecomesTheTable) {
  const auto table = MergeViews(
      {View({{kA, {kA1}, {{0, 8191}}}, {kB, {kB1}, {{8192, 16000}, {16001, 16383}}}})}, 5);
  EXPECT_EQ(table->version(), 5u);
  ASSERT_EQ(table->shards().size(), 2u);
  EXPECT_EQ(table->shards()[0].master, kA);
  EXPECT_THAT(table->shards()[0].replicas, ElementsAre(kA1));
  EXPECT_EQ(table->shards()[1].master, kB);
  EXPECT_THAT(table->shards()[1].replicas, ElementsAre(kB1));
  EXPECT_THAT(table->RangesOf(0), ElementsAre(SlotRange{0, 8191}));
  EXPECT_THAT(table->RangesOf(1), ElementsAre(SlotRange{8192, 16383}));
  EXPECT_THAT(table->migrations(), IsEmpty());
}

TEST(MergeViews, NoViewsGiveAnEmptyTable) {
  const auto table = MergeViews({}, 1);
  EXPECT_THAT(table->shards(), IsEmpty());
  EXPECT_EQ(table->ShardForSlot(0), nullptr);
}

TEST(MergeViews, SlotsNoViewNamesStayUnowned) {
  const auto table = MergeViews({View({{kA, {}, {{0, 99}}}}), View({{kA, {}, {{0, 99}}}})}, 1);
  EXPECT_EQ(table->ShardForSlot(99)->master, kA);
  EXPECT_EQ(table->ShardForSlot(100), nullptr);
  EXPECT_EQ(table->SlotsOwnedBy(kA), 100u);
}

TEST(MergeViews, OneStaleViewIsOutvotedByTheOthers) {
  const auto table = MergeViews({View({{kA, {}, {{0, 16383}}}}),  // stale: still thinks A owns all
                                 View({{kA, {}, {{0, 99}, {200, 16383}}}, {kB, {}, {{100, 199}}}}),
                                 View({{kA, {}, {{0, 99}, {200, 16383}}}, {kB, {}, {{100, 199}}}})},
                                1);
  EXPECT_EQ(table->ShardForSlot(99)->master, kA);
  EXPECT_EQ(table->ShardForSlot(100)->master, kB);
  EXPECT_EQ(table->ShardForSlot(199)->master, kB);
  EXPECT_EQ(table->ShardForSlot(200)->master, kA);
  EXPECT_EQ(table->SlotsOwnedBy(kB), 100u);
}

TEST(MergeViews, TieGoesToTheEarlierView) {
  const auto table =
      MergeViews({View({{kB, {}, {{0, 16383}}}}), View({{kA, {}, {{0, 16383}}}})}, 1);
  EXPECT_EQ(table->ShardForSlot(0)->master, kB);
  EXPECT_EQ(table->SlotsOwnedBy(kA), 0u);
}

TEST(MergeViews, TieAmongManyViewsGoesToTheMasterNamedFirst) {
  const auto table = MergeViews({View({{kA, {}, {{0, 9}}}}), View({{kB, {}, {{0, 9}}}}),
                                 View({{kB, {}, {{0, 9}}}}), View({{kA, {}, {{0, 9}}}})},
                                1);
  EXPECT_EQ(table->ShardForSlot(0)->master, kA);
}

TEST(MergeViews, ShardsKeepTheOrderInWhichViewsNameTheirMasters) {
  const auto table = MergeViews({View({{kB, {}, {{100, 199}}}, {kC, {}, {}}}),
                                 View({{kA, {}, {{0, 99}}}, {kB, {}, {{100, 199}}}})},
                                1);
  ASSERT_EQ(table->shards().size(), 3u);
  EXPECT_EQ(table->shards()[0].master, kB);
  EXPECT_EQ(table->shards()[1].master, kC);
  EXPECT_EQ(table->shards()[2].master, kA);
}

TEST(MergeViews, SlotlessMasterIsKeptWithItsReplicas) {
  const auto table = MergeViews({View({{kA, {}, {{0, 16383}}}, {kC, {kA1}, {}}})}, 1);
  ASSERT_EQ(table->shards().size(), 2u);
  EXPECT_EQ(table->shards()[1].master, kC);
  EXPECT_THAT(table->shards()[1].replicas, ElementsAre(kA1));
  EXPECT_THAT(table->RangesOf(1), IsEmpty());
}

TEST(MergeViews, ReplicasOfAMasterAreJoinedAcrossViewsWithoutDuplicates) {
  const auto table =
      MergeViews({View({{kA, {kA1}, {{0, 16383}}}}), View({{kA, {kA1, kB1}, {{0, 16383}}}})}, 1);
  ASSERT_EQ(table->shards().size(), 1u);
  EXPECT_THAT(table->shards()[0].replicas, ElementsAre(kA1, kB1));
}

TEST(MergeViews, FailoverSeenByMostViewsPromotesTheReplica) {
  // View 0 has not seen A fail over to A1 yet; the others have.
  const auto table = MergeViews({View({{kA, {kA1}, {{0, 16383}}}}), View({{kA1, {}, {{0, 16383}}}}),
                                 View({{kA1, {}, {{0, 16383}}}})},
                                1);
  const Shard* owner = table->ShardForSlot(0);
  ASSERT_NE(owner, nullptr);
  EXPECT_EQ(owner->master, kA1);
  EXPECT_THAT(owner->replicas, IsEmpty());
  EXPECT_EQ(table->SlotsOwnedBy(kA), 0u);
}

// --- DescribeDrift ---------------------------------------------------------------------------

std::shared_ptr<const SlotTable> Table(
    const std::vector<std::pair<Endpoint, std::vector<SlotRange>>>& owners,
    const std::vector<SlotMigration>& migrations = {}) {
  SlotTableBuilder builder;
  for (const auto& [master, ranges] : owners) {
    const size_t shard = builder.AddShard(master);
    for (const SlotRange& range : ranges) builder.Assign(range, shard);
  }
  for (const SlotMigration& m : migrations) builder.AddMigration(m);
  return builder.Build(1);
}

TEST(DescribeDrift, SameOwnersHaveNoDrift) {
  const auto configured = Table({{kA, {{0, 8191}}}, {kB, {{8192, 16383}}}});
  // Shard order and replicas do not matter, only who owns each slot.
  SlotTableBuilder builder;
  const size_t b = builder.AddShard(kB);
  const size_t a = builder.AddShard(kA);
  builder.AddReplica(a, kA1);
  builder.Assign({0, 8191}, a);
  builder.Assign({8192, 16383}, b);
  EXPECT_THAT(DescribeDrift(*configured, *builder.Build(2)), IsEmpty());
}

TEST(DescribeDrift, ReassignedRangeIsOneLine) {
  const auto configured = Table({{kA, {{0, 8191}}}, {kB, {{8192, 16383}}}});
  const auto live = Table({{kA, {{100, 8191}}}, {kB, {{0, 99}, {8192, 16383}}}});
  EXPECT_THAT(DescribeDrift(*configured, *live),
              ElementsAre("slots 0-99: configured 127.0.0.1:7001, cluster has 127.0.0.1:7002"));
}

TEST(DescribeDrift, SlotsTheClusterDoesNotServeSayNoOwner) {
  const auto configured = Table({{kA, {{0, 16383}}}});
  const auto live = Table({{kA, {{0, 16000}}}});
  EXPECT_THAT(DescribeDrift(*configured, *live),
              ElementsAre("slots 16001-16383: configured 127.0.0.1:7001, cluster has no owner"));
}

TEST(DescribeDrift, SlotsTheConfigLeavesOutAreNotDrift) {
  const auto configured = Table({{kA, {{0, 99}}}});
  const auto live = Table({{kA, {{0, 99}}}, {kB, {{100, 16383}}}});
  EXPECT_THAT(DescribeDrift(*configured, *live), IsEmpty());
}

TEST(DescribeDrift, OneSlotIsNamedAsARangeOfOne) {
  const auto configured = Table({{kA, {{0, 16383}}}});
  const auto live = Table({{kA, {{0, 41}, {43, 16383}}}, {kB, {{42, 42}}}});
  EXPECT_THAT(DescribeDrift(*configured, *live),
              ElementsAre("slots 42-42: configured 127.0.0.1:7001, cluster has 127.0.0.1:7002"));
}

TEST(DescribeDrift, EachDifferingRunIsItsOwnLineInSlotOrder) {
  const auto configured = Table({{kA, {{0, 8191}}}, {kB, {{8192, 16383}}}});
  const auto live = Table({{kC, {{0, 9}}}, {kB, {{10, 19}, {8192, 16383}}}, {kA, {{20, 8191}}}});
  EXPECT_THAT(DescribeDrift(*configured, *live),
              ElementsAre("slots 0-9: configured 127.0.0.1:7001, cluster has 127.0.0.1:7003",
                          "slots 10-19: configured 127.0.0.1:7001, cluster has 127.0.0.1:7002"));
}

TEST(DescribeDrift, ConfiguredMigrationTheClusterDoesNotShowIsDrift) {
  const auto configured = Table({{kA, {{0, 16383}}}}, {{7, kA, kB}});
  const auto live = Table({{kA, {{0, 16383}}}});
  EXPECT_THAT(DescribeDrift(*configured, *live),
              ElementsAre("slot 7: configured migrating from 127.0.0.1:7001 to 127.0.0.1:7002, "
                          "cluster shows no such migration"));
}

TEST(DescribeDrift, ConfiguredMigrationToAnotherTargetIsDrift) {
  const auto configured = Table({{kA, {{0, 16383}}}}, {{7, kA, kB}});
  const auto live = Table({{kA, {{0, 16383}}}}, {{7, kA, kC}});
  EXPECT_THAT(DescribeDrift(*configured, *live),
              ElementsAre("slot 7: configured migrating from 127.0.0.1:7001 to 127.0.0.1:7002, "
                          "cluster shows no such migration"));
}

TEST(DescribeDrift, ConfiguredMigrationTheClusterShowsIsNotDrift) {
  const auto configured = Table({{kA, {{0, 16383}}}}, {{7, kA, kB}});
  const auto live = Table({{kA, {{0, 16383}}}}, {{7, kA, kB}});
  EXPECT_THAT(DescribeDrift(*configured, *live), IsEmpty());
}

TEST(DescribeDrift, LiveMigrationsAreNotComparedWhenTheConfigDeclaresNone) {
  const auto configured = Table({{kA, {{0, 16383}}}});
  const auto live = Table({{kA, {{0, 16383}}}}, {{7, kA, kB}});
  EXPECT_THAT(DescribeDrift(*configured, *live), IsEmpty());
}

TEST(DescribeDrift, OwnerLinesComeBeforeMigrationLines) {
  const auto configured = Table({{kA, {{0, 16383}}}}, {{7, kA, kB}});
  const auto live = Table({{kA, {{0, 16382}}}, {kB, {{16383, 16383}}}});
  EXPECT_THAT(
      DescribeDrift(*configured, *live),
      ElementsAre("slots 16383-16383: configured 127.0.0.1:7001, cluster has 127.0.0.1:7002",
                  "slot 7: configured migrating from 127.0.0.1:7001 to 127.0.0.1:7002, "
                  "cluster shows no such migration"));
}

}  // namespace
}  // namespace slotgate

namespace slotgate {
namespace {

constexpr std::string_view kNodesWhileMigrating =
    "aaaa 127.0.0.1:7001@17001 myself,master - 0 0 1 connected 0-5460 [100->-bbbb] "
    "[6000-<-cccc]\n"
    "bbbb 127.0.0.1:7002@17002,host2 master - 0 1426238316232 2 connected 5461-10922\n"
    "cccc :7003@17003 master - 0 1426238316232 3 connected 10923-16383\n";

TEST(ParseClusterNodesMigrations, MigratingAndImportingSlotsOfTheAnsweringNode) {
  const std::vector<SlotMigration> migrations =
      ParseClusterNodesMigrations(kNodesWhileMigrating, Endpoint{"10.0.0.9", 7001});
  ASSERT_EQ(migrations.size(), 2u);
  EXPECT_EQ(migrations[0].slot, 100);
  EXPECT_EQ(migrations[0].from, (Endpoint{"127.0.0.1", 7001}));
  EXPECT_EQ(migrations[0].to, (Endpoint{"127.0.0.1", 7002}));
  EXPECT_EQ(migrations[1].slot, 6000);
  EXPECT_EQ(migrations[1].from, (Endpoint{"10.0.0.9", 7003}));  // empty ip: the asked host
  EXPECT_EQ(migrations[1].to, (Endpoint{"127.0.0.1", 7001}));
}

TEST(ParseClusterNodesMigrations, OtherNodesLinesAndUnknownIdsAreIgnored) {
  EXPECT_TRUE(ParseClusterNodesMigrations(
                  "aaaa 127.0.0.1:7001@17001 master - 0 0 1 connected 0-5460 [100->-bbbb]\n",
                  Endpoint{"127.0.0.1", 7001})
                  .empty());
  EXPECT_TRUE(ParseClusterNodesMigrations(
                  "aaaa 127.0.0.1:7001@17001 myself,master - 0 0 1 connected [1->-zzzz]\n",
                  Endpoint{"127.0.0.1", 7001})
                  .empty());
}

TEST(MergeViews, MigrationsOfEveryViewAreKeptOnce) {
  ClusterView a;
  a.shards.push_back(ViewShard{Endpoint{"127.0.0.1", 7001}, {}, {{0, 16383}}});
  a.migrations.push_back(
      SlotMigration{5, Endpoint{"127.0.0.1", 7001}, Endpoint{"127.0.0.1", 7002}});
  ClusterView b = a;
  const auto table = MergeViews({a, b}, 2);
  ASSERT_EQ(table->migrations().size(), 1u);
  EXPECT_EQ(table->MigrationOf(5)->to, (Endpoint{"127.0.0.1", 7002}));
}

}  // namespace
}  // namespace slotgate
