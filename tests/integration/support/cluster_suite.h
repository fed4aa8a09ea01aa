// A test suite whose tests share one Redis Cluster and one slotgate in front of it: starting
// them is most of an integration test's time. A suite wanting other than 3 masters, or a
// different slotgate config, starts them from its own SetUpTestSuite.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "tests/integration/support/redis_cluster.h"
#include "tests/integration/support/slotgate_process.h"

namespace slotgate::test {

struct ClusterSuiteOptions {
  int masters = 3;
  int replicas_per_master = 0;
  std::function<void(SlotgateConfig&)> configure = nullptr;  // e.g. a limit or a timeout
  // Lets clients run the operator's commands (FLUSHALL, CONFIG SET, FUNCTION FLUSH, ...), which
  // some suites use to set nodes up and clean up; off, as by default.
  bool admin_commands = false;
};

class ClusterSuite : public testing::Test {
 protected:
  static void SetUpTestSuite() { StartCluster({}); }
  static void TearDownTestSuite() { StopCluster(); }
  static void StartCluster(const ClusterSuiteOptions& options);
  static void StopCluster();

  // One command through slotgate on a connection of its own; the reply as ReplyToString says.
  static std::string Ask(const std::vector<std::string>& args);

  static RedisCluster* cluster_;
  static SlotgateProcess* proxy_;
};

}  // namespace slotgate::test
