// A hiredis connection for integration tests, with replies rendered as short strings so tests
// can assert exact replies in one comparison: "OK", "(integer) 3", "(nil)", "(error) ERR ...",
// "\"value\"", and arrays as "[a, b]".
#pragma once

#include <hiredis.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace slotgate::test {

struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

std::string ReplyToString(const redisReply* reply);

class RedisClient {
 public:
  explicit RedisClient(uint16_t port, const std::string& host = "127.0.0.1");
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // One command, its reply; throws if the connection fails.
  Reply Command(const std::vector<std::string>& args);
  std::string CommandString(const std::vector<std::string>& args) {
    return ReplyToString(Command(args).get());
  }
  // Pipelining: queue many, then read their replies in order.
  void Append(const std::vector<std::string>& args);
  Reply Next();
  // Sends everything appended without waiting for a reply (a command that blocks at the server).
  void Flush();
  // How long Command and Next wait for a reply before they throw (30 s unless set); after such
  // a throw the connection is unusable.
  void SetTimeout(std::chrono::milliseconds timeout);

  // Whether a server on `port` answers PING with PONG now.
  static bool Ping(uint16_t port);

 private:
  redisContext* context_ = nullptr;
};

}  // namespace slotgate::test
