#include "common/byte_buffer.h"

#include <algorithm>
#include <cstring>

namespace slotgate {

void ByteBuffer::Consume(size_t n) {
  begin_ += std::min(n, size());
  if (begin_ == end_) begin_ = end_ = 0;
}

std::span<char> ByteBuffer::WritableSpace(size_t min) {
  if (capacity_ - end_ >= min) return {storage_.get() + end_, capacity_ - end_};
  const size_t unread = size();
  if (begin_ > 0 && capacity_ - unread >= min && unread <= capacity_ / 2) {
    std::memmove(storage_.get(), storage_.get() + begin_, unread);
  } else {
    const size_t grown = std::max(capacity_ * 2, unread + min);
    auto bigger = std::make_unique_for_overwrite<char[]>(grown);
    if (unread) std::memcpy(bigger.get(), storage_.get() + begin_, unread);
    storage_ = std::move(bigger);
    capacity_ = grown;
  }
  begin_ = 0;
  end_ = unread;
  return {storage_.get() + end_, capacity_ - end_};
}

void ByteBuffer::Append(std::string_view bytes) {
  if (bytes.empty()) return;
  std::span<char> space = WritableSpace(bytes.size());
  std::memcpy(space.data(), bytes.data(), bytes.size());
  Commit(bytes.size());
}

void ByteBuffer::ReleaseIfEmpty(size_t keep) {
  if (empty() && capacity_ > keep) {
    storage_.reset();
    capacity_ = 0;
    begin_ = end_ = 0;
  }
}

}  // namespace slotgate
