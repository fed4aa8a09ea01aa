// A client request answered by several backend requests: a multi-key command split by slot,
// or a command fanned out to every master. Each part is dispatched like any request (so MOVED,
// ASK and TRYAGAIN are followed per part); when the last part is answered the replies are
// merged and the client's request completes. Deletes itself then.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "proxy/commands/composite_plans.h"
#include "proxy/dispatch/pending_request.h"

namespace slotgate {

class CompositeRequest final : public ReplyWaiter {
 public:
  // Dispatches every part of `plan`; `parent` completes (through its own waiter) once all have
  // answered, with the replies merged as the plan says. A plan without parts completes at once.
  static void Start(PendingRequest* parent, CompositePlan plan, RequestDispatcher* dispatcher);
  // The same, for a plan given piece by piece (no INFO prefix).
  static void Start(PendingRequest* parent, std::vector<CompositePart> parts, MergeKind merge,
                    size_t keys, ScanCursorContext scan, RequestDispatcher* dispatcher);

  void OnRequestDone(PendingRequest* part, std::string_view reply) override;

 private:
  explicit CompositeRequest(PendingRequest* parent, CompositePlan plan);

  PendingRequest* parent_;
  CompositePlan plan_;  // the parts' requests have moved into parts_
  std::vector<std::unique_ptr<PendingRequest>> parts_;
  std::vector<std::string> replies_;
  size_t left_ = 0;
};

}  // namespace slotgate
