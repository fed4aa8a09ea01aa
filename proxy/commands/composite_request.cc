#include "proxy/commands/composite_request.h"

#include "common/resp/writer.h"
#include "proxy/commands/reply_merge.h"
#include "proxy/commands/scan_cursor.h"
#include "proxy/dispatch/request_dispatcher.h"

namespace slotgate {

void CompositeRequest::Start(PendingRequest* parent, std::vector<CompositePart> parts,
                             MergeKind merge, size_t keys, ScanCursorContext scan,
                             RequestDispatcher* dispatcher) {
  auto* composite = new CompositeRequest(parent, merge, keys, scan);
  composite->left_ = parts.size();
  composite->replies_.resize(parts.size());
  for (CompositePart& part : parts) {
    auto request = std::make_unique<PendingRequest>();
    request->request = std::move(part.request);
    request->command = parent->command;
    request->slot = part.slot;
    if (part.node) {
      request->redirect_target = *part.node;
      request->has_redirect_target = true;
      request->pinned = true;
    }
    request->waiter = composite;
    composite->key_orders_.push_back(std::move(part.key_order));
    composite->parts_.push_back(std::move(request));
  }
  if (composite->parts_.empty()) {
    composite->left_ = 1;
    composite->OnRequestDone(nullptr, {});
    return;
  }
  // Index, not iterate: the last part may complete (and delete the composite) synchronously.
  const size_t count = composite->parts_.size();
  std::vector<PendingRequest*> sending;
  for (const auto& part : composite->parts_) sending.push_back(part.get());
  for (size_t i = 0; i < count; ++i) dispatcher->Dispatch(sending[i]);
}

CompositeRequest::CompositeRequest(PendingRequest* parent, MergeKind merge, size_t keys,
                                   ScanCursorContext scan)
    : parent_(parent), merge_(merge), keys_(keys), scan_(scan) {}

void CompositeRequest::OnRequestDone(PendingRequest* part, std::string_view reply) {
  for (size_t i = 0; part && i < parts_.size(); ++i) {
    if (parts_[i].get() == part) replies_[i].assign(reply);
  }
  if (--left_ > 0) return;
  const std::string merged = Merge();
  PendingRequest* parent = parent_;
  delete this;
  parent->waiter->OnRequestDone(parent, merged);
}

std::string CompositeRequest::Merge() const {
  switch (merge_) {
    case MergeKind::kByKeyOrder:
      return MergeByKeyOrder(replies_, key_orders_, keys_);
    case MergeKind::kSumIntegers:
      return SumIntegers(replies_);
    case MergeKind::kConcatArrays:
      return ConcatArrays(replies_);
    case MergeKind::kAndOfArrays:
      return AndOfIntegerArrays(replies_);
    case MergeKind::kFirstUnlessError:
      return FirstUnlessError(replies_);
    case MergeKind::kFirstNonNull:
      return FirstNonNull(replies_);
    case MergeKind::kAgree: {
      if (const std::string_view error = FirstError(replies_); !error.empty()) {
        return std::string(error);
      }
      std::string differing;
      for (size_t i = 1; i < replies_.size(); ++i) {
        if (replies_[i] == replies_[0]) continue;
        differing += (differing.empty() ? "" : ", ") + parts_[i]->redirect_target.ToString();
      }
      if (differing.empty()) return replies_.empty() ? std::string() : replies_[0];
      std::string out;
      WriteError(out, "ERR proxy: nodes disagree: " + parts_[0]->redirect_target.ToString() +
                          " differs from " + differing);
      return out;
    }
    case MergeKind::kScanCursor:
      return replies_.empty() ? std::string()
                              : RewriteScanReply(replies_[0], scan_.node_index, scan_.node_count);
  }
  return {};
}

}  // namespace slotgate
