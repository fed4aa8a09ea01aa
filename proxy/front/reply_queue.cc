#include "proxy/front/reply_queue.h"

#include <string>
#include <unordered_set>

namespace slotgate {
namespace {

// What an idle client keeps for its next requests. Only a pipeline deeper than kShrinkAbove
// gives its spares back, so a client that pipelines in moderate batches does not allocate
// its requests anew for every batch.
constexpr size_t kKeptFree = 16;
constexpr size_t kShrinkAbove = 256;
constexpr size_t kKeptBufferBytes = 16 * 1024;

}  // namespace

PendingRequest* ReplyQueue::Push() {
  PendingRequest* request;
  if (free_.empty()) {
    owned_.push_back(std::make_unique<PendingRequest>());
    request = owned_.back().get();
  } else {
    request = free_.back();
    free_.pop_back();
  }
  request->Reset();
  queue_.push_back(request);
  return request;
}

void ReplyQueue::Complete(PendingRequest* request, std::string_view reply, ByteBuffer* out) {
  if (!queue_.empty() && queue_.front() == request) {
    // In order: straight to the socket buffer, no copy into the request.
    Write(*request, reply, out);
    queue_.pop_front();
    Recycle(request);
  } else {
    request->reply.assign(reply);
    request->done = true;
    held_bytes_ += reply.size();
  }
  WriteDoneFront(out);
}

void ReplyQueue::Append(std::string_view frame, ByteBuffer* out) {
  if (queue_.empty()) {
    if (out && !closing_reply_written_) out->Append(frame);
    return;
  }
  PendingRequest* frame_request = Push();
  frame_request->reply.assign(frame);
  frame_request->done = true;
  held_bytes_ += frame.size();
}

void ReplyQueue::WriteDoneFront(ByteBuffer* out) {
  while (!queue_.empty() && queue_.front()->done) {
    PendingRequest* front = queue_.front();
    queue_.pop_front();
    Write(*front, front->reply, out);
    held_bytes_ -= front->reply.size();
    Recycle(front);
  }
}

void ReplyQueue::Write(const PendingRequest& request, std::string_view reply, ByteBuffer* out) {
  if (!out || closing_reply_written_) return;
  if (!request.silent) out->Append(reply);
  if (request.close_after) closing_reply_written_ = true;
}

// Back to the free list, without the memory of a large request or reply (a pipelined burst of
// big values must not stay allocated for the life of the connection). After a deep pipeline
// an idle client gives back its spare requests but kKeptFree.
void ReplyQueue::Recycle(PendingRequest* request) {
  if (request->request.capacity() > kKeptBufferBytes) std::string().swap(request->request);
  if (request->reply.capacity() > kKeptBufferBytes) std::string().swap(request->reply);
  free_.push_back(request);
  if (!queue_.empty() || free_.size() <= kShrinkAbove) return;
  const std::unordered_set<PendingRequest*> spare(free_.begin() + kKeptFree, free_.end());
  free_.resize(kKeptFree);
  std::erase_if(owned_,
                [&](const std::unique_ptr<PendingRequest>& p) { return spare.contains(p.get()); });
}

}  // namespace slotgate
