// Writes queued bytes to a libuv stream, one write in flight at a time: at once when the socket
// takes them all (uv_try_write), else through uv_write, whose bytes stay alive until its
// callback. Writing at once matters: libuv 1.44 re-arms epoll (an epoll_ctl syscall) after
// every completed uv_write, which strace showed costing one syscall per reply batch.
#pragma once

#include <uv.h>

#include <cstdint>

#include "common/byte_buffer.h"

namespace slotgate {

class StreamWriter {
 public:
  enum class Result : uint8_t { kAllWritten, kInProgress, kFailed };

  // `owner` becomes the write request's data, for `on_written`, which must call Written().
  StreamWriter(uv_stream_t* stream, void* owner, uv_write_cb on_written);
  StreamWriter(const StreamWriter&) = delete;
  StreamWriter& operator=(const StreamWriter&) = delete;

  ByteBuffer& queue() { return queue_; }  // append bytes here, then Write()
  bool writing() const { return writing_; }
  size_t unwritten() const { return queue_.size() + in_flight_.size(); }

  // Writes the queue. kFailed sets `*error` (a libuv error code).
  Result Write(int* error);
  // Called from the write callback: the in-flight bytes are done.
  void Written();

 private:
  uv_stream_t* stream_;
  uv_write_cb on_written_;
  uv_write_t request_;
  ByteBuffer queue_;
  ByteBuffer in_flight_;
  bool writing_ = false;
};

}  // namespace slotgate
