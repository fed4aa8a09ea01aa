#include "tests/integration/support/raw_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace slotgate::test {

RawSocket::RawSocket(uint16_t port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
  timeval timeout{10, 0};
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd_);
    throw std::runtime_error("connect to " + std::to_string(port) + " failed");
  }
}

RawSocket::~RawSocket() { close(fd_); }

void RawSocket::Send(const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<size_t>(n);
  }
}

void RawSocket::ShutdownWrite() { shutdown(fd_, SHUT_WR); }

std::string RawSocket::ReadUntilClosed() {
  std::string out;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(fd_, buffer, sizeof(buffer));
    if (n > 0) {
      out.append(buffer, static_cast<size_t>(n));
      continue;
    }
    closed_ = n == 0 || errno == ECONNRESET;
    return out;
  }
}

std::string RawSocket::Read(size_t size) {
  std::string out(size, '\0');
  size_t got = 0;
  while (got < size) {
    const ssize_t n = read(fd_, out.data() + got, size - got);
    if (n <= 0) {
      closed_ = n == 0 || errno == ECONNRESET;
      break;
    }
    got += static_cast<size_t>(n);
  }
  out.resize(got);
  return out;
}

}  // namespace slotgate::test
