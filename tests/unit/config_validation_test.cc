// Cross-field checks: the slot table (ranges, overlaps, coverage), the mode's requirements,
// migrations against the slot table. One test per invalid shape, asserting the exact text.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/config.h"
#include "tests/unit/config_test_util.h"

namespace slotgate {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;


// Lines 1-6: a cluster with the demo's three masters. Tests append lines from 7 on.
constexpr std::string_view kCluster =
    "backend:\n"
    "  seeds: [127.0.0.1:7001]\n"
    "  slots:\n"
    "    127.0.0.1:7001: [0-5460]\n"
    "    127.0.0.1:7002: [5461-10922]\n"
    "    127.0.0.1:7003: [10923-16383]\n";

std::string Cluster(std::string_view more) { return std::string(kCluster) + std::string(more); }

// Lines 1-2 open a static-mode slot table; tests add its node lines from line 3 on.
constexpr std::string_view kStatic =
    "backend:\n"
    "  mode: static\n";

TEST(SlotTable, DemoClusterTableLoads) {
  const Config config = LoadOk(kCluster);
  EXPECT_THAT(config.slots, ElementsAre(NodeSlots{{"127.0.0.1", 7001}, {{0, 5460}}},
                                        NodeSlots{{"127.0.0.1", 7002}, {{5461, 10922}}},
                                        NodeSlots{{"127.0.0.1", 7003}, {{10923, 16383}}}));
}

TEST(SlotTable, ClusterModeAcceptsAPartialTable) {
  EXPECT_EQ(
      LoadOk("backend:\n  seeds: [127.0.0.1:7001]\n  slots: {127.0.0.1:7001: [7]}\n").slots.size(),
      1u);
}

TEST(SlotTable, SlotPastTheLastIsRefused) {
  EXPECT_THAT(ErrorsOf("backend:\n  seeds: [127.0.0.1:7001]\n  slots:\n"
                       "    127.0.0.1:7001: [16384]\n"),
              ElementsAre("t.yaml:4:22: slot 16384 out of range 0-16383"));
}

TEST(SlotTable, RangeEndingPastTheLastIsRefused) {
  EXPECT_THAT(ErrorsOf("backend:\n  seeds: [127.0.0.1:7001]\n  slots:\n"
                       "    127.0.0.1:7001: [10923-16384]\n"),
              ElementsAre("t.yaml:4:22: slot 16384 out of range 0-16383"));
}

TEST(SlotTable, ReversedRangeIsRefused) {
  EXPECT_THAT(ErrorsOf("backend:\n  seeds: [127.0.0.1:7001]\n  slots:\n"
                       "    127.0.0.1:7001: [5460-0]\n"),
              ElementsAre("t.yaml:4:22: slot range 5460-0 is reversed (first > last)"));
}

TEST(SlotTable, TextThatIsNotARangeIsRefused) {
  EXPECT_THAT(ErrorsOf("backend:\n  seeds: [127.0.0.1:7001]\n  slots:\n"
                       "    127.0.0.1:7001: [0..5460]\n"),
              ElementsAre("t.yaml:4:22: slot range '0..5460' is not a slot or a range like "
                          "0-5460"));
}

TEST(SlotTable, NestedListIsNotARange) {
  EXPECT_THAT(ErrorsOf("backend:\n  seeds: [127.0.0.1:7001]\n  slots:\n"
                       "    127.0.0.1:7001: [[0, 5460]]\n"),
              ElementsAre("t.yaml:4:22: a slot range must look like 0-5460 or 5000, got a list"));
}

TEST(SlotTable, RangesMustBeAList) {
  EXPECT_THAT(ErrorsOf("backend:\n  seeds: [127.0.0.1:7001]\n  slots:\n"
                       "    127.0.0.1:7001: 0-5460\n"),
              ElementsAre("t.yaml:4:21: the slots of '127.0.0.1:7001' must be a list of slot "
                          "ranges like [0-5460], got '0-5460'"));
}

TEST(SlotTable, TableMustBeAMap) {
  EXPECT_THAT(ErrorsOf("backend:\n  seeds: [127.0.0.1:7001]\n  slots: [0-5460]\n"),
              ElementsAre("t.yaml:3:10: backend.slots must be a map, got a list"));
}

TEST(SlotTable, NodeWithoutPortIsRefused) {
  EXPECT_THAT(ErrorsOf("backend:\n  seeds: [127.0.0.1:7001]\n  slots:\n"
                       "    127.0.0.1: [0-5460]\n"),
              ElementsAre("t.yaml:4:5: node address '127.0.0.1' has no port (expected "
                          "host:port)"));
}

TEST(SlotTable, OverlapNamesBothNodesAndRanges) {
  EXPECT_THAT(ErrorsOf("backend:\n  seeds: [127.0.0.1:7001]\n  slots:\n"
                       "    127.0.0.1:7001: [0-5460]\n"
                       "    127.0.0.1:7002: [5000-5460]\n"),
              ElementsAre("t.yaml:5:22: slots 5000-5460 of 127.0.0.1:7002 overlap 0-5460 of "
                          "127.0.0.1:7001"));
}

TEST(SlotTable, OverlapIsBlamedOnTheLaterStartWhateverTheFileOrder) {
  EXPECT_THAT(ErrorsOf("backend:\n  seeds: [127.0.0.1:7001]\n  slots:\n"
                       "    127.0.0.1:7002: [5000-5460]\n"
                       "    127.0.0.1:7001: [0-5460]\n"),
              ElementsAre("t.yaml:4:22: slots 5000-5460 of 127.0.0.1:7002 overlap 0-5460 of "
                          "127.0.0.1:7001"));
}

TEST(SlotTable, OverlapWithinOneNodeIsRefused) {
  EXPECT_THAT(ErrorsOf("backend:\n  seeds: [127.0.0.1:7001]\n  slots:\n"
                       "    127.0.0.1:7001: [0-100, 50]\n"),
              ElementsAre("t.yaml:4:29: slot 50 of 127.0.0.1:7001 overlaps 0-100 of "
                          "127.0.0.1:7001"));
}

TEST(SlotTable, EveryOverlapIsReported) {
  EXPECT_THAT(ErrorsOf("backend:\n  seeds: [127.0.0.1:7001]\n  slots:\n"
                       "    127.0.0.1:7001: [0-16383]\n"
                       "    127.0.0.1:7002: [10, 20-30]\n"),
              ElementsAre("t.yaml:5:22: slot 10 of 127.0.0.1:7002 overlaps 0-16383 of "
                          "127.0.0.1:7001",
                          "t.yaml:5:26: slots 20-30 of 127.0.0.1:7002 overlap 0-16383 of "
                          "127.0.0.1:7001"));
}

TEST(SlotTable, DuplicateNodeKeyIsRefused) {
  EXPECT_THAT(ErrorsOf("backend:\n  seeds: [127.0.0.1:7001]\n  slots:\n"
                       "    127.0.0.1:7001: [0]\n"
                       "    127.0.0.1:7001: [1]\n"),
              ElementsAre("t.yaml:5:5: duplicate key '127.0.0.1:7001' (first at line 4)"));
}

TEST(SlotTable, SameNodeSpelledTwoWaysIsRefused) {
  EXPECT_THAT(ErrorsOf("backend:\n  seeds: [127.0.0.1:7001]\n  slots:\n"
                       "    127.0.0.1:7001: [0]\n"
                       "    127.0.0.1:07001: [1]\n"),
              ElementsAre("t.yaml:5:5: node 127.0.0.1:7001 is listed twice in backend.slots "
                          "(first at line 4)"));
}

TEST(StaticMode, FullTableLoads) {
  const Config config = LoadOk(std::string(kStatic) +
                               "  slots:\n"
                               "    10.0.0.1:6379: [0-8191]\n"
                               "    10.0.0.2:6379: [8192-16383]\n");
  Config expected;
  expected.mode = BackendMode::kStatic;
  expected.slots = {{{"10.0.0.1", 6379}, {{0, 8191}}}, {{"10.0.0.2", 6379}, {{8192, 16383}}}};
  EXPECT_EQ(config, expected);
}

TEST(StaticMode, NeedsEverySlotCoveredAndNamesTheFirstGap) {
  EXPECT_THAT(ErrorsOf(std::string(kStatic) + "  slots:\n"
                                              "    10.0.0.1:6379: [0-99, 200-8191]\n"
                                              "    10.0.0.2:6379: [8192-16000]\n"),
              ElementsAre("t.yaml:3:3: slots 100-199 are not assigned to any node (static mode "
                          "needs all of 0-16383; 483 unassigned)"));
}

TEST(StaticMode, NamesASingleSlotGap) {
  EXPECT_THAT(ErrorsOf(std::string(kStatic) + "  slots:\n"
                                              "    10.0.0.1:6379: [0-16382]\n"),
              ElementsAre("t.yaml:3:3: slot 16383 is not assigned to any node (static mode "
                          "needs all of 0-16383; 1 unassigned)"));
}

TEST(StaticMode, NeedsASlotTable) {
  EXPECT_THAT(ErrorsOf(kStatic), ElementsAre("t.yaml:2:3: static mode needs a backend.slots "
                                             "table covering slots 0-16383"));
}

TEST(StaticMode, RefusesSeedsMigrationsAndReplicaReads) {
  EXPECT_THAT(ErrorsOf(std::string(kStatic) +
                       "  seeds: [10.0.0.1:6379]\n"
                       "  read_from: replica\n"
                       "  slots: {10.0.0.1:6379: [0-16383]}\n"
                       "  migrations: [{slot: 1, from: 10.0.0.1:6379, to: 10.0.0.2:6379}]\n"),
              ElementsAre("t.yaml:3:3: backend.seeds is only for cluster mode (static mode "
                          "routes by backend.slots alone)",
                          "t.yaml:4:3: backend.read_from 'replica' needs cluster mode (static "
                          "mode knows no replicas)",
                          "t.yaml:6:3: backend.migrations is only for cluster mode"));
}

TEST(StaticMode, ABadRangeIsReportedOnceNotAgainAsAGap) {
  EXPECT_THAT(ErrorsOf(std::string(kStatic) + "  slots:\n"
                                              "    10.0.0.1:6379: [0-8191]\n"
                                              "    10.0.0.2:6379: [8192-16384]\n"),
              ElementsAre("t.yaml:5:21: slot 16384 out of range 0-16383"));
}

TEST(ClusterMode, NeedsASeed) {
  EXPECT_THAT(ErrorsOf("workers: 1\n"),
              ElementsAre("t.yaml:1:1: cluster mode needs at least one seed in backend.seeds"));
  EXPECT_THAT(ErrorsOf("backend:\n  seeds: []\n"),
              ElementsAre("t.yaml:2:3: cluster mode needs at least one seed in backend.seeds"));
}

TEST(ClusterMode, ABadSeedIsReportedOnceNotAgainAsNoSeed) {
  EXPECT_THAT(ErrorsOf("backend:\n  seeds: [localhost]\n"),
              ElementsAre("t.yaml:2:11: seed address 'localhost' has no port (expected "
                          "host:port)"));
}

TEST(ClusterMode, ABackendThatIsNotAMapIsReportedOnce) {
  EXPECT_THAT(ErrorsOf("backend: cluster\n"),
              ElementsAre("t.yaml:1:10: backend must be a map, got 'cluster'"));
}

TEST(ClusterMode, DuplicateSeedIsRefused) {
  EXPECT_THAT(ErrorsOf("backend:\n  seeds:\n    - 127.0.0.1:7001\n    - 127.0.0.1:7001\n"),
              ElementsAre("t.yaml:4:7: seed 127.0.0.1:7001 is listed twice (first at line 3)"));
}

TEST(Migrations, ValidMigrationLoads) {
  const Config config = LoadOk(
      Cluster("  migrations:\n    - {slot: 5000, from: 127.0.0.1:7001, to: 127.0.0.1:7002}\n"));
  EXPECT_THAT(config.migrations,
              ElementsAre(Migration{5000, {"127.0.0.1", 7001}, {"127.0.0.1", 7002}}));
}

TEST(Migrations, FromMustOwnTheSlot) {
  EXPECT_THAT(
      ErrorsOf(
          Cluster("  migrations:\n    - {slot: 5000, from: 127.0.0.1:7002, to: 127.0.0.1:7003}\n")),
      ElementsAre("t.yaml:8:26: migration of slot 5000: from 127.0.0.1:7002 does not own it "
                  "(127.0.0.1:7001 does)"));
}

TEST(Migrations, FromMustOwnASlotNobodyOwns) {
  EXPECT_THAT(ErrorsOf("backend:\n  seeds: [127.0.0.1:7001]\n"
                       "  slots: {127.0.0.1:7001: [0-5460]}\n"
                       "  migrations: [{slot: 6000, from: 127.0.0.1:7001, to: 127.0.0.1:7002}]\n"),
              ElementsAre("t.yaml:4:35: migration of slot 6000: from 127.0.0.1:7001 does not "
                          "own it (no node in backend.slots does)"));
}

TEST(Migrations, NeedASlotTable) {
  EXPECT_THAT(ErrorsOf("backend:\n  seeds: [127.0.0.1:7001]\n"
                       "  migrations: [{slot: 1, from: 127.0.0.1:7001, to: 127.0.0.1:7002}]\n"),
              ElementsAre("t.yaml:3:3: backend.migrations needs a backend.slots table saying "
                          "who owns each slot"));
}

TEST(Migrations, ToMustDifferFromFrom) {
  EXPECT_THAT(ErrorsOf(Cluster(
                  "  migrations:\n    - {slot: 1, from: 127.0.0.1:7001, to: 127.0.0.1:7001}\n")),
              ElementsAre("t.yaml:8:43: migration of slot 1: from and to are both 127.0.0.1:7001"));
}

TEST(Migrations, OneSlotMigratesOnce) {
  EXPECT_THAT(ErrorsOf(Cluster("  migrations:\n"
                               "    - {slot: 1, from: 127.0.0.1:7001, to: 127.0.0.1:7002}\n"
                               "    - {slot: 1, from: 127.0.0.1:7001, to: 127.0.0.1:7003}\n")),
              ElementsAre("t.yaml:9:14: migration of slot 1: declared twice (first at line 8)"));
}

TEST(Migrations, SlotMustBeInRange) {
  EXPECT_THAT(
      ErrorsOf(Cluster(
          "  migrations:\n    - {slot: 16384, from: 127.0.0.1:7001, to: 127.0.0.1:7002}\n")),
      ElementsAre("t.yaml:8:14: slot 16384 out of range 0-16383"));
}

TEST(Migrations, EveryKeyIsRequired) {
  EXPECT_THAT(ErrorsOf(Cluster("  migrations:\n    - slot: 1\n")),
              ElementsAre("t.yaml:8:7: migration is missing 'from'",
                          "t.yaml:8:7: migration is missing 'to'"));
}

TEST(Migrations, UnknownKeySuggests) {
  EXPECT_THAT(ErrorsOf(Cluster(
                  "  migrations:\n    - {slot: 1, from: 127.0.0.1:7001, too: 127.0.0.1:7002}\n")),
              ElementsAre("t.yaml:8:7: migration is missing 'to'",
                          "t.yaml:8:39: unknown key 'too' (did you mean 'to'?)"));
}

TEST(Migrations, ItemMustBeAMap) {
  EXPECT_THAT(ErrorsOf(Cluster("  migrations: [5000]\n")),
              ElementsAre("t.yaml:7:16: a migration must be a map {slot, from, to}, got '5000'"));
}

TEST(Migrations, BadAddressIsNamed) {
  EXPECT_THAT(
      ErrorsOf(Cluster("  migrations:\n    - {slot: 1, from: 127.0.0.1:7001, to: 127.0.0.1}\n")),
      ElementsAre("t.yaml:8:43: to address '127.0.0.1' has no port (expected host:port)"));
}

TEST(Migrations, ABrokenSlotTableDoesNotMakeOwnershipErrors) {
  EXPECT_THAT(ErrorsOf("backend:\n  seeds: [127.0.0.1:7001]\n"
                       "  slots: {127.0.0.1: [0-5460]}\n"
                       "  migrations: [{slot: 1, from: 127.0.0.1:7001, to: 127.0.0.1:7002}]\n"),
              ElementsAre("t.yaml:3:11: node address '127.0.0.1' has no port (expected "
                          "host:port)"));
}

TEST(Endpoints, MetricsMustDifferFromListen) {
  EXPECT_THAT(ErrorsOf(Cluster("listen: 127.0.0.1:6380\nmetrics: 127.0.0.1:6380\n")),
              ElementsAre("t.yaml:8:10: metrics address 127.0.0.1:6380 is the same as listen"));
}

TEST(Limits, QueryBufferMustHoldTheLargestBulk) {
  EXPECT_THAT(ErrorsOf(Cluster("limits:\n  max_bulk_length: 2gb\n")),
              ElementsAre("t.yaml:8:3: limits.client_query_buffer_bytes (1gb) must be at least "
                          "limits.max_bulk_length (2gb)"));
  EXPECT_THAT(ErrorsOf(Cluster("limits:\n  max_bulk_length: 2gb\n"
                               "  client_query_buffer_bytes: 1gb\n")),
              ElementsAre("t.yaml:9:3: limits.client_query_buffer_bytes (1gb) must be at least "
                          "limits.max_bulk_length (2gb)"));
}

}  // namespace
}  // namespace slotgate
