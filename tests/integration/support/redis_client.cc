#include "tests/integration/support/redis_client.h"

#include <stdexcept>

namespace slotgate::test {
namespace {

constexpr timeval kConnectTimeout{2, 0};
constexpr timeval kCommandTimeout{30, 0};

std::vector<const char*> ArgPointers(const std::vector<std::string>& args,
                                     std::vector<size_t>* lengths) {
  std::vector<const char*> pointers;
  for (const std::string& a : args) {
    pointers.push_back(a.data());
    lengths->push_back(a.size());
  }
  return pointers;
}

}  // namespace

std::string ReplyToString(const redisReply* reply) {
  if (!reply) return "(no reply)";
  switch (reply->type) {
    case REDIS_REPLY_STATUS:
      return std::string(reply->str, reply->len);
    case REDIS_REPLY_ERROR:
      return "(error) " + std::string(reply->str, reply->len);
    case REDIS_REPLY_INTEGER:
      return "(integer) " + std::to_string(reply->integer);
    case REDIS_REPLY_NIL:
      return "(nil)";
    case REDIS_REPLY_STRING:
      return "\"" + std::string(reply->str, reply->len) + "\"";
    case REDIS_REPLY_ARRAY: {
      std::string out = "[";
      for (size_t i = 0; i < reply->elements; ++i) {
        if (i) out += ", ";
        out += ReplyToString(reply->element[i]);
      }
      return out + "]";
    }
    default:
      return "(type " + std::to_string(reply->type) + ")";
  }
}

RedisClient::RedisClient(uint16_t port, const std::string& host) {
  context_ = redisConnectWithTimeout(host.c_str(), port, kConnectTimeout);
  if (!context_ || context_->err) {
    const std::string why = context_ ? context_->errstr : "out of memory";
    if (context_) redisFree(context_);
    context_ = nullptr;
    throw std::runtime_error("cannot connect to " + host + ":" + std::to_string(port) + ": " + why);
  }
  redisSetTimeout(context_, kCommandTimeout);
}

RedisClient::~RedisClient() {
  if (context_) redisFree(context_);
}

Reply RedisClient::Command(const std::vector<std::string>& args) {
  Append(args);
  return Next();
}

void RedisClient::Append(const std::vector<std::string>& args) {
  std::vector<size_t> lengths;
  std::vector<const char*> pointers = ArgPointers(args, &lengths);
  if (redisAppendCommandArgv(context_, static_cast<int>(args.size()), pointers.data(),
                             lengths.data()) != REDIS_OK) {
    throw std::runtime_error(std::string("append failed: ") + context_->errstr);
  }
}

Reply RedisClient::Next() {
  void* reply = nullptr;
  if (redisGetReply(context_, &reply) != REDIS_OK) {
    throw std::runtime_error(std::string("no reply: ") + context_->errstr);
  }
  return Reply(static_cast<redisReply*>(reply));
}

void RedisClient::Flush() {
  int done = 0;
  while (!done) {
    if (redisBufferWrite(context_, &done) != REDIS_OK) {
      throw std::runtime_error(std::string("write failed: ") + context_->errstr);
    }
  }
}

void RedisClient::SetTimeout(std::chrono::milliseconds timeout) {
  const long long ms = timeout.count();
  redisSetTimeout(context_, timeval{static_cast<time_t>(ms / 1000),
                                    static_cast<suseconds_t>(ms % 1000 * 1000)});
}

bool RedisClient::Ping(uint16_t port) {
  redisContext* c = redisConnectWithTimeout("127.0.0.1", port, timeval{0, 200000});
  bool pong = false;
  if (c && !c->err) {
    redisSetTimeout(c, timeval{1, 0});
    auto* r = static_cast<redisReply*>(redisCommand(c, "PING"));
    // A server that wants a password answers too: NOAUTH.
    pong =
        r && ((r->type == REDIS_REPLY_STATUS && std::string(r->str, r->len) == "PONG") ||
              (r->type == REDIS_REPLY_ERROR && std::string(r->str, r->len).starts_with("NOAUTH ")));
    if (r) freeReplyObject(r);
  }
  if (c) redisFree(c);
  return pong;
}

}  // namespace slotgate::test
