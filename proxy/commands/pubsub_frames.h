// The pure pieces of pub/sub: which channels are keyspace notifications (raised by each node
// for its own keys only), what kind of push a backend frame is, and the confirmations slotgate
// writes to its clients with their own subscription counts.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace slotgate {

// Whether a channel, or a pattern that may match one, carries keyspace notifications.
bool IsKeyspaceChannel(std::string_view name, bool pattern);

// The first element of a pushed array ("message", "subscribe", ...), read without decoding
// the rest, so messages are forwarded as they came. Empty when the frame is not one.
std::string_view PushKind(std::string_view frame);

// One confirmation: [kind, name, count] as an array (RESP2) or a push (RESP3); a null name
// when `name` is nullptr (UNSUBSCRIBE with nothing subscribed).
void WriteSubscriptionReply(std::string& out, bool resp3, std::string_view kind,
                            const std::string_view* name, size_t count);

}  // namespace slotgate
