#include "proxy/commands/subscriptions.h"

#include <algorithm>

#include "common/commands/command_policy.h"
#include "common/errors.h"
#include "common/resp/redirect.h"
#include "common/resp/value.h"
#include "common/resp/writer.h"
#include "common/slot.h"
#include "proxy/commands/pubsub_frames.h"
#include "proxy/dispatch/request_dispatcher.h"

namespace slotgate {

Subscriptions::Subscriptions(BackendPool* pool, RequestDispatcher* dispatcher, PushSink* sink)
    : pool_(pool), dispatcher_(dispatcher), sink_(sink) {}

Subscriptions::~Subscriptions() { Clear(); }

std::set<std::string>& Subscriptions::SetOf(Kind kind) {
  switch (kind) {
    case Kind::kChannel:
      return channels_;
    case Kind::kPattern:
      return patterns_;
    case Kind::kShard:
      return shard_channels_;
  }
  return channels_;
}

void Subscriptions::Handle(const CommandInfo& cmd, std::span<const std::string_view> args,
                           PendingRequest* pending, bool resp3) {
  resp3_ = resp3;
  const std::string_view name = cmd.name;
  using K = CommandKind;
  const Kind kind = cmd.kind == K::kSSubscribe || cmd.kind == K::kSUnsubscribe ? Kind::kShard
                    : cmd.kind == K::kPSubscribe || cmd.kind == K::kPUnsubscribe ? Kind::kPattern
                                                                                 : Kind::kChannel;
  const bool subscribe =
      cmd.kind == K::kSubscribe || cmd.kind == K::kPSubscribe || cmd.kind == K::kSSubscribe;
  const std::span<const std::string_view> names = args.subspan(1);
  std::string reply;
  if (kind == Kind::kShard) {
    for (const std::string_view channel : names) {
      if (KeySlot(channel) != KeySlot(names[0])) {
        WriteError(reply, errors::kCrossSlot);
        return pending->waiter->OnRequestDone(pending, reply);
      }
    }
  }
  std::set<std::string>& set = SetOf(kind);
  const auto total = [&] { return kind == Kind::kShard ? shard_count() : count(); };
  if (subscribe) {
    for (const std::string_view channel : names) {
      set.emplace(channel);
      WriteSubscriptionReply(reply, resp3, name, &channel, total());
    }
  } else if (!names.empty()) {
    for (const std::string_view channel : names) {
      set.erase(std::string(channel));
      WriteSubscriptionReply(reply, resp3, name, &channel, total());
    }
  } else if (set.empty()) {
    WriteSubscriptionReply(reply, resp3, name, nullptr, total());
  } else {
    while (!set.empty()) {
      const std::string channel = *set.begin();
      set.erase(set.begin());
      const std::string_view view = channel;
      WriteSubscriptionReply(reply, resp3, name, &view, total());
    }
  }
  needs_repair_ = true;  // the desired state changed
  Repair();
  Waiting waiting{pending, std::move(reply), {}};
  for (const auto& [id, link] : links_) {
    if (link->expected > link->confirmed) waiting.needs.emplace_back(id, link->expected);
  }
  waiting_.push_back(std::move(waiting));
  AnswerReady();
}

void Subscriptions::Clear() {
  tearing_down_ = true;
  std::vector<BackendConnection*> connections;
  for (const auto& [id, link] : links_) connections.push_back(link->connection);
  for (BackendConnection* connection : connections) connection->Close("unsubscribed");
  links_.clear();
  channels_.clear();
  patterns_.clear();
  shard_channels_.clear();
  home_.reset();
  needs_repair_ = true;
  tearing_down_ = false;
  AnswerReady();
}

const Endpoint* Subscriptions::Home() {
  const SlotTable& table = *dispatcher_->table();
  if (home_) {
    for (const uint16_t i : table.serving()) {
      if (table.shards()[i].master == *home_) return &*home_;
    }
  }
  const Endpoint* master = dispatcher_->MasterFor(kPubSubHomeSlot);
  if (!master) master = dispatcher_->MasterFor(-1);  // slot 0 unserved: any master will do
  if (!master) return nullptr;
  home_ = *master;
  return &*home_;
}

auto Subscriptions::Desired() -> std::map<Endpoint, std::vector<Item>, EndpointLess> {
  std::map<Endpoint, std::vector<Item>, EndpointLess> desired;
  const SlotTable& table = *dispatcher_->table();
  for (const Kind kind : {Kind::kChannel, Kind::kPattern}) {
    for (const std::string& name : SetOf(kind)) {
      if (IsKeyspaceChannel(name, kind == Kind::kPattern)) {
        for (const uint16_t i : table.serving()) {
          desired[table.shards()[i].master].emplace_back(kind, name);
        }
      } else if (const Endpoint* home = Home()) {
        desired[*home].emplace_back(kind, name);
      }
    }
  }
  for (const std::string& name : shard_channels_) {
    if (const Shard* shard = table.ShardForSlot(KeySlot(name))) {
      desired[shard->master].emplace_back(Kind::kShard, name);
    }
  }
  return desired;
}

void Subscriptions::Repair() {
  const std::shared_ptr<const SlotTable>& table = dispatcher_->table();
  if (!needs_repair_ && repaired_for_ == table) return;
  repaired_for_ = table;
  needs_repair_ = false;
  auto desired = Desired();
  std::vector<BackendConnection*> unneeded;
  for (const auto& [id, link] : links_) {
    const auto wanted = desired.find(link->node);
    if (wanted == desired.end()) {
      unneeded.push_back(link->connection);
      continue;
    }
    const std::set<Item> keep(wanted->second.begin(), wanted->second.end());
    std::vector<std::string> drop[3];
    for (auto it = link->carried.begin(); it != link->carried.end();) {
      if (keep.contains(*it)) {
        ++it;
        continue;
      }
      drop[static_cast<int>(it->first)].push_back(it->second);
      it = link->carried.erase(it);
    }
    if (!drop[0].empty()) Send(*link, "UNSUBSCRIBE", drop[0]);
    if (!drop[1].empty()) Send(*link, "PUNSUBSCRIBE", drop[1]);
    for (const std::string& channel : drop[2]) {
      link->unsubscribing.insert(channel);
      Send(*link, "SUNSUBSCRIBE", {channel});
    }
  }
  for (BackendConnection* connection : unneeded) connection->Close("no subscriptions left");
  for (const auto& [node, items] : desired) {
    Link* link = LinkTo(node);
    if (!link) {
      needs_repair_ = true;  // retried on the next repair
      continue;
    }
    std::vector<std::string> add[3];
    for (const Item& item : items) {
      if (link->carried.insert(item).second)
        add[static_cast<int>(item.first)].push_back(item.second);
    }
    if (!add[0].empty()) Send(*link, "SUBSCRIBE", add[0]);
    if (!add[1].empty()) Send(*link, "PSUBSCRIBE", add[1]);
    // One SSUBSCRIBE per channel: a node refuses shard channels of two slots in one call.
    for (const std::string& channel : add[2]) Send(*link, "SSUBSCRIBE", {channel});
  }
}

Subscriptions::Link* Subscriptions::LinkTo(const Endpoint& node) {
  for (const auto& [id, link] : links_) {
    if (link->node == node) return link.get();
  }
  BackendConnection* connection = pool_->OpenDedicated(node, false, false, this);
  if (!connection) return nullptr;
  auto link = std::make_unique<Link>();
  link->owner = this;
  link->id = next_link_id_++;
  link->node = node;
  link->connection = connection;
  connection->StreamTo(link.get());
  Link* raw = link.get();
  links_.emplace(raw->id, std::move(link));
  return raw;
}

void Subscriptions::Send(Link& link, std::string_view command,
                         const std::vector<std::string>& names) {
  std::vector<std::string_view> args{command};
  args.insert(args.end(), names.begin(), names.end());
  std::string bytes;
  WriteCommand(bytes, args);
  link.expected += names.size();
  link.connection->Send(bytes, nullptr);
}

void Subscriptions::Link::OnBackendReply(std::string_view frame, const ScannedReply&) {
  owner->OnFrame(*this, frame);
}

void Subscriptions::Link::OnBackendFailure(BackendFailure, std::string_view) {
  owner->OnLinkLost(*this);
}

void Subscriptions::OnFrame(Link& link, std::string_view frame) {
  if (frame.empty()) return;
  if (frame[0] == '-') {
    // SSUBSCRIBE at a node that no longer owns the slot: learn the move and place the slot's
    // channels again at the next repair.
    ++link.confirmed;
    const size_t line_end = frame.find("\r\n");
    const std::optional<Redirect> moved = ParseRedirect(frame.substr(1, line_end - 1));
    if (moved && moved->kind == Redirect::kMoved) {
      dispatcher_->LearnMoved(moved->slot, Endpoint{std::string(moved->host), moved->port});
      needs_repair_ = true;
      std::erase_if(link.carried, [&](const Item& item) {
        return item.first == Kind::kShard && KeySlot(item.second) == moved->slot;
      });
    }
    return AnswerReady();
  }
  const std::string_view kind = PushKind(frame);
  if (kind == "message" || kind == "pmessage" || kind == "smessage") {
    if (resp3_ && frame[0] == '*') {
      std::string push(frame);
      push[0] = '>';
      return sink_->Push(push);
    }
    return sink_->Push(frame);
  }
  if (kind == "sunsubscribe") {
    RespValue value;
    size_t used = 0;
    if (DecodeValue(frame, &used, &value) == DecodeStatus::kOk && value.elements.size() == 3) {
      const auto asked = link.unsubscribing.find(value.elements[1].str);
      if (asked == link.unsubscribing.end()) {
        // The node dropped the channel itself: its slot moved away. Subscribe at the new owner.
        link.carried.erase({Kind::kShard, value.elements[1].str});
        needs_repair_ = true;
        dispatcher_->RequestRefresh();
        return;
      }
      link.unsubscribing.erase(asked);
    }
  }
  ++link.confirmed;
  AnswerReady();
}

void Subscriptions::OnLinkLost(Link& link) {
  if (tearing_down_) return;
  if (home_ && *home_ == link.node) home_.reset();
  needs_repair_ = true;
  dispatcher_->RequestRefresh();
  links_.erase(link.id);  // deletes `link`; the next repair places its channels again
  AnswerReady();
}

void Subscriptions::AnswerReady() {
  while (!waiting_.empty()) {
    Waiting& front = waiting_.front();
    const bool ready = std::all_of(front.needs.begin(), front.needs.end(), [&](const auto& need) {
      const auto link = links_.find(need.first);
      return tearing_down_ || link == links_.end() || link->second->confirmed >= need.second;
    });
    if (!ready) return;
    Waiting done = std::move(front);
    waiting_.pop_front();
    done.pending->waiter->OnRequestDone(done.pending, done.reply);
  }
}

}  // namespace slotgate
