// Loading: valid files give exactly the expected Config; each malformed shape gives exactly one
// error text, with its line and column, and every error of a file is reported.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "config/config.h"
#include "tests/unit/config_test_util.h"

namespace slotgate {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr std::string_view kSeedsOnly = "backend:\n  seeds: [127.0.0.1:7001]\n";


Config SeedsOnlyConfig() {
  Config config;
  config.seeds = {{"127.0.0.1", 7001}};
  return config;
}

TEST(ConfigLoader, MinimalClusterConfigTakesEveryDefault) {
  EXPECT_EQ(LoadOk(kSeedsOnly), SeedsOnlyConfig());
  const Config config = LoadOk(kSeedsOnly);
  EXPECT_EQ(config.listen, (Endpoint{"127.0.0.1", 6380}));
  EXPECT_EQ(config.timeouts.redirect_deadline_ms, 2000u);
  EXPECT_EQ(config.limits.max_redirects, 5u);
  EXPECT_EQ(config.limits.max_bulk_length, 512ull << 20);
  EXPECT_EQ(config.limits.max_multibulk_length, 1048576u);
  EXPECT_EQ(config.limits.max_inline_length, 65536u);
  EXPECT_FALSE(config.metrics.has_value());
  EXPECT_FALSE(config.admin_commands);
  EXPECT_TRUE(config.protected_mode);
  EXPECT_EQ(config.limits.pubsub_output_buffer_bytes, 32ull << 20);
  EXPECT_EQ(config.limits.client_memory_bytes, 0u);
}

TEST(ConfigLoader, EveryKeyLoadsToTheExactConfig) {
  const Config config = LoadOk(
      "listen: 0.0.0.0:6390\n"
      "workers: 4\n"
      "metrics: '[::1]:9380'\n"
      "log_level: debug\n"
      "admin_commands: true\n"
      "protected_mode: false\n"
      "backend:\n"
      "  mode: cluster\n"
      "  seeds: [127.0.0.1:7001, 127.0.0.1:7002]\n"
      "  read_from: prefer-replica\n"
      "  slots:\n"
      "    127.0.0.1:7001: [0-5460]\n"
      "    127.0.0.1:7002: [5461-10922, 16000]\n"
      "    \"[::1]:7003\": [10923-15999, 16001-16383]\n"
      "  migrations:\n"
      "    - {slot: 5000, from: 127.0.0.1:7001, to: 127.0.0.1:7002}\n"
      "    - slot: 16000\n"
      "      from: 127.0.0.1:7002\n"
      "      to: '[::1]:7003'\n"
      "timeouts: {connect_ms: 1, backend_request_ms: 600000, client_idle_s: 300,\n"
      "           redirect_deadline_ms: 3000, topology_refresh_interval_s: 30,\n"
      "           topology_refresh_debounce_ms: 0}\n"
      "limits:\n"
      "  max_clients: 20000\n"
      "  max_redirects: 3\n"
      "  max_bulk_length: 1mb\n"
      "  max_multibulk_length: 1000\n"
      "  max_inline_length: 4kb\n"
      "  client_output_buffer_bytes: 2g\n"
      "  client_query_buffer_bytes: 1048576\n"
      "  backend_connections_per_node: 2\n"
      "  dedicated_connections_per_node: 100\n"
      "  backend_queue_bytes: 2mb\n"
      "  pubsub_output_buffer_bytes: 64kb\n"
      "  client_memory_bytes: 1gb\n");
  Config expected;
  expected.listen = {"0.0.0.0", 6390};
  expected.workers = 4;
  expected.metrics = Endpoint{"::1", 9380};
  expected.log_level = "debug";
  expected.admin_commands = true;
  expected.protected_mode = false;
  expected.mode = BackendMode::kCluster;
  expected.seeds = {{"127.0.0.1", 7001}, {"127.0.0.1", 7002}};
  expected.read_from = ReadFrom::kPreferReplica;
  expected.slots = {{{"127.0.0.1", 7001}, {{0, 5460}}},
                    {{"127.0.0.1", 7002}, {{5461, 10922}, {16000, 16000}}},
                    {{"::1", 7003}, {{10923, 15999}, {16001, 16383}}}};
  expected.migrations = {{5000, {"127.0.0.1", 7001}, {"127.0.0.1", 7002}},
                         {16000, {"127.0.0.1", 7002}, {"::1", 7003}}};
  expected.timeouts = {1, 600000, 300, 3000, 30, 0};
  expected.limits = {20000, 3,        1ull << 20, 1000,      4096, 2'000'000'000, 1ull << 20,
                     2,     100,      2ull << 20, 64 << 10,  1ull << 30};
  EXPECT_EQ(config, expected);
}

TEST(ConfigLoader, DeployExampleLoadsClean) {
  const auto path = std::filesystem::path(__FILE__).parent_path() / "../../deploy/slotgate.yaml";
  const LoadResult result = LoadConfigFile(path.string());
  std::vector<std::string> errors;
  for (const ConfigError& error : result.errors) errors.push_back(error.ToString());
  ASSERT_THAT(errors, IsEmpty());
  const Config& config = *result.config;
  EXPECT_EQ(config.listen, (Endpoint{"127.0.0.1", 6380}));
  EXPECT_EQ(config.metrics, (Endpoint{"127.0.0.1", 9380}));
  EXPECT_EQ(config.mode, BackendMode::kCluster);
  ASSERT_EQ(config.seeds.size(), 6u);
  EXPECT_EQ(config.seeds.front(), (Endpoint{"127.0.0.1", 7001}));
  EXPECT_EQ(config.seeds.back(), (Endpoint{"127.0.0.1", 7006}));
  ASSERT_EQ(config.slots.size(), 3u);
  EXPECT_EQ(config.slots[2], (NodeSlots{{"127.0.0.1", 7003}, {{10923, 16383}}}));
  // The example documents the defaults: apart from what the demo sets, it changes nothing.
  Config defaults = config;
  defaults.metrics.reset();
  defaults.seeds.clear();
  defaults.slots.clear();
  EXPECT_EQ(defaults, Config{});
}

TEST(ConfigLoader, LoadsFromAFile) {
  const auto path = std::filesystem::temp_directory_path() / "slotgate_config_loader_test.yaml";
  std::ofstream(path) << kSeedsOnly;
  EXPECT_EQ(LoadConfigFile(path.string()).config, SeedsOnlyConfig());
  std::filesystem::remove(path);
}

TEST(ConfigLoader, UnreadableFileIsOneErrorNamingTheFile) {
  const LoadResult result = LoadConfigFile("/nonexistent/slotgate.yaml");
  EXPECT_FALSE(result.config.has_value());
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].line, 0);
  EXPECT_EQ(result.errors[0].ToString(),
            "/nonexistent/slotgate.yaml: cannot read the config file: No such file or directory");
}

TEST(ConfigLoader, EmptyValueForMetricsMeansOff) {
  const Config config = LoadOk("metrics:\nbackend: {seeds: [127.0.0.1:7001]}\n");
  EXPECT_FALSE(config.metrics.has_value());
}

TEST(ConfigLoader, EmptySectionsTakeDefaults) {
  EXPECT_EQ(LoadOk("timeouts:\nlimits: {}\nbackend:\n  seeds: [127.0.0.1:7001]\n  slots:\n"
                   "  migrations:\n"),
            SeedsOnlyConfig());
}

TEST(ConfigLoader, EmptyFileIsAnError) {
  EXPECT_THAT(ErrorsOf(""),
              ElementsAre("t.yaml:1:1: the config is empty (deploy/slotgate.yaml is a commented "
                          "example)"));
  EXPECT_THAT(ErrorsOf("# only a comment\n\n"),
              ElementsAre("t.yaml:1:1: the config is empty (deploy/slotgate.yaml is a commented "
                          "example)"));
  EXPECT_THAT(ErrorsOf("---\n"),
              ElementsAre("t.yaml:1:1: the config is empty (deploy/slotgate.yaml is a commented "
                          "example)"));
}

TEST(ConfigLoader, TopLevelMustBeAMap) {
  EXPECT_THAT(ErrorsOf("- listen\n"),
              ElementsAre("t.yaml:1:1: the config must be a map of settings, got a list"));
  EXPECT_THAT(ErrorsOf("listen\n"),
              ElementsAre("t.yaml:1:1: the config must be a map of settings, got 'listen'"));
}

TEST(ConfigLoader, YamlSyntaxErrorHasItsPosition) {
  EXPECT_THAT(ErrorsOf("backend:\n  seeds: [127.0.0.1:7001\n"),
              ElementsAre("t.yaml:3:1: invalid YAML: end of sequence flow not found"));
  EXPECT_THAT(ErrorsOf("listen: a: b\n"),
              ElementsAre("t.yaml:1:10: invalid YAML: illegal map value"));
}

TEST(ConfigLoader, DeepNestingIsASyntaxErrorNotACrash) {
  const std::vector<std::string> errors = ErrorsOf("a: " + std::string(100000, '['));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], ::testing::EndsWith(": invalid YAML: nested too deeply"));
}

TEST(ConfigLoader, SecondDocumentIsRefused) {
  EXPECT_THAT(ErrorsOf("backend: {seeds: [127.0.0.1:7001]}\n---\nworkers: 1\n"),
              ElementsAre("t.yaml:2:1: a second YAML document; a config file holds only one"));
}

TEST(ConfigLoader, RecursiveAliasIsRefused) {
  EXPECT_THAT(ErrorsOf("backend: &b {seeds: *b}\n"),
              ElementsAre("t.yaml:1:21: alias inside the node it refers to (a cycle)"));
}

TEST(ConfigLoader, UnknownAliasIsASyntaxError) {
  EXPECT_THAT(ErrorsOf("listen: *nowhere\n"),
              ElementsAre("t.yaml:1:9: invalid YAML: the referenced anchor is not defined"));
}

TEST(ConfigLoader, AliasesAreFollowed) {
  const Config config = LoadOk(
      "backend:\n"
      "  seeds: [&a 127.0.0.1:7001]\n"
      "  slots: {127.0.0.1:7001: [0-16383]}\n"
      "  migrations: [{slot: 1, from: *a, to: 127.0.0.1:7002}]\n");
  ASSERT_EQ(config.migrations.size(), 1u);
  EXPECT_EQ(config.migrations[0].from, (Endpoint{"127.0.0.1", 7001}));
}

TEST(ConfigLoader, UnknownKeySuggestsTheClosestOne) {
  EXPECT_THAT(ErrorsOf("lisen: 127.0.0.1:6380\nbackend: {seeds: [127.0.0.1:7001]}\n"),
              ElementsAre("t.yaml:1:1: unknown key 'lisen' (did you mean 'listen'?)"));
}

TEST(ConfigLoader, UnknownKeyInASectionSuggestsFromThatSection) {
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "timeouts:\n  conect_ms: 5\n"),
              ElementsAre("t.yaml:4:3: unknown key 'conect_ms' (did you mean 'connect_ms'?)"));
  EXPECT_THAT(ErrorsOf("backend:\n  seeds: [127.0.0.1:7001]\n  mod: static\n"),
              ElementsAre("t.yaml:3:3: unknown key 'mod' (did you mean 'mode'?)"));
}

TEST(ConfigLoader, KeyAtTheWrongLevelSaysWhereItBelongs) {
  EXPECT_THAT(ErrorsOf("seeds: [127.0.0.1:7001]\nbackend: {seeds: [127.0.0.1:7001]}\n"),
              ElementsAre("t.yaml:1:1: unknown key 'seeds' (it belongs under 'backend')"));
}

TEST(ConfigLoader, UnknownKeyWithNoNearMatchListsTheAllowedOnes) {
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "colour: blue\n"),
              ElementsAre("t.yaml:3:1: unknown key 'colour' (expected one of: listen, workers, "
                          "metrics, log_level, admin_commands, protected_mode, backend, "
                          "timeouts, limits, auth)"));
}

TEST(ConfigLoader, DuplicateKeyIsRefused) {
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "workers: 1\nworkers: 2\n"),
              ElementsAre("t.yaml:4:1: duplicate key 'workers' (first at line 3)"));
}

TEST(ConfigLoader, NonScalarKeyIsRefused) {
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "? [a]\n: 1\n"),
              ElementsAre("t.yaml:3:3: a key must be a plain name, got a list"));
}

TEST(ConfigLoader, WorkersMustBeANumber) {
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "workers: many\n"),
              ElementsAre("t.yaml:3:10: workers must be an integer 0-256, got 'many'"));
}

TEST(ConfigLoader, WorkersOutOfRange) {
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "workers: 257\n"),
              ElementsAre("t.yaml:3:10: workers 257 out of range 0-256"));
}

TEST(ConfigLoader, EmptyValueIsBlamedOnItsKey) {
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "workers:\nlog_level: info\n"),
              ElementsAre("t.yaml:3:1: workers must be an integer 0-256, got nothing"));
}

TEST(ConfigLoader, NumberGivenAListIsRefused) {
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "workers: [1]\n"),
              ElementsAre("t.yaml:3:10: workers must be an integer 0-256, got a list"));
}

TEST(ConfigLoader, ZeroTimeoutIsRefusedWhereItMeansNothing) {
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "timeouts: {connect_ms: 0}\n"),
              ElementsAre("t.yaml:3:24: timeouts.connect_ms 0 out of range 1-60000"));
  EXPECT_EQ(LoadOk(std::string(kSeedsOnly) + "timeouts: {client_idle_s: 0}\n").timeouts,
            Timeouts{});
}

TEST(ConfigLoader, NegativeNumberIsOutOfRange) {
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "timeouts:\n  backend_request_ms: -5\n"),
              ElementsAre("t.yaml:4:23: timeouts.backend_request_ms -5 out of range 1-600000"));
}

TEST(ConfigLoader, FractionIsNotAnInteger) {
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "limits: {max_redirects: 1.5}\n"),
              ElementsAre("t.yaml:3:25: limits.max_redirects must be an integer 1-64, got '1.5'"));
}

TEST(ConfigLoader, HugeNumberIsOutOfRange) {
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "limits: {max_clients: 99999999999999999999}\n"),
              ElementsAre("t.yaml:3:23: limits.max_clients 99999999999999999999 out of range "
                          "1-1000000"));
}

TEST(ConfigLoader, ByteSizeOutOfRangeShowsTheRangeWithSuffixes) {
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "limits: {max_inline_length: 2gb}\n"),
              ElementsAre("t.yaml:3:29: limits.max_inline_length 2gb out of range 1kb-1gb"));
}

TEST(ConfigLoader, ByteSizeWithUnknownSuffix) {
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "limits: {max_bulk_length: 1tb}\n"),
              ElementsAre("t.yaml:3:27: limits.max_bulk_length must be a size in bytes "
                          "1kb-1024gb (e.g. 512mb), got '1tb'"));
}

TEST(ConfigLoader, SectionMustBeAMap) {
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "timeouts: 5\n"),
              ElementsAre("t.yaml:3:11: timeouts must be a map, got '5'"));
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "limits: [1]\n"),
              ElementsAre("t.yaml:3:9: limits must be a map, got a list"));
}

TEST(ConfigLoader, UnknownLogLevelListsTheLevels) {
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "log_level: verbose\n"),
              ElementsAre("t.yaml:3:12: log_level 'verbose' is not one of: trace, debug, info, "
                          "warn, error, critical, off"));
}

TEST(ConfigLoader, MisspeltEnumValueSuggestsTheClosest) {
  EXPECT_THAT(ErrorsOf("backend:\n  seeds: [127.0.0.1:7001]\n  read_from: replicas\n"),
              ElementsAre("t.yaml:3:14: backend.read_from 'replicas' is not one of: master, "
                          "prefer-replica, replica (did you mean 'replica'?)"));
  EXPECT_THAT(ErrorsOf("backend:\n  mode: clustr\n  seeds: [127.0.0.1:7001]\n"),
              ElementsAre("t.yaml:2:9: backend.mode 'clustr' is not one of: cluster, static "
                          "(did you mean 'cluster'?)"));
}

TEST(ConfigLoader, AdminCommandsTakesTrueOrFalse) {
  EXPECT_TRUE(LoadOk(std::string(kSeedsOnly) + "admin_commands: true\n").admin_commands);
  EXPECT_FALSE(LoadOk(std::string(kSeedsOnly) + "admin_commands: false\n").admin_commands);
  EXPECT_FALSE(LoadOk(std::string(kSeedsOnly) + "protected_mode: false\n").protected_mode);
}

TEST(ConfigLoader, AdminCommandsRefusesOtherSpellingsOfABoolean) {
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "admin_commands: yes\n"),
              ElementsAre("t.yaml:3:17: admin_commands 'yes' is not one of: false, true"));
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "admin_commands: tru\n"),
              ElementsAre("t.yaml:3:17: admin_commands 'tru' is not one of: false, true "
                          "(did you mean 'true'?)"));
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "admin_commands: [true]\n"),
              ElementsAre("t.yaml:3:17: admin_commands must be one of: false, true, got a list"));
}

TEST(ConfigLoader, PubsubOutputBufferTakesASizeInItsRange) {
  EXPECT_EQ(LoadOk(std::string(kSeedsOnly) + "limits: {pubsub_output_buffer_bytes: 1gb}\n")
                .limits.pubsub_output_buffer_bytes,
            1ull << 30);
  EXPECT_EQ(LoadOk(std::string(kSeedsOnly) + "limits: {pubsub_output_buffer_bytes: 65536}\n")
                .limits.pubsub_output_buffer_bytes,
            64ull << 10);
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "limits: {pubsub_output_buffer_bytes: 63kb}\n"),
              ElementsAre("t.yaml:3:38: limits.pubsub_output_buffer_bytes 63kb out of range "
                          "64kb-1024gb"));
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "limits: {pubsub_output_buffer_bytes: 1025gb}\n"),
              ElementsAre("t.yaml:3:38: limits.pubsub_output_buffer_bytes 1025gb out of range "
                          "64kb-1024gb"));
}

TEST(ConfigLoader, ClientMemoryBudgetIsOffByDefaultAndTakesASize) {
  EXPECT_EQ(LoadOk(std::string(kSeedsOnly) + "limits: {client_memory_bytes: 2gb}\n")
                .limits.client_memory_bytes,
            2ull << 30);
  EXPECT_EQ(LoadOk(std::string(kSeedsOnly) + "limits: {client_memory_bytes: 0}\n")
                .limits.client_memory_bytes,
            0u);
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "limits: {client_memory_bytes: 2000gb}\n"),
              ElementsAre("t.yaml:3:31: limits.client_memory_bytes 2000gb out of range "
                          "0-1024gb"));
}

TEST(ConfigLoader, EnumGivenAMapIsRefused) {
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "log_level: {a: 1}\n"),
              ElementsAre("t.yaml:3:12: log_level must be one of: trace, debug, info, warn, "
                          "error, critical, off, got a map"));
}

TEST(ConfigLoader, ListenWithoutPort) {
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "listen: 127.0.0.1\n"),
              ElementsAre("t.yaml:3:9: listen address '127.0.0.1' has no port (expected "
                          "host:port)"));
}

TEST(ConfigLoader, ListenPortZeroAndTooBig) {
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "listen: 127.0.0.1:0\n"),
              ElementsAre("t.yaml:3:9: listen address '127.0.0.1:0' has port 0 out of range "
                          "1-65535"));
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "metrics: 127.0.0.1:65536\n"),
              ElementsAre("t.yaml:3:10: metrics address '127.0.0.1:65536' has port 65536 out of "
                          "range 1-65535"));
}

TEST(ConfigLoader, UnquotedIpv6IsAListNotAnAddress) {
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + "listen: [::1]:6380\n"),
              ElementsAre("t.yaml:3:14: invalid YAML: end of map not found"));
}

TEST(ConfigLoader, SeedsMustBeAList) {
  EXPECT_THAT(ErrorsOf("backend:\n  seeds: 127.0.0.1:7001\n"),
              ElementsAre("t.yaml:2:10: backend.seeds must be a list of host:port addresses, "
                          "got '127.0.0.1:7001'"));
}

TEST(ConfigLoader, BadSeedAddress) {
  EXPECT_THAT(ErrorsOf("backend:\n  seeds: [127.0.0.1:7001, 'redis 1:7002']\n"),
              ElementsAre("t.yaml:2:27: seed address 'redis 1:7002' has an invalid character "
                          "' ' in its host"));
}

TEST(ConfigLoader, AllErrorsAreReportedInFileOrder) {
  EXPECT_THAT(ErrorsOf("limits: {max_redirects: 0}\n"
                       "lisen: 127.0.0.1:6380\n"
                       "workers: many\n"
                       "backend:\n"
                       "  seeds: [127.0.0.1]\n"
                       "  slots:\n"
                       "    127.0.0.1:7001: [0-16384]\n"
                       "log_level: loud\n"),
              ElementsAre("t.yaml:1:25: limits.max_redirects 0 out of range 1-64",
                          "t.yaml:2:1: unknown key 'lisen' (did you mean 'listen'?)",
                          "t.yaml:3:10: workers must be an integer 0-256, got 'many'",
                          "t.yaml:5:11: seed address '127.0.0.1' has no port (expected "
                          "host:port)",
                          "t.yaml:7:22: slot 16384 out of range 0-16383",
                          "t.yaml:8:12: log_level 'loud' is not one of: trace, debug, info, "
                          "warn, error, critical, off"));
}

TEST(ConfigLoader, ErrorCarriesFileLineAndColumnFields) {
  const LoadResult result =
      LoadConfigString(std::string(kSeedsOnly) + "workers: x\n", "dir/slotgate.yaml");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].file, "dir/slotgate.yaml");
  EXPECT_EQ(result.errors[0].line, 3);
  EXPECT_EQ(result.errors[0].column, 10);
}

TEST(ConfigLoader, NulBytesAreData) {
  EXPECT_THAT(ErrorsOf(std::string(kSeedsOnly) + std::string("log_level: \"a\\0b\"\n")),
              ElementsAre("t.yaml:3:12: log_level 'a\\x00b' is not one of: trace, debug, info, "
                          "warn, error, critical, off"));
}

TEST(ConfigError, ToStringOmitsAMissingPosition) {
  EXPECT_EQ((ConfigError{"f.yaml", 3, 7, "bad"}).ToString(), "f.yaml:3:7: bad");
  EXPECT_EQ((ConfigError{"f.yaml", 0, 0, "bad"}).ToString(), "f.yaml: bad");
}

TEST(ConfigEnums, SpellLikeTheYaml) {
  EXPECT_EQ(ToString(BackendMode::kStatic), "static");
  EXPECT_EQ(ToString(ReadFrom::kPreferReplica), "prefer-replica");
}

}  // namespace
}  // namespace slotgate
