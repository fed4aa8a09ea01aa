// Combines the replies of the parts of one client request (split by slot, or fanned out to
// every master) into the single reply a Redis server would have given. Pure; replies are RESP
// bytes as the backends sent them, and merged replies reuse their element bytes unchanged.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/endpoint.h"

namespace slotgate {

// The elements of an array reply ("*N\r\n" then N replies), as views into `reply`.
// False when `reply` is not an array (an error, for instance).
bool SplitArrayReply(std::string_view reply, std::vector<std::string_view>* elements);

// The first error reply among `replies`, or empty.
std::string_view FirstError(std::span<const std::string> replies);

// An integer reply's value; false for any other reply.
bool ParseIntegerReply(std::string_view reply, int64_t* value);
// "-ERR proxy: <what>\r\n", for a part whose reply has the wrong shape.
std::string ProxyErrorReply(std::string_view what);

// CONFIG GET: the reply when every part gave the same, else an error naming the nodes
// (`nodes[i]` answered replies[i]) that differ from the first.
std::string AgreedReply(std::span<const std::string> replies, std::span<const Endpoint> nodes);

// MGET: part p's i-th value belongs at position key_orders[p][i] of the merged array.
// PUBSUB SHARDNUMSUB: `per_key` 2, each key answered by a (channel, count) pair.
std::string MergeByKeyOrder(std::span<const std::string> replies,
                            std::span<const std::vector<uint32_t>> key_orders, size_t keys,
                            size_t per_key = 1);
// DEL, UNLINK, EXISTS, TOUCH, DBSIZE: the sum of integer replies.
std::string SumIntegers(std::span<const std::string> replies);
// KEYS: every array's elements, in part order.
std::string ConcatArrays(std::span<const std::string> replies);
// SCRIPT EXISTS: 1 at a position only where every part says 1.
std::string AndOfIntegerArrays(std::span<const std::string> replies);
// MSET, FLUSHALL, SCRIPT LOAD ...: the first reply when no part failed (they all agree).
std::string FirstUnlessError(std::span<const std::string> replies);
// SCRIPT KILL / FUNCTION KILL sent to every node: +OK when any node stopped a script, else
// the first -UNKILLABLE (a script that wrote cannot be stopped), else the first -NOTBUSY (no
// node ran one), else the first error (no node could be asked).
std::string AnyKilled(std::span<const std::string> replies);
// RANDOMKEY: the first reply that is not a null.
std::string FirstNonNull(std::span<const std::string> replies);
// PUBSUB CHANNELS, SHARDCHANNELS: every array's elements once, in order of first appearance.
std::string UnionArrays(std::span<const std::string> replies);
// PUBSUB NUMSUB: every part answers (channel, count) pairs for the same channels in the same
// order; the counts are summed pair by pair.
std::string SumCountsPerName(std::span<const std::string> replies);
// LASTSAVE: the smallest integer.
std::string MinInteger(std::span<const std::string> replies);

}  // namespace slotgate
