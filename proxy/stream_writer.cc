#include "proxy/stream_writer.h"

#include <string_view>
#include <utility>

namespace slotgate {
namespace {

// Buffers that grew past this for one large reply are freed once drained.
constexpr size_t kIdleBufferKeep = 256 * 1024;

uv_buf_t BufferOf(const ByteBuffer& bytes) {
  const std::string_view data = bytes.data();
  return uv_buf_init(const_cast<char*>(data.data()), static_cast<unsigned>(data.size()));
}

}  // namespace

StreamWriter::StreamWriter(uv_stream_t* stream, void* owner, uv_write_cb on_written)
    : stream_(stream), on_written_(on_written) {
  request_.data = owner;
}

StreamWriter::Result StreamWriter::Write(int* error) {
  uv_buf_t direct = BufferOf(queue_);
  const int written = uv_try_write(stream_, &direct, 1);
  if (written < 0 && written != UV_EAGAIN) {
    *error = written;
    return Result::kFailed;
  }
  if (written > 0) queue_.Consume(static_cast<size_t>(written));
  if (queue_.empty()) {
    queue_.ReleaseIfEmpty(kIdleBufferKeep);
    return Result::kAllWritten;
  }
  std::swap(queue_, in_flight_);
  uv_buf_t rest = BufferOf(in_flight_);
  if (const int rc = uv_write(&request_, stream_, &rest, 1, on_written_); rc != 0) {
    *error = rc;
    return Result::kFailed;
  }
  writing_ = true;
  return Result::kInProgress;
}

void StreamWriter::Written() {
  writing_ = false;
  in_flight_.Clear();
  in_flight_.ReleaseIfEmpty(kIdleBufferKeep);
}

}  // namespace slotgate
