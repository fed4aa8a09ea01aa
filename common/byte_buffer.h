// A byte buffer read from the front and written at the back, for socket reads and writes:
// readers get a view of the unread bytes, the socket gets a span to read into. Space is
// reclaimed by moving the unread tail to the front only when the back runs out.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string_view>

namespace slotgate {

class ByteBuffer {
 public:
  ByteBuffer() = default;
  ByteBuffer(const ByteBuffer&) = delete;
  ByteBuffer& operator=(const ByteBuffer&) = delete;
  ByteBuffer(ByteBuffer&&) noexcept = default;
  ByteBuffer& operator=(ByteBuffer&&) noexcept = default;

  std::string_view data() const { return {storage_.get() + begin_, end_ - begin_}; }
  size_t size() const { return end_ - begin_; }
  bool empty() const { return begin_ == end_; }
  size_t capacity() const { return capacity_; }

  // Drops the first `n` unread bytes.
  void Consume(size_t n);
  // At least `min` writable bytes after the unread ones; fill some, then Commit() their count.
  std::span<char> WritableSpace(size_t min);
  void Commit(size_t n) { end_ += n; }
  void Append(std::string_view bytes);
  void Clear() { begin_ = end_ = 0; }
  // Frees the storage when nothing is unread and it grew beyond `keep` bytes, so one large
  // request or reply does not pin its memory to an idle connection.
  void ReleaseIfEmpty(size_t keep);

 private:
  std::unique_ptr<char[]> storage_;
  size_t capacity_ = 0;
  size_t begin_ = 0;
  size_t end_ = 0;
};

}  // namespace slotgate
