// A plain TCP client on loopback, for bytes no Redis client library sends (malformed input,
// CLIENT REPLY OFF) or reads (RESP3: the hiredis the tests use speaks RESP2 only).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace slotgate::test {

class RawSocket {
 public:
  explicit RawSocket(uint16_t port);  // throws if the connection fails
  ~RawSocket();
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  // Sends what the peer lets it send (it may hang up midway, as it should on garbage).
  void Send(const std::string& bytes);
  void ShutdownWrite();
  // Everything received until the peer closes, or until the 10 s receive timeout.
  std::string ReadUntilClosed();
  // Exactly `size` bytes, or fewer if the peer closes or 10 s pass without data.
  std::string Read(size_t size);
  bool closed() const { return closed_; }

 private:
  int fd_;
  bool closed_ = false;
};

}  // namespace slotgate::test
