// A client's requests in the order it sent them, and their replies in that same order. Redis
// answers a connection's requests in order; through slotgate they run on several nodes and
// finish in any order, so a reply that is done early waits here for the ones before it. The
// queue also owns the client's PendingRequests (reused, so a warm client allocates nothing)
// and counts the reply bytes it holds back, which the client's output limits include.
//
//   Push() -> [r1 r2 r3 ...] -- Complete(r2): kept -- Complete(r1): r1, r2 to `out`, in order
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <string_view>
#include <vector>

#include "common/byte_buffer.h"
#include "proxy/dispatch/pending_request.h"

namespace slotgate {

class ReplyQueue {
 public:
  // A reset request at the back of the queue, owned by the queue.
  PendingRequest* Push();
  // `request` (in the queue) is answered with `reply` (valid during the call only). Every done
  // request from the front on goes to `out` in order, its bytes appended unless it is silent.
  // `out` nullptr: the client is gone, replies are dropped. Once a close_after request's reply
  // is written nothing more is.
  void Complete(PendingRequest* request, std::string_view reply, ByteBuffer* out);
  // A frame owed to the client after every reply it is still owed (a pub/sub message).
  void Append(std::string_view frame, ByteBuffer* out);

  bool empty() const { return queue_.empty(); }
  size_t size() const { return queue_.size(); }
  // Reply bytes held back behind an earlier, unanswered request.
  size_t held_bytes() const { return held_bytes_; }
  // A close_after request's reply was written: the client is to be closed once it is sent.
  bool closing_reply_written() const { return closing_reply_written_; }

 private:
  void WriteDoneFront(ByteBuffer* out);
  void Write(const PendingRequest& request, std::string_view reply, ByteBuffer* out);
  void Recycle(PendingRequest* request);

  std::deque<PendingRequest*> queue_;
  std::vector<std::unique_ptr<PendingRequest>> owned_;
  std::vector<PendingRequest*> free_;
  size_t held_bytes_ = 0;  // sum of reply.size() of the done requests in queue_
  bool closing_reply_written_ = false;
};

}  // namespace slotgate
