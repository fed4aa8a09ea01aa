#include "proxy/commands/composite_request.h"

#include <cstdlib>

#include "common/commands/command_policy.h"
#include "proxy/commands/config_secrets.h"
#include "proxy/dispatch/request_dispatcher.h"

namespace slotgate {

void CompositeRequest::Start(PendingRequest* parent, std::vector<CompositePart> parts,
                             MergeKind merge, size_t keys, ScanCursorContext scan,
                             RequestDispatcher* dispatcher) {
  CompositePlan plan;
  plan.parts = std::move(parts);
  plan.merge = merge;
  plan.keys = keys;
  plan.scan = scan;
  Start(parent, std::move(plan), dispatcher);
}

void CompositeRequest::Start(PendingRequest* parent, CompositePlan plan,
                             RequestDispatcher* dispatcher) {
  auto* composite = new CompositeRequest(parent, std::move(plan));
  std::vector<CompositePart>& parts = composite->plan_.parts;
  composite->left_ = parts.size();
  composite->replies_.resize(parts.size());
  for (CompositePart& part : parts) {
    auto request = std::make_unique<PendingRequest>();
    request->request = std::move(part.request);
    request->command = parent->command;
    request->lane = parent->lane;  // parts keep their parent's place in the client's order
    request->seq = parent->seq;
    request->slot = part.slot;
    request->out_of_band = part.out_of_band;
    if (part.node) {
      request->redirect_target = *part.node;
      request->has_redirect_target = true;
      request->pinned = true;
    }
    request->waiter = composite;
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

namespace {

// A RESP2 array of name/value pairs as the RESP3 map a RESP3 client expects (CONFIG GET).
std::string PairsAsMap(const std::string& reply) {
  const size_t line_end = reply.find("\r\n");
  if (reply.empty() || reply[0] != '*' || line_end == std::string::npos) return reply;
  const long long count = std::atoll(reply.substr(1, line_end - 1).c_str());
  if (count < 0 || count % 2 != 0) return reply;
  return "%" + std::to_string(count / 2) + reply.substr(line_end);
}

}  // namespace

CompositeRequest::CompositeRequest(PendingRequest* parent, CompositePlan plan)
    : parent_(parent), plan_(std::move(plan)) {}

void CompositeRequest::OnRequestDone(PendingRequest* part, std::string_view reply) {
  for (size_t i = 0; part && i < parts_.size(); ++i) {
    if (parts_[i].get() == part) replies_[i].assign(reply);
  }
  if (--left_ > 0) return;
  std::vector<Endpoint> nodes;
  for (const auto& sent : parts_) nodes.push_back(sent->redirect_target);
  std::string merged = MergeReplies(plan_, replies_, nodes);
  if (parent_->command && parent_->command->kind == CommandKind::kConfigGet) {
    merged = HideConfigSecrets(merged);
    if (parent_->resp3) merged = PairsAsMap(merged);  // the parts ran on RESP2 connections
  }
  PendingRequest* parent = parent_;
  delete this;
  parent->waiter->OnRequestDone(parent, merged);
}

}  // namespace slotgate
