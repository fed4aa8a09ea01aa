// Everything slotgate is told by its YAML file, already checked: the rest of the proxy reads a
// Config and never sees YAML, defaults or bad values. Load errors name file:line:column so an
// operator can fix every mistake in one pass (all errors are reported, not just the first).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/endpoint.h"

namespace slotgate {

enum class BackendMode : uint8_t {
  kCluster,  // a Redis Cluster: topology discovered from `seeds`, kept live, MOVED/ASK followed
  kStatic,   // independent Redis servers; `slots` alone says which server owns which slot
};

enum class ReadFrom : uint8_t {
  kMaster,         // every command goes to the slot's master
  kPreferReplica,  // read-only commands go to a replica when one is up, else to the master
  kReplica,        // read-only commands go to replicas only
};

struct SlotRange {
  uint16_t first = 0;
  uint16_t last = 0;  // inclusive
  bool operator==(const SlotRange&) const = default;
};

struct NodeSlots {
  Endpoint node;
  std::vector<SlotRange> ranges;  // in file order; no two ranges of any nodes overlap
  bool operator==(const NodeSlots&) const = default;
};

// A slot being moved between masters, declared so slotgate expects the ASK redirects from the
// first request instead of learning the migration from the cluster.
struct Migration {
  uint16_t slot = 0;
  Endpoint from;  // owns `slot` in Config::slots
  Endpoint to;    // differs from `from`
  bool operator==(const Migration&) const = default;
};

// YAML section `timeouts`. Ranges are enforced by the loader (see deploy/slotgate.yaml).
struct Timeouts {
  uint32_t connect_ms = 1000;                   // TCP connect to a backend, 1-60000
  uint32_t backend_request_ms = 5000;           // a backend's reply to a sent request, 1-600000
  uint32_t client_idle_s = 0;                   // close an idle client; 0 = never; 0-31536000
  uint32_t redirect_deadline_ms = 2000;         // TRYAGAIN/CLUSTERDOWN retry budget, 1-60000
  uint32_t topology_refresh_interval_s = 10;    // periodic CLUSTER SHARDS poll, 1-3600
  uint32_t topology_refresh_debounce_ms = 100;  // min gap between refreshes after MOVED, 0-60000
  bool operator==(const Timeouts&) const = default;
};

// YAML section `limits`. Byte sizes accept Redis suffixes in YAML (k, kb, m, mb, g, gb).
struct Limits {
  uint32_t max_clients = 10000;                       // 1-1000000
  uint32_t max_redirects = 5;                         // MOVED/ASK hops per request, 1-64
  uint64_t max_bulk_length = 512ull << 20;            // one bulk string, 1kb-1024gb
  uint32_t max_multibulk_length = 1048576;            // arguments per request, 1-2147483647
  uint32_t max_inline_length = 65536;                 // one inline command line, 1kb-1gb
  uint64_t client_output_buffer_bytes = 64ull << 20;  // replies queued for a client, 64kb-1024gb
  uint64_t client_query_buffer_bytes = 1ull << 30;    // unparsed request bytes, 1mb-1024gb,
                                                      // at least max_bulk_length
  uint32_t backend_connections_per_node = 1;          // pipelined, per worker per node, 1-64
  // Connections clients hold of their own (blocking commands, WATCH, subscriptions) to one
  // node, all workers together; past it such a command is refused. 1-1000000.
  uint32_t dedicated_connections_per_node = 5000;
  // Request bytes waiting to be written to one backend connection (a node that reads slowly
  // or not at all); past it new requests wait and retry, then fail. 1mb-1024gb.
  uint64_t backend_queue_bytes = 64ull << 20;
  // Pushes (messages) not yet written to a subscribed client; above it the client is
  // disconnected, as Redis does with client-output-buffer-limit pubsub. 64kb-1024gb.
  uint64_t pubsub_output_buffer_bytes = 32ull << 20;
  // Every client's buffers together (query buffer, replies owed, queued MULTI), as Redis's
  // maxmemory-clients: past it the largest client is disconnected. 0 = no budget; 0-1024gb.
  uint64_t client_memory_bytes = 0;
  bool operator==(const Limits&) const = default;
};

// What slotgate sends on every backend connection (backend.username, backend.password_file or
// backend.password_env): AUTH, or HELLO 3 AUTH. No password: nothing is sent.
struct BackendCredentials {
  std::string username;  // empty: AUTH <password>, Redis's `default` user (requirepass)
  std::string password;
  bool operator==(const BackendCredentials&) const = default;
};

// backend.node_credentials: a node whose credentials differ from the rest (its address as the
// cluster names it).
struct NodeCredentials {
  Endpoint node;
  BackendCredentials credentials;
  bool operator==(const NodeCredentials&) const = default;
};

// One user clients log in as (YAML `auth.users`): its rights are Redis ACL rules.
struct AuthUser {
  std::string name;
  std::string password_sha256;  // 64 lower-case hex digits; empty when the rules say nopass
  std::string rules;
  bool operator==(const AuthUser&) const = default;
};

struct Config {
  Endpoint listen{"127.0.0.1", 6380};
  unsigned workers = 0;             // 0: one per core; at most 256
  std::optional<Endpoint> metrics;  // Prometheus endpoint, e.g. 127.0.0.1:9380; absent = off
  std::string log_level = "info";   // trace, debug, info, warn, error, critical, off
  BackendMode mode = BackendMode::kCluster;
  std::vector<Endpoint> seeds;        // cluster mode: at least one, no duplicates
  std::vector<NodeSlots> slots;       // static: covers all 16384 slots; cluster: optional
                                      // expected table, compared with the live cluster
  std::vector<Migration> migrations;  // cluster mode only; needs `slots`
  ReadFrom read_from = ReadFrom::kMaster;
  BackendCredentials backend_credentials;
  std::vector<NodeCredentials> node_credentials;  // override backend_credentials per node
  // false (the default): the commands that reconfigure the nodes or wipe data wholesale are
  // refused (command_policy.h AdminCommandRefusal), so a client of the proxy cannot reconfigure
  // or empty the cluster behind it; an operator turns them on.
  bool admin_commands = false;
  // true (the default): while clients need no password (no users, or a `default` user with
  // nopass), only clients on the loopback interface are let in, as Redis's protected-mode.
  bool protected_mode = true;
  Timeouts timeouts;
  Limits limits;
  // auth.users. Empty: clients need no password, and each may run everything.
  std::vector<AuthUser> users;
  bool operator==(const Config&) const = default;
};

struct ConfigError {
  std::string file;
  int line = 0;  // 1-based; 0 when the error is about the whole file (e.g. unreadable)
  int column = 0;
  std::string reason;

  // "file:line:column: reason", or "file: reason" when line is 0.
  std::string ToString() const;
  bool operator==(const ConfigError&) const = default;
};

// Exactly one of the two is set: a config, or at least one error (sorted by position).
struct LoadResult {
  std::optional<Config> config;
  std::vector<ConfigError> errors;
};

LoadResult LoadConfigFile(const std::string& path);
// `file_name` only labels the errors.
LoadResult LoadConfigString(std::string_view yaml, std::string_view file_name);

// The YAML spelling: "cluster"/"static", "master"/"prefer-replica"/"replica".
std::string_view ToString(BackendMode mode);
std::string_view ToString(ReadFrom read_from);

}  // namespace slotgate
