#include "tests/integration/support/cluster_suite.h"

#include "tests/integration/support/redis_client.h"

namespace slotgate::test {

RedisCluster* ClusterSuite::cluster_ = nullptr;
SlotgateProcess* ClusterSuite::proxy_ = nullptr;

void ClusterSuite::StartCluster(const ClusterSuiteOptions& options) {
  cluster_ = new RedisCluster(options.masters, options.replicas_per_master);
  SlotgateConfig config = SlotgateConfig::ForCluster(*cluster_);
  if (options.admin_commands) config.Top("admin_commands", "true");
  if (options.configure) options.configure(config);
  proxy_ = new SlotgateProcess(config);
}

void ClusterSuite::StopCluster() {
  delete proxy_;
  delete cluster_;
  proxy_ = nullptr;
  cluster_ = nullptr;
}

std::string ClusterSuite::Ask(const std::vector<std::string>& args) {
  RedisClient client(proxy_->port());
  return client.CommandString(args);
}

}  // namespace slotgate::test
